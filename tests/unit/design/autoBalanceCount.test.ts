import { createInProcessBalancerClient } from "../../../TerritoryMapControl/adapters/worker/BalancerClient";
import { checkCoordinates } from "../../../TerritoryMapControl/domain/accounts";
import { buildAccountTable, balancePreview, buildBalanceInput, type BalanceSetup } from "../../../TerritoryMapControl/domain/design";
import { generateSampleOrg } from "../../../local/seed/sampleOrg";
import { anAccount } from "./builders";

/**
 * "A number of territories" (centres among the accounts) on the sample org's accounts — metro clusters plus remote
 * points (Alaska, Hawaii, swapped and sign-flipped coordinates that are still in range). Centres seeded on remote
 * accounts, or a round cut short by the deadline replacing a better plan, would leave the preview far outside
 * the bands.
 */
describe("auto-balance: a number of territories on clustered accounts with remote points", () => {
  it("20,000 accounts into 20 territories at ±5 % on account count stays within the tolerance", async () => {
    const org = generateSampleOrg({ accounts: 20000 });
    const accounts = org.accounts.map((r, i) => {
      const c = checkCoordinates(r.address1_latitude, r.address1_longitude);
      return anAccount(i, c.longitude, c.latitude, { placement: c.placement });
    });
    const table = buildAccountTable(accounts, ["revenue", "workload"]);
    let remote = 0;
    for (let i = 0; i < table.size; i++) if (!Number.isNaN(table.lon[i]) && !(table.lon[i] < -60 && table.lat[i] > 24)) remote++;
    expect(remote).toBeGreaterThan(0); // the data has the remote points that triggered the bug
    const assignment = new Int32Array(table.size).fill(-1);
    const setup: BalanceSetup = {
      territories: 20,
      reps: null,
      measures: [{ kind: "count" }],
      tolerance: 0.05,
      respectLocks: true,
      moveCostFactor: 0,
    };
    const input = buildBalanceInput(table, assignment, null, 0, setup);
    const result = await createInProcessBalancerClient().solve(input.problem, { timeLimitMs: 6000 });
    const preview = balancePreview(input, result, assignment);
    expect(preview.territories).toHaveLength(20);
    expect(preview.territories.reduce((s, t) => s + t.accounts, 0)).toBe(input.problem.n);
    expect(preview.maxDeviation[0]).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(preview.feasible).toBe(true);
    expect(preview.infeasibility).toEqual([]);
  });
});
