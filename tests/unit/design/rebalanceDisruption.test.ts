import { createInProcessBalancerClient } from "../../../TerritoryMapControl/adapters/worker/BalancerClient";
import {
  applyBalance,
  balancePreview,
  buildBalanceInput,
  maxWeightMatching,
  relabelByOverlap,
  type AccountTable,
  type BalanceSetup,
} from "../../../TerritoryMapControl/domain/design";
import { randomTable } from "./builders";

/**
 * "A number of territories" (centres among the accounts) with the disruption setting: the engine starts from
 * today's territories when today's owners count, and the result is renumbered to today's territories by overlap,
 * so a re-balance of a balanced plan keeps names and moves few accounts, while "not at all" is free to reorganise.
 */
const client = createInProcessBalancerClient();

function countSetup(k: number, moveCostFactor: number): BalanceSetup {
  return { territories: k, reps: null, measures: [{ kind: "count" }], tolerance: 0.05, respectLocks: true, moveCostFactor };
}

async function rebalance(
  table: AccountTable,
  assignment: Int32Array,
  k: number,
  moveCostFactor: number,
  territoryCount = k,
  locked: Uint8Array | null = null,
) {
  const built = buildBalanceInput(table, assignment, locked, territoryCount, countSetup(k, moveCostFactor));
  const result = await client.solve(built.problem, { timeLimitMs: 2000 });
  const input = relabelByOverlap(built, result, assignment);
  const next = applyBalance(input, result, assignment);
  let moved = 0;
  for (let i = 0; i < next.length; i++) if (next[i] !== assignment[i]) moved++;
  return { preview: balancePreview(input, result, assignment), next, moved, result };
}

/** Plan territory numbers have no geographic order (territories are created one by one, in any order). */
function shuffled(k: number): number[] {
  return Array.from({ length: k }, (_, t) => (t * 5 + 3) % k);
}

/** k vertical strips of equal account count (balanced, but far from compact), numbered in no particular order. */
function strips(table: AccountTable, k: number, order = shuffled(k)): Int32Array {
  const byLon = Array.from({ length: table.size }, (_, i) => i).sort((a, b) => table.lon[a] - table.lon[b]);
  const out = new Int32Array(table.size);
  byLon.forEach((i, r) => (out[i] = order[Math.floor((r * k) / table.size)]));
  return out;
}

/** Share of each plan territory's accounts that stay in it. */
function kept(before: Int32Array, after: Int32Array, k: number): number[] {
  const total = new Array<number>(k).fill(0);
  const same = new Array<number>(k).fill(0);
  for (let i = 0; i < before.length; i++) {
    if (before[i] < 0) continue;
    total[before[i]]++;
    if (after[i] === before[i]) same[before[i]]++;
  }
  return total.map((t, s) => (t ? same[s] / t : 1));
}

describe("maxWeightMatching", () => {
  const total = (w: number[], cols: number, m: Int32Array) => Array.from(m).reduce((s, c, r) => s + (c >= 0 ? w[r * cols + c] : 0), 0);

  it("finds the matching a largest-first greedy misses (9 + 9, not 10 + 0)", () => {
    const w = [10, 9, 9, 0];
    const m = maxWeightMatching(w, 2, 2);
    expect(Array.from(m)).toEqual([1, 0]);
    expect(total(w, 2, m)).toBe(18);
  });

  it("handles more rows than columns and more columns than rows", () => {
    expect(Array.from(maxWeightMatching([1, 5, 3], 3, 1))).toEqual([-1, 0, -1]);
    expect(Array.from(maxWeightMatching([1, 5, 3], 1, 3))).toEqual([1]);
  });

  it("equals brute force on random small matrices", () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const best = (w: number[], rows: number, cols: number): number => {
      let top = 0;
      const go = (r: number, used: Set<number>, acc: number) => {
        if (r === rows) {
          top = Math.max(top, acc);
          return;
        }
        go(r + 1, used, acc); // row left unmatched
        for (let c = 0; c < cols; c++) {
          if (used.has(c)) continue;
          used.add(c);
          go(r + 1, used, acc + w[r * cols + c]);
          used.delete(c);
        }
      };
      go(0, new Set(), 0);
      return top;
    };
    for (let trial = 0; trial < 60; trial++) {
      const rows = 1 + Math.floor(rnd() * 5);
      const cols = 1 + Math.floor(rnd() * 5);
      const w = Array.from({ length: rows * cols }, () => (rnd() < 0.3 ? 0 : Math.floor(rnd() * 50)));
      const m = maxWeightMatching(w, rows, cols);
      const seen = new Set(Array.from(m).filter((c) => c >= 0));
      expect(seen.size).toBe(Array.from(m).filter((c) => c >= 0).length); // no column twice
      expect(total(w, cols, m)).toBe(best(w, rows, cols));
    }
  });
});

