import { createInProcessBalancerClient, createWorkerBalancerClient } from "../../../TerritoryMapControl/adapters/worker/BalancerClient";
import { packProblem, unpackProblem, type FromWorker, type ToWorker } from "../../../TerritoryMapControl/adapters/worker/protocol";
import { validateResult } from "../../../TerritoryMapControl/domain/balancing";
import {
  applyBalance,
  applyProposal,
  balancePreview,
  buildBalanceInput,
  columnsFromProblem,
  mappingAfterNewRep,
  mappingAfterRepLeaves,
  problemFromColumns,
  proposalMoves,
  type BalanceSetup,
} from "../../../TerritoryMapControl/domain/design";
import { randomTable } from "./builders";

/**
 * A Worker stand-in that runs the real balancer.worker module in this process: messages are structured-cloned
 * both ways (as postMessage does) and delivered asynchronously; terminate() stops delivery.
 */
function loadWorkerScope(): { onmessage: ((ev: { data: ToWorker }) => void) | null; postMessage: (m: FromWorker) => void } {
  const scope: { onmessage: ((ev: { data: ToWorker }) => void) | null; postMessage: (m: FromWorker) => void } = {
    onmessage: null,
    postMessage: () => undefined,
  };
  const g = globalThis as unknown as { self?: unknown };
  const previous = g.self;
  g.self = scope;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the worker module registers self.onmessage when loaded
    require("../../../TerritoryMapControl/adapters/worker/balancer.worker");
  });
  g.self = previous;
  return scope;
}

class InProcessWorker {
  public onmessage: ((ev: MessageEvent<FromWorker>) => void) | null = null;
  public onerror: ((ev: ErrorEvent) => void) | null = null;
  public terminated = false;
  public posted: ToWorker[] = [];
  private readonly scope = loadWorkerScope();
  public constructor() {
    this.scope.postMessage = (m) => {
      const copy = structuredClone(m);
      setTimeout(() => {
        if (!this.terminated) this.onmessage?.({ data: copy } as MessageEvent<FromWorker>);
      }, 0);
    };
  }
  public postMessage(msg: ToWorker): void {
    const copy = structuredClone(msg);
    this.posted.push(copy);
    setTimeout(() => {
      if (!this.terminated) this.scope.onmessage?.({ data: copy });
    }, 0);
  }
  public terminate(): void {
    this.terminated = true;
  }
}

const table = randomTable(600, 21, 4);
const K = 4;
// Today's plan: by longitude band (unbalanced), 4 accounts without coordinates, some unassigned.
const assignment = Int32Array.from({ length: table.size }, (_, i) =>
  i % 50 === 0 ? -1 : Number.isNaN(table.lon[i]) ? 1 : Math.min(K - 1, Math.floor((table.lon[i] + 124) / 14.5)),
);
const locked = new Uint8Array(table.size);
locked[5] = 1;
const reps = [
  { repId: "r0", home: [-118, 34] as [number, number], territory: 0 },
  { repId: "r1", home: [-104, 39] as [number, number], territory: 1 },
  { repId: "r2", home: [-90, 41] as [number, number], territory: 2 },
  { repId: "r3", home: [-75, 40] as [number, number], territory: 3 },
];
const setup: BalanceSetup = {
  territories: K,
  reps,
  measures: [{ kind: "count" }, { kind: "column", column: 1 }],
  tolerance: 0.05,
  respectLocks: true,
  moveCostFactor: 2,
};

describe("auto-balance input and preview", () => {
  it("builds a fixed-centre problem from chosen reps, keeps locks and today's owners, excludes unplaced accounts", () => {
    const input = buildBalanceInput(table, assignment, locked, K, setup);
    const problem = problemFromColumns(input.problem);
    expect(problem.centers).toBe("fixed");
    expect(problem.points).toHaveLength(600);
    expect(input.excluded).toBe(4);
    expect(problem.points[5].lock).toBe(assignment[5]);
    expect(problem.points[6].lock).toBeUndefined();
    expect(problem.points[7]).toMatchObject({ id: table.ids[7], x: table.lon[7], y: table.lat[7], w: [1, 1] });
    expect(problem.current![0]).toBe(-1);
    expect(problem.moveCost).toBeGreaterThan(0);
    expect(input.measureLabels).toEqual(["accounts", "workload"]);
    expect(() => buildBalanceInput(table, assignment, locked, K, { ...setup, measures: [] })).toThrow(/at least one measure/);
    const counted = buildBalanceInput(table, assignment, locked, K, { ...setup, reps: null, territories: 3, moveCostFactor: 0 });
    expect(counted.problem.rest.centers).toBe("points");
    expect(Array.from(counted.problem.current!).some((c) => c === 3)).toBe(false);
    expect(counted.problem.rest.moveCost).toBe(0);
  });

  it("solves in the in-process client, previews before applying, and applies to plan territories", async () => {
    const input = buildBalanceInput(table, assignment, locked, K, setup);
    const client = createInProcessBalancerClient();
    const result = await client.solve(input.problem, { timeLimitMs: 3000 });
    const check = validateResult(problemFromColumns(input.problem), { assignment: result.assignment, centers: result.centers });
    expect(check.errors).toEqual([]);
    const preview = balancePreview(input, result, assignment);
    expect(preview.territories.map((t) => t.planTerritory)).toEqual([0, 1, 2, 3]);
    expect(preview.territories.reduce((s, t) => s + t.accounts, 0)).toBe(600);
    expect(preview.maxDeviation[0]).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(preview.lowerBound).not.toBeNull();
    expect(preview.gapToBound).toBeGreaterThanOrEqual(-1e-9);
    const next = applyBalance(input, result, assignment);
    let moved = 0;
    for (let i = 0; i < table.size; i++) if (next[i] !== assignment[i]) moved++;
    expect(moved).toBe(preview.moved);
    expect(next[5]).toBe(assignment[5]); // locked
    for (let i = 600; i < 604; i++) expect(next[i]).toBe(assignment[i]); // unplaced keep theirs
  });
});

