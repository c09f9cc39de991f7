/** The published plan cache: one probe per check interval, reloaded only when the published plan changed. */
import { startDataverseServer, type DataverseServer } from "../../../local/dataverse";
import { developmentTables } from "../../../local/developmentSchema";
import { seedIfEmpty } from "../../../local/seed";
import { DataverseHttpClient } from "../../../dataverse/client/DataverseHttpClient";
import { createPublishedPlan, type PublishedFixture } from "../../../plugins/dev/fixture";
import { assignmentSettings, PublishedPlanSource } from "../../../plugins/src/plan/PublishedPlanSource";

jest.setTimeout(30_000);

describe("PublishedPlanSource", () => {
  let dv: DataverseServer;
  let fixture: PublishedFixture;
  beforeAll(async () => {
    dv = await startDataverseServer({ port: 0, dbPath: ":memory:", tables: developmentTables() });
    seedIfEmpty(dv.service.store, { accounts: 800 });
    fixture = await createPublishedPlan(dv.service.store, dv.url, { territories: 4, postalCodes: 50 });
  });
  afterAll(() => dv.close());

  it("caches, probes cheaply, reloads on change, and forgets on invalidate", async () => {
    let now = 0;
    const source = new PublishedPlanSource(new DataverseHttpClient({ baseUrl: dv.url }), 1000, () => now);
    dv.service.resetStats();
    const first = await source.get();
    expect(first?.id).toBe(fixture.planId);
    expect(first?.rules.length).toBe(fixture.rules.length);
    const loadRequests = dv.service.stats().requests;
    expect(loadRequests).toBe(4); // probe, plan, chunks, rules
    expect(await source.get()).toBe(first); // within the interval: no request
    expect(dv.service.stats().requests).toBe(loadRequests);
    now += 1500;
    expect(await source.get()).toBe(first); // served at once; the probe runs in the background and finds no change
    await source.settle();
    expect(dv.service.stats().requests).toBe(loadRequests + 1);
    await new DataverseHttpClient({ baseUrl: dv.url }).update("tmap_plans", fixture.planId, { tmap_notes: "changed" });
    now += 1500;
    expect(await source.get()).toBe(first); // stale while the changed plan loads
    await source.settle();
    const reloaded = await source.get();
    expect(reloaded).not.toBe(first);
    expect(reloaded?.stamp).not.toBe(first?.stamp);
    source.invalidate(); // e.g. a rule changed: the plan's stamp does not, so the plan is reloaded
    const afterRuleChange = await source.get();
    expect(afterRuleChange).not.toBe(reloaded);
    expect(dv.service.stats().requests).toBe(loadRequests + 2 + 4 + 4); // notes update + probe, reload, reload after invalidate
  });
});

describe("assignment settings", () => {
  it("owners follow territories: `assignment.ownersFollowTerritories`, else the top level of older plans", () => {
    expect(assignmentSettings({ assignment: { ownersFollowTerritories: true } }).ownersFollowTerritories).toBe(true);
    expect(assignmentSettings({ ownersFollowTerritories: true }).ownersFollowTerritories).toBe(true);
    expect(
      assignmentSettings({ ownersFollowTerritories: true, assignment: { ownersFollowTerritories: false } }).ownersFollowTerritories,
    ).toBe(false);
    expect(assignmentSettings(null).ownersFollowTerritories).toBe(false);
  });
});
