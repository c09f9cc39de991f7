/**
 * Bands widened by their slack, as the band checks of the repair (repair.ts) and the swaps (swaps.ts) read them.
 * Guarantees: the same values as `ub + slack(ub)` / `lb − slack(lb)` computed inline (model.ts slack).
 */
import { slack, type Model } from "../model";

/** Bands widened by their slack, ub + slack(ub) and lb − slack(lb): the same values the checks used inline. */
export function slackBands(model: Model): { ubS: Float64Array; lbS: Float64Array } {
  const R = model.k * model.M;
  const ubS = new Float64Array(R);
  const lbS = new Float64Array(R);
  for (let r = 0; r < R; r++) {
    ubS[r] = model.ub[r] + slack(model.ub[r]);
    lbS[r] = model.lb[r] - slack(model.lb[r]);
  }
  return { ubS, lbS };
}
