/**
 * Domain part of the "lasso 10,000 accounts → moved and totals updated ≤ 300 ms" budget:
 * 100,000 sample accounts (local/seed), a freehand-like lasso (400 vertices, wobbly outline) sized to hold
 * ~10,000 accounts, then: select (spatial index) → totals of the selection → move plan → new assignment →
 * per-territory totals updated incrementally. Also a circle and a box of the same size, and the index build.
 *
 *   npx tsx scripts/bench-design-domain.ts [--accounts 100000] [--target 10000] [--runs 30]
 *
 * Prints a table and, as its last line, one JSON object.
 */
import type { Polygon } from "geojson";
import { generateSampleOrg } from "../local/seed";
import { accountFromRow } from "../TerritoryMapControl/domain/accounts";
import {
  buildAccountTable,
  applyMoves,
  circleShape,
  planMove,
  selectByShape,
  SpatialIndex,
  TerritoryTotals,
  totalsOf,
  type DrawnShape,
} from "../TerritoryMapControl/domain/design";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const N = arg("accounts", 100_000);
const TARGET = arg("target", 10_000);
const RUNS = arg("runs", 30);
const now = () => performance.now();
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const t0 = now();
const org = generateSampleOrg({ accounts: N });
const territoryIds = org.territories.map((t) => String(t.territoryid));
const tIndex = new Map(territoryIds.map((id, i) => [id, i]));
const accounts = org.accounts.map((r) =>
  accountFromRow(
    { ...r, _territoryid_value: r.territoryid, address1_latitude: r.address1_latitude, address1_longitude: r.address1_longitude },
    ["revenue", "tmap_workloadhours"],
  ),
);
const table = buildAccountTable(accounts, ["revenue", "tmap_workloadhours"]);
const assignment = Int32Array.from(accounts, (a) => (a.territoryId === null ? -1 : (tIndex.get(a.territoryId) ?? -1)));
const locked = new Uint8Array(table.size);
const genMs = now() - t0;

const buildRuns: number[] = [];
let index = SpatialIndex.of(table);
for (let r = 0; r < 5; r++) {
  const s = now();
  index = SpatialIndex.of(table);
  buildRuns.push(now() - s);
}

// Lasso around the Chicago area: a wobbly 400-vertex outline (like a freehand drawing), scaled to ~TARGET accounts.
const centre: [number, number] = [-87.9, 41.9];
function lasso(radiusDeg: number): DrawnShape {
  const ring: [number, number][] = [];
  const V = 400;
  for (let v = 0; v < V; v++) {
    const a = (2 * Math.PI * v) / V;
    const wobble = 1 + 0.18 * Math.sin(5 * a) + 0.07 * Math.sin(17 * a + 1);
    ring.push([centre[0] + radiusDeg * wobble * Math.cos(a) * 1.3, centre[1] + radiusDeg * wobble * Math.sin(a)]);
  }
  ring.push(ring[0]);
  const geometry: Polygon = { type: "Polygon", coordinates: [ring] };
  return { id: "lasso", kind: "lasso", geometry };
}
let lo = 0.01;
let hi = 30;
for (let it = 0; it < 40; it++) {
  const mid = (lo + hi) / 2;
  if (selectByShape(index, lasso(mid)).length < TARGET) lo = mid;
  else hi = mid;
}
const shape = lasso(hi);
let clo = 1000;
let chi = 3_000_000;
for (let it = 0; it < 40; it++) {
  const mid = (clo + chi) / 2;
  if (index.inCircle(centre[0], centre[1], mid).length < TARGET) clo = mid;
  else chi = mid;
}
const circle = circleShape("circle", centre, chi);

const totals = TerritoryTotals.of(table, assignment, territoryIds.length + 1);
const target = territoryIds.length; // a new territory
const selectMs: number[] = [];
const totalsMs: number[] = [];
const moveMs: number[] = [];
const endToEnd: number[] = [];
const circleMs: number[] = [];
const boxMs: number[] = [];
let selected = 0;
let movedCount = 0;
for (let r = 0; r < RUNS; r++) {
  const a = now();
  const sel = selectByShape(index, shape);
  const b = now();
  const selTotals = totalsOf(table, sel);
  const c = now();
  const plan = planMove(table, assignment, locked, sel, target);
  const next = applyMoves(assignment, plan);
  const t2 = TerritoryTotals.of(table, assignment, territoryIds.length + 1); // fresh copy per run, not timed
  const d = now();
  t2.apply(table, plan);
  const e = now();
  selectMs.push(b - a);
  totalsMs.push(c - b);
  moveMs.push(d - c - 0 + (e - d));
  endToEnd.push(b - a + (c - b) + (e - d) + (d - c));
  selected = sel.length;
  movedCount = plan.indexes.length;
  if (next[sel[0]] !== target || selTotals.count !== sel.length || t2.of(target).count !== plan.indexes.length)
    throw new Error("bench: move did not apply");
  const f = now();
  index.inCircle(centre[0], centre[1], chi);
  circleMs.push(now() - f);
  const g = now();
  index.inBox([centre[0] - hi * 1.3, centre[1] - hi, centre[0] + hi * 1.3, centre[1] + hi]);
  boxMs.push(now() - g);
}
void totals;
void circle;

const rows: [string, string][] = [
  ["accounts (placed)", `${N} (${index.placed})`],
  ["lasso vertices / selected / moved", `400 / ${selected} / ${movedCount}`],
  ["index build (median of 5)", `${median(buildRuns).toFixed(1)} ms`],
  ["lasso select (median)", `${median(selectMs).toFixed(2)} ms`],
  ["selection totals", `${median(totalsMs).toFixed(2)} ms`],
  ["move plan + assignment + territory totals", `${median(moveMs).toFixed(2)} ms`],
  ["lasso → moved + totals (median / max)", `${median(endToEnd).toFixed(2)} / ${Math.max(...endToEnd).toFixed(2)} ms`],
  ["circle ~10k (median)", `${median(circleMs).toFixed(2)} ms`],
  ["box ~10k (median)", `${median(boxMs).toFixed(2)} ms`],
  ["sample generation (not part of the budget)", `${genMs.toFixed(0)} ms`],
];
for (const [k, v] of rows) console.log(`${k.padEnd(46)} ${v}`);
console.log(
  JSON.stringify({
    accounts: N,
    selected,
    lassoSelectMs: +median(selectMs).toFixed(2),
    selectionTotalsMs: +median(totalsMs).toFixed(2),
    moveAndTotalsMs: +median(moveMs).toFixed(2),
    lasso10kDomainMs: +median(endToEnd).toFixed(2),
    lasso10kDomainMaxMs: +Math.max(...endToEnd).toFixed(2),
    circle10kMs: +median(circleMs).toFixed(2),
    box10kMs: +median(boxMs).toFixed(2),
    indexBuildMs: +median(buildRuns).toFixed(1),
  }),
);