describe("relabelByOverlap", () => {
  const table = randomTable(400, 7);

  it("keeps the most accounts in place where a largest-overlap-first matching would not", () => {
    // today: 190 accounts in territory 0, 90 in territory 1, the rest unassigned. The engine's territory 0 holds
    // 100 of today's 0 and all 90 of today's 1; its territory 1 the other 90 of today's 0. Largest overlap first
    // gives engine 0 → today's 0 (100 kept); the best matching is engine 0 → 1, engine 1 → 0 (90 + 90 kept).
    const assignment = new Int32Array(table.size).fill(-1);
    const res = new Array<number>(table.size).fill(0);
    for (let i = 0; i < 280; i++) {
      assignment[i] = i < 190 ? 0 : 1;
      res[i] = i < 100 ? 0 : i < 190 ? 1 : 0;
    }
    const built = buildBalanceInput(table, assignment, null, 2, countSetup(2, 1));
    const result = { assignment: Array.from(built.pointToAccount, (i) => res[i]) };
    const input = relabelByOverlap(built, result, assignment);
    expect(Array.from(input.planTerritory)).toEqual([1, 0]);
    const next = applyBalance(input, result, assignment);
    let kept = 0;
    for (let i = 0; i < 280; i++) if (next[i] === assignment[i]) kept++;
    expect(kept).toBe(180);
  });

  it("renumbers the engine's territories to today's by overlap (a permuted result moves nothing)", () => {
    const assignment = strips(table, 4, [0, 1, 2, 3]);
    const built = buildBalanceInput(table, assignment, null, 5, countSetup(4, 1));
    const perm = [2, 0, 3, 1];
    const result = { assignment: Array.from(assignment, (t) => perm[t]) };
    const input = relabelByOverlap(built, result, assignment);
    expect(input.planTerritory).toEqual([1, 3, 0, 2]);
    expect(Array.from(applyBalance(input, result, assignment))).toEqual(Array.from(assignment));
  });

  it("keeps locked accounts in their territory, takes unmatched territories before new ones", () => {
    const assignment = strips(table, 3, [0, 1, 2]);
    const locked = new Uint8Array(table.size);
    const first = assignment.indexOf(2);
    locked[first] = 1;
    const built = buildBalanceInput(table, assignment, locked, 4, countSetup(5, 1));
    // Engine territory 2 holds the locked account plus all of today's territory 0; 4 holds the rest of today's 2;
    // 0, 1 and 3 share today's territory 1.
    const result = { assignment: Array.from(assignment, (t, i) => (i === first ? 2 : t === 0 ? 2 : t === 2 ? 4 : [0, 1, 3][i % 3])) };
    const input = relabelByOverlap(built, result, assignment);
    expect(input.planTerritory[2]).toBe(2); // the lock wins over the larger overlap with territory 0
    const share = [0, 1, 3].map((t) => result.assignment.filter((x) => x === t).length);
    expect(input.planTerritory[[0, 1, 3][share.indexOf(Math.max(...share))]]).toBe(1);
    // The others take today's unmatched territories (0, then 3, empty today) before a new one (4).
    expect([...input.planTerritory].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(applyBalance(input, result, assignment)[first]).toBe(2);
  });

  it("leaves chosen reps (fixed centres) unchanged", () => {
    const assignment = strips(table, 2, [0, 1]);
    const built = buildBalanceInput(table, assignment, null, 2, {
      ...countSetup(2, 1),
      reps: [
        { repId: "r0", home: [-100, 40], territory: 1 },
        { repId: "r1", home: [-80, 40], territory: 0 },
      ],
    });
    const result = { assignment: Array.from(assignment, (t) => 1 - t) };
    expect(relabelByOverlap(built, result, assignment)).toBe(built);
  });
});

describe("re-balance with the disruption setting (count mode)", () => {
  // 1,000 accounts: the dense solver (n ≤ 2,500); 4,000: centres among the points by location–allocation.
  for (const n of [1000, 4000]) {
    const table = randomTable(n, 11);
    const k = 6;

    it(`${n} accounts: a balanced plan re-balanced with disruption "strongly" keeps its territories; "not at all" reorganises`, async () => {
      const plan = strips(table, k);
      const strong = await rebalance(table, plan, k, 4);
      expect(strong.preview.feasible).toBe(true);
      expect(strong.preview.maxDeviation[0]).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(strong.preview.moved).toBe(strong.moved);
      // Every strip keeps (nearly) all its accounts under its own index, i.e. its name and rep.
      expect(Math.min(...kept(plan, strong.next, k))).toBeGreaterThanOrEqual(0.97);
      expect(strong.moved).toBeLessThanOrEqual(0.01 * n);

      const free = await rebalance(table, plan, k, 0);
      expect(free.preview.maxDeviation[0]).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(free.preview.moved).toBe(free.moved);
      // Compact territories instead of strips: many accounts move, counted against the best-matching strips
      // (numbered as the engine numbers them, nearly every account would "move").
      expect(free.moved).toBeGreaterThan(0.2 * n);
      expect(free.moved).toBeLessThan(0.6 * n);
      // No bound is proven for centres among the points: the preview says so rather than showing a gap.
      expect(strong.preview.gapToBound).toBeNull();
      expect(free.preview.gapToBound).toBeNull();
      console.log(`n=${n}: strongly ${strong.moved} moved, not at all ${free.moved} moved`);
    });
  }

  for (const n of [1000, 4000]) {
    it(`${n} accounts: the balancer's own plan, renumbered, re-balanced "a little" to "strongly" keeps its territories`, async () => {
      const table = randomTable(n, 5);
      const k = 8;
      const first = await rebalance(table, new Int32Array(table.size).fill(-1), k, 0, 0);
      expect(first.preview.maxDeviation[0]).toBeLessThanOrEqual(0.05 + 1e-9);
      // The manager's plan: the balancer's territories, numbered as they were saved.
      const order = shuffled(k);
      const plan = first.next.map((t) => (t < 0 ? t : order[t]));
      const figures: string[] = [];
      for (const moveCostFactor of [1, 4]) {
        const again = await rebalance(table, plan, k, moveCostFactor);
        expect(again.preview.maxDeviation[0]).toBeLessThanOrEqual(0.05 + 1e-9);
        expect(again.moved).toBeLessThanOrEqual(0.01 * n);
        expect(Math.min(...kept(plan, again.next, k))).toBeGreaterThanOrEqual(0.97);
        figures.push(`${moveCostFactor}×: ${again.moved}`);
      }
      // One territory more, "moderately": the new territory's share moves (n / (k + 1) at the least), plus what the
      // trade-off between compactness and moves gives up; numbered as the engine numbers them, most accounts would move.
      const grown = await rebalance(table, plan, k + 1, 2);
      expect(grown.preview.territories).toHaveLength(k + 1);
      expect(grown.preview.maxDeviation[0]).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(grown.moved).toBeGreaterThanOrEqual(Math.floor((n / (k + 1)) * 0.95));
      expect(grown.moved).toBeLessThanOrEqual(0.4 * n);
      expect(grown.preview.territories.map((t) => t.planTerritory).sort((a, b) => a - b)).toEqual(
        Array.from({ length: k + 1 }, (_, t) => t),
      );
      console.log(
        `n=${n}, re-balance of the balancer's plan (moved by disruption) ${figures.join(", ")}; into ${k + 1}: ${grown.moved} moved`,
      );
    });
  }
});
