/**
 * A manager's journey on a freshly seeded sample org (regions over districts over rep territories), through the
 * planning layer without a browser: the TerritoryMapSession over the in-memory account repository, FakeMap and the
 * in-process balancer — the same commands the control's dialogs call.
 *
 * 1. Auto-balance with the dialog's defaults (chosen reps = owners of the leaf territories, account count, the
 *    default tolerance and keep-owners setting), applied: the "default balanced plan".
 * 2. Auto-balance limited to the region with the most territories: nothing outside it may move.
 * 3. Every leaf rep leaves in turn (from the default balanced plan): accounts taken from other territories per
 *    account of the departed rep, accounts put into a region or district, time per proposal.
 * 4. Compare (live plan → balanced plan): regions and districts shown at −100 % (they must not be).
 *
 *   npm run bench:journey -- [--accounts 20000] [--seed 20261122] [--leaves all|N]
 *
 * Prints a table and, as its last line, one JSON object.
 */
import { RecordingNavigation } from "../TerritoryMapControl/adapters/navigation/RecordingNavigation";
import { generateSampleOrg } from "../local/seed";
import { TerritoryMapSession } from "../TerritoryMapControl/app/TerritoryMapSession";
import { FakeAccountRepository } from "../TerritoryMapControl/adapters/dataverse/FakeAccountRepository";
import { FakeMap } from "../TerritoryMapControl/adapters/map/FakeMap";
import { createInProcessBalancerClient } from "../TerritoryMapControl/adapters/worker/BalancerClient";
import { createFakeDraftRepository } from "../dataverse/drafts/FakeDraftRepository";
import { accountFromRow, repFromRow, territoryFromRow } from "../TerritoryMapControl/domain/accounts";
import { balanceSetup, chosenMeasures, chosenRepTargets, defaultChosenReps } from "../TerritoryMapControl/domain/design/balanceForm";
import { bandMisses } from "../TerritoryMapControl/domain/design/balanceInput";
import { leafScope, planTerritoryOf } from "../TerritoryMapControl/domain/design/scope";
import { BALANCE_TOLERANCE_PERCENT, DEFAULT_KEEP_OWNERS_FACTOR, RUNTIME_TOLERANCE_PERCENT } from "../TerritoryMapControl/domain/defaults";
import { draftStats } from "../TerritoryMapControl/domain/drafts/compare";
import { subtreeOf } from "../TerritoryMapControl/domain/hierarchy";
import { toDraft, treeOf, type WorkingPlan } from "../TerritoryMapControl/domain/workspace";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
const N = Number(arg("accounts", "20000"));
const SEED = Number(arg("seed", "20261122"));
const LEAVES = arg("leaves", "all");
const MEASURES = ["revenue", "tmap_workloadhours"];
const now = () => performance.now();
const median = (xs: number[]) => (xs.length ? xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)] : 0);
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

