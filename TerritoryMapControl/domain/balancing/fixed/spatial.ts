/**
 * Spatial order of the accounts for large fixed-centre problems: a serpentine walk over a 256 × 256 grid and
 * the model permuted into that order. Guarantees: a permutation only (every account, weight, lock and current
 * territory moves with its account), so a solve on the permuted model mapped back through `perm` is a plan of
 * the original one.
 */
import type { Model } from "../model";

/** Accounts re-ordered along a serpentine grid so that neighbouring accounts sit close in memory. */
export function spatialOrder(model: Model): Int32Array {
  const { n, x, y } = model;
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    if (x[i] < x0) x0 = x[i];
    if (x[i] > x1) x1 = x[i];
    if (y[i] < y0) y0 = y[i];
    if (y[i] > y1) y1 = y[i];
  }
  const g = 256;
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const cx = Math.min(g - 1, Math.floor(((x[i] - x0) / (x1 - x0 || 1)) * g));
    const cy = Math.min(g - 1, Math.floor(((y[i] - y0) / (y1 - y0 || 1)) * g));
    key[i] = cy * g + (cy % 2 ? g - 1 - cx : cx);
  }
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  perm.sort((a, b) => key[a] - key[b]);
  return perm;
}

export function permuteModel(model: Model, perm: Int32Array): Model {
  const { n, M } = model;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const w = new Float64Array(n * M);
  const lock = new Int32Array(n);
  const current = model.current ? new Int32Array(n) : null;
  for (let q = 0; q < n; q++) {
    const i = perm[q];
    x[q] = model.x[i];
    y[q] = model.y[i];
    for (let m = 0; m < M; m++) w[q * M + m] = model.w[i * M + m];
    lock[q] = model.lock[i];
    if (current) current[q] = model.current![i];
  }
  return { ...model, x, y, w, lock, current, ids: perm.length ? Array.from(perm, (i) => model.ids[i]) : model.ids };
}
