/**
 * Planning defaults: what the auto-balance and runtime-change dialogs start from and what the engine assumes
 * when a caller passes nothing. One place, so the dialogs, the planning layer and the engine agree.
 * No solver code here: the control's bundle imports it without pulling the engine in.
 */

/**
 * Move cost of a runtime change (rep leaves, new rep, capacity change): an account that changes territory costs
 * MOVE_COST_FACTOR × the mean distance from an account to its territory's centre in the current plan.
 *
 * "Fewest accounts moved" is what a manager asks of a runtime change. On two synthetic national bases
 * (100,000 accounts, 50 reps), over the departure of every rep, 8× moves a median of 0.26× (worst 0.44×) as many
 * other accounts as the departed rep had, for about 1.5 % more total distance than 0× (figures:
 * `npm run bench:balance`, docs/benchmarks.md).
 */
export const MOVE_COST_FACTOR = 8;

/** Auto-balance: allowed deviation from the mean per territory, in percent. */
export const BALANCE_TOLERANCE_PERCENT = 5;

/** Runtime changes: allowed deviation from the mean per territory, in percent (wider: few moves come first). */
export const RUNTIME_TOLERANCE_PERCENT = 10;

/**
 * Auto-balance's "keep today's owners" choices: the move cost factor of each (× the mean distance to the
 * territory's centre) and its resx label. The default is the middle one.
 */
export const KEEP_OWNERS_LEVELS: readonly { moveCostFactor: number; key: string }[] = [
  { moveCostFactor: 0, key: "Balance_DisruptionNone" },
  { moveCostFactor: 1, key: "Balance_DisruptionLow" },
  { moveCostFactor: 2, key: "Balance_DisruptionMedium" },
  { moveCostFactor: 4, key: "Balance_DisruptionHigh" },
];
export const DEFAULT_KEEP_OWNERS_FACTOR = 2;