describe("worker protocol", () => {
  it("packs and unpacks a problem losslessly", () => {
    const input = buildBalanceInput(table, assignment, locked, K, { ...setup, capacity: [200, null] });
    const problem = problemFromColumns(input.problem);
    problem.points[3].cap = [5, 6];
    const { packed, transfer } = packProblem(problem);
    expect(transfer.length).toBeGreaterThanOrEqual(4);
    expect(unpackProblem(structuredClone(packed))).toEqual(problem);
    expect(columnsFromProblem(problem).ids).toBe(table.ids.slice(0, 600).join("\u001f"));
  });

  it("solves in the worker with progress, answers runtime changes, and cancels by terminating", async () => {
    const workers: InProcessWorker[] = [];
    const client = createWorkerBalancerClient("/* worker source */", () => {
      const w = new InProcessWorker();
      workers.push(w);
      return w as unknown as Worker;
    });
    const input = buildBalanceInput(table, assignment, locked, K, setup);
    const phases: string[] = [];
    const result = await client.solve(input.problem, { timeLimitMs: 3000, onProgress: (p) => phases.push(p.phase) });
    expect(workers[0].posted[0]).toMatchObject({ type: "solve", packedResult: true, problem: { packed: 1 } });
    expect(Array.isArray(result.assignment)).toBe(true);
    expect(result.assignment).toHaveLength(600);
    expect(phases.length).toBeGreaterThan(0);
    expect(workers[0].terminated).toBe(true);

    // Rep leaves: territory 2's rep leaves; proposal maps back to plan territories and lists the moves.
    const plan = { assignment: result.assignment, centers: result.centers, prices: result.prices };
    const leaves = await client.repLeaves(input.problem, plan, 2, { timeLimitMs: 3000, moveCost: input.problem.rest.moveCost });
    expect(leaves.territories).toBe(3);
    const current = applyBalance(input, result, assignment);
    const mapping = mappingAfterRepLeaves(input, 2);
    const moves = proposalMoves(mapping, leaves.result.assignment, current);
    const after = applyProposal(current, moves);
    for (let p = 0; p < input.pointToAccount.length; p++) expect(after[input.pointToAccount[p]]).not.toBe(2);
    for (let k = 0; k < moves.indexes.length; k++) expect(moves.from[k]).toBe(current[moves.indexes[k]]);
    expect(leaves.reassigned + leaves.movedOther).toBeGreaterThanOrEqual(moves.indexes.length - 1);

    // New rep: a territory carved around a home base, appended as plan territory 4.
    const fresh = await client.newRep(
      input.problem,
      plan,
      { x: -97, y: 32, id: "r4" },
      { timeLimitMs: 3000, moveCost: input.problem.rest.moveCost },
    );
    expect(fresh.territories).toBe(5);
    const nm = proposalMoves(mappingAfterNewRep(input, 4), fresh.result.assignment, current);
    expect(Array.from(nm.to).filter((t) => t === 4).length).toBeGreaterThan(0);

    // Capacity change.
    const caps = reps.map(() => [170, null]);
    const cap = await client.capacityChange(input.problem, plan, caps, { timeLimitMs: 3000, moveCost: input.problem.rest.moveCost });
    expect(cap.territories).toBe(4);

    // Cancel: abort while the worker runs → AbortError at once, worker terminated.
    const ac = new AbortController();
    const pending = client.solve(input.problem, { timeLimitMs: 3000, signal: ac.signal });
    ac.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(workers[workers.length - 1].terminated).toBe(true);

    // Errors from the engine come back as errors.
    await expect(client.repLeaves(input.problem, plan, 9)).rejects.toThrow(/does not exist/);
    client.dispose();
  }, 60_000);
});