async function until(check: () => boolean, what: string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function main(): Promise<void> {
  const org = generateSampleOrg({ accounts: N, seed: SEED });
  const accounts = org.accounts
    .filter((r) => r.statecode === 0)
    .map((r) => accountFromRow({ ...r, _territoryid_value: r.territoryid, _ownerid_value: r.ownerid }, MEASURES));
  const territories = org.territories.map((r) =>
    territoryFromRow({ ...r, _managerid_value: r.managerid, _parentterritoryid_value: r.parentterritoryid }),
  );
  const reps = org.systemusers.map((r) => repFromRow(r));
  const session = new TerritoryMapSession(
    {
      accounts: new FakeAccountRepository({ accounts, territories, reps }),
      drafts: createFakeDraftRepository().repository,
      createBalancer: () => createInProcessBalancerClient(),
      files: { save: () => undefined },
      navigation: new RecordingNavigation(),
    },
    {
      accountScope: "statecode eq 0",
      measureColumns: MEASURES,
      measureRoles: { revenue: "revenue", workload: "tmap_workloadhours" },
      mapsKeyVariable: "",
    },
    (key) => key,
  );
  const map = new FakeMap({}, { designParts: true });
  session.start();
  session.loader.attachMap(map, session.loader.get().loadKey);
  await until(() => session.plan.plan !== null && session.loader.get().territories.length === territories.length, "the plan");
  await until(() => session.design.get().mapParts !== null, "the design tools");
  const live = session.plan.plan as WorkingPlan;
  const tree = treeOf(live);
  const rows: [string, string][] = [
    ["accounts (active)", accounts.length.toLocaleString("en-US")],
    ["territories", `${territories.length} (${tree.leaves.length} leaves, ${territories.length - tree.leaves.length} regions/districts)`],
    ["accounts held by a region", String(leafScope(tree, live.assignment, -1).heldByParents)],
  ];

  // 1. default auto-balance, applied
  const design = session.design;
  const context = design.balanceContext();
  if (!context) throw new Error("No balance context");
  const form = {
    mode: context.reps.some((r) => r.home) ? ("reps" as const) : ("count" as const),
    count: String(context.territories.length),
    tolerance: String(BALANCE_TOLERANCE_PERCENT),
    capacity: "",
    measures: chosenMeasures(new Set(["count"]), MEASURES.length),
    reps: chosenRepTargets(context.reps, defaultChosenReps(context.reps), new Map()),
    respectLocks: true,
    moveCostFactor: DEFAULT_KEEP_OWNERS_FACTOR,
  };
  const checked = balanceSetup(form);
  if (!checked.ok) throw new Error(`Default form refused: ${checked.problem}`);
  let t0 = now();
  const run = await design.autoBalance(checked.setup);
  const balanceMs = now() - t0;
  design.applyBalance({
    assignment: run.assignment,
    newTerritories: run.input.newTerritories.map((n) => ({ planTerritory: n.planTerritory, repId: n.repId })),
    preview: run.preview,
    setup: run.setup,
  });
  const balanced = session.plan.plan as WorkingPlan;
  const bTree = treeOf(balanced);
  let toParent = 0;
  for (let i = 0; i < balanced.assignment.length; i++) {
    const t = balanced.assignment[i];
    if (t >= 0 && !bTree.leaf[t] && t !== live.assignment[i]) toParent++;
  }
  const autoBalanceDefault = {
    tolerance: checked.setup.tolerance,
    maxDeviation: round(Math.max(...run.preview.maxDeviation), 4),
    feasible: run.preview.feasible,
    moved: run.preview.moved,
    toParent,
    chosenReps: form.reps.length,
    smallestFeasibleTolerance: run.preview.feasible ? null : Math.ceil(Math.max(...run.preview.maxDeviation) * 100) / 100,
    ms: Math.round(balanceMs),
  };
  rows.push(["default auto-balance: chosen reps", String(form.reps.length)]);
  const misses = bandMisses(run.preview, checked.setup.tolerance);
  if (misses.length > 0) {
    const names = context.territories;
    const nameOf = (t: number) => {
      const p = run.preview.territories[t].planTerritory;
      return p < names.length ? names[p].name : `new territory ${p}`;
    };
    rows.push([
      "  outside the band",
      `${misses.length}: ${misses
        .slice(0, 4)
        .map((m) => `${nameOf(m.territory)} ${m.total} (${m.lower}–${m.upper})`)
        .join("; ")}`,
    ]);
  }
  rows.push([
    "default auto-balance",
    `${run.preview.feasible ? "feasible" : "NOT feasible"} at ±${checked.setup.tolerance * 100} %, max deviation ${(autoBalanceDefault.maxDeviation * 100).toFixed(2)} %, ${run.preview.moved} moved, ${toParent} into a region, ${autoBalanceDefault.ms} ms`,
  ]);

  // 2. auto-balance one region (the one with the most leaves)
  const parents = bTree.order.filter((i) => !bTree.leaf[i] && bTree.depth[i] === 0);
  const region = parents.sort((a, b) => subtreeOf(bTree, b).length - subtreeOf(bTree, a).length)[0];
  let autoBalanceRegion: { region: string; moved: number; movedOutsideRegion: number; ms: number } | null = null;
  if (region !== undefined) {
    design.setBalanceScope(balanced.territories[region].key);
    const rc = design.balanceContext();
    if (!rc) throw new Error("No region context");
    const rs = balanceSetup({
      ...form,
      count: String(rc.territories.length),
      reps: chosenRepTargets(rc.reps, defaultChosenReps(rc.reps), new Map()),
    });
    if (!rs.ok) throw new Error(`Region form refused: ${rs.problem}`);
    t0 = now();
    const rr = await design.autoBalance(rs.setup);
    const ms = now() - t0;
    const inRegion = new Uint8Array(balanced.territories.length);
    for (const i of subtreeOf(bTree, region)) inRegion[i] = 1;
    const scope = leafScope(bTree, balanced.assignment, region);
    let moved = 0;
    let outside = 0;
    for (let i = 0; i < rr.assignment.length; i++) {
      if (!scope.include[i]) continue;
      const after = rr.assignment[i] >= 0 ? planTerritoryOf(scope, rr.assignment[i]) : balanced.assignment[i];
      if (after === balanced.assignment[i]) continue;
      moved++;
      if (after < 0 || after >= inRegion.length || !inRegion[after]) outside++;
    }
    // accounts outside the scope are not in the run at all
    for (let i = 0; i < rr.assignment.length; i++) if (!scope.include[i] && rr.assignment[i] !== scope.assignment[i]) outside++;
    autoBalanceRegion = { region: balanced.territories[region].name, moved, movedOutsideRegion: outside, ms: Math.round(ms) };
    rows.push([`auto-balance "${autoBalanceRegion.region}"`, `${moved} moved, ${outside} outside the region, ${autoBalanceRegion.ms} ms`]);
    design.setBalanceScope(null);
  }

  // 3. every leaf rep leaves in turn
  const ctx = design.balanceContext();
  if (!ctx) throw new Error("No balance context");
  const scope = leafScope(bTree, balanced.assignment, -1);
  const leavesWithRep = ctx.territories.map((t, l) => ({ l, t })).filter(({ t }) => t.repId !== null);
  const sample = LEAVES === "all" ? leavesWithRep : leavesWithRep.slice(0, Number(LEAVES));
  const ratios: number[] = [];
  const times: number[] = [];
  let repLeavesToParent = 0;
  for (const { l } of sample) {
    const own = balanced.totals.accounts[scope.leaves[l]];
    t0 = now();
    const proposal = await design.proposeRuntimeChange({ kind: "rep-leaves", territory: l }, RUNTIME_TOLERANCE_PERCENT / 100);
    times.push(now() - t0);
    const { moves } = proposal.result;
    let others = 0;
    for (let k = 0; k < moves.indexes.length; k++) {
      if (moves.from[k] !== l) others++;
      const to = planTerritoryOf(scope, moves.to[k]);
      if (to >= 0 && to < bTree.leaf.length && !bTree.leaf[to]) repLeavesToParent++;
    }
    ratios.push(own > 0 ? others / own : 0);
  }
  const repLeaves = {
    reps: sample.length,
    medianMovedOthersRatio: round(median(ratios)),
    worstMovedOthersRatio: round(Math.max(0, ...ratios)),
    toParent: repLeavesToParent,
    medianMs: Math.round(median(times)),
    worstMs: Math.round(Math.max(0, ...times)),
  };
  rows.push([
    `rep leaves (${sample.length} reps in turn)`,
    `others moved per departed account: median ${repLeaves.medianMovedOthersRatio}, worst ${repLeaves.worstMovedOthersRatio}; ${repLeavesToParent} into a region; median ${repLeaves.medianMs} ms, worst ${repLeaves.worstMs} ms`,
  ]);

  // 4. compare: live → balanced
  const stats = [draftStats(toDraft(live)), draftStats(toDraft(balanced))];
  const regionsAtMinus100 = stats.reduce((s, d) => s + d.territories.filter((t) => !t.leaf && t.deviations[0] <= -0.999).length, 0);
  rows.push(["compare: regions at −100 %", String(regionsAtMinus100)]);

  session.dispose();
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`bench:journey — ${N.toLocaleString("en-US")} accounts, seed ${SEED}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  console.log(
    JSON.stringify({
      accounts: accounts.length,
      seed: SEED,
      autoBalanceDefault,
      autoBalanceRegion,
      repLeaves,
      compare: { regionsAtMinus100 },
    }),
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
