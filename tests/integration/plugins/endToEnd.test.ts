/**
 * End to end on the local stand-in: registration through the Web API, the stand-in's webhook dispatch, the
 * handler server, and the database afterwards.
 */
import { accountFromRow } from "../../../plugins/src/handlers/assign";
import { oracleTerritory } from "../../../plugins/dev/fixture";
import { proposalMarker } from "../../../plugins/src/handlers/repLeaves";
import { DataverseHttpClient } from "../../../dataverse/client/DataverseHttpClient";
import { registerWebhooks } from "../../../scripts/register-webhooks";
import { startPluginEnv, WEBHOOK_KEY, type PluginEnv } from "./helpers";

jest.setTimeout(60_000);

describe("plugins end to end (local stand-in → webhook → handlers)", () => {
  let env: PluginEnv;
  beforeAll(async () => {
    env = await startPluginEnv({
      accounts: 3000,
      fixture: { territories: 8, postalCodes: 400, applyAssignments: true, ownersFollowTerritories: true },
    });
  });
  afterAll(() => env?.close());

  const account = (id: string) => env.dataverse.service.store.get("account", id)!;

  it("re-registering changes nothing", async () => {
    const lines: string[] = [];
    const report = await registerWebhooks(new DataverseHttpClient({ baseUrl: env.dataverse.url }), {
      url: env.handlers.url,
      key: WEBHOOK_KEY,
      print: (l) => lines.push(l),
    });
    expect(
      Object.entries(report)
        .filter(([k]) => k.startsWith("step"))
        .every(([, v]) => v === "unchanged"),
    ).toBe(true);
    expect(lines.length).toBe(Object.keys(report).length);
  });

  it("a created account gets its territory (and owner) from the published plan", async () => {
    const id = await env.user.create("accounts", {
      name: "Pike Place Fish",
      address1_latitude: 47.6097,
      address1_longitude: -122.3422,
      address1_postalcode: "98101",
      industrycode: 3,
      numberofemployees: 20,
    });
    await env.dataverse.service.webhooks.idle();
    const row = account(id);
    const expected = oracleTerritory(env.fixture, accountFromRow(row));
    expect(expected).toBeGreaterThanOrEqual(0);
    expect(row.territoryid).toBe(env.fixture.territories[expected].territoryId);
    expect(row.ownerid).toBe(env.fixture.territories[expected].repId);
    const delivery = env.dataverse.service.webhooks.deliveries.find((d) => d.id === id)!;
    expect(delivery.status).toBe(200);
  });

  it("moving an account reassigns it; an account matching nothing is unassigned, not dropped", async () => {
    const id = await env.user.create("accounts", { name: "Mover Inc", address1_latitude: 40.7128, address1_longitude: -74.006 });
    await env.dataverse.service.webhooks.idle();
    const before = account(id).territoryid;
    await env.user.update("accounts", id, { address1_latitude: 34.0522, address1_longitude: -118.2437, address1_postalcode: null });
    await env.dataverse.service.webhooks.idle();
    const after = account(id);
    expect(after.territoryid).toBe(env.fixture.territories[oracleTerritory(env.fixture, accountFromRow(after))].territoryId);
    expect(after.territoryid).not.toBe(before);
    // Off the map (London, no postal code): no territory → Unassigned view (territoryid null).
    await env.user.update("accounts", id, { address1_latitude: 51.5, address1_longitude: -0.12 });
    await env.dataverse.service.webhooks.idle();
    expect(account(id).territoryid ?? null).toBeNull();
    expect(account(id).name).toBe("Mover Inc");
  });

  it("an update of other columns does not call the handler (filteringattributes)", async () => {
    const id = await env.user.create("accounts", { name: "Quiet Co", address1_latitude: 39.74, address1_longitude: -104.99 });
    await env.dataverse.service.webhooks.idle();
    const n = env.dataverse.service.webhooks.deliveries.length;
    await env.user.update("accounts", id, { name: "Quiet Co (renamed)" });
    await env.dataverse.service.webhooks.idle();
    expect(env.dataverse.service.webhooks.deliveries.length).toBe(n);
  });

  it("disabling a rep produces a proposal draft without their territory", async () => {
    const rep = env.fixture.territories[1].repId!;
    await env.user.update("systemusers", rep, { isdisabled: true });
    await env.dataverse.service.webhooks.idle();
    const drafts = [...env.dataverse.service.store.rows("tmap_plan")].filter(
      (p) => p.tmap_status === 612000000 && String(p.tmap_notes ?? "").includes(proposalMarker(rep, env.fixture.planId)),
    );
    expect(drafts).toHaveLength(1);
    expect(drafts[0].tmap_savestate).toBe(612000001);
    const metrics = JSON.parse(String(drafts[0].tmap_metrics)) as { territories: Array<{ repId: string | null; accountCount: number }> };
    expect(metrics.territories.some((t) => t.repId === rep)).toBe(false);
    expect(metrics.territories).toHaveLength(
      env.fixture.territories.length - 1 - (env.fixture.territories.filter((t) => t.repId === rep).length - 1),
    );
    expect(drafts[0].tmap_parentplanid).toBe(env.fixture.planId);
    const removedKeys = new Set(env.fixture.territories.filter((t) => t.repId === rep).map((t) => t.key));
    const copied = [...env.dataverse.service.store.rows("tmap_assignmentrule")].filter((r) => r.tmap_planid === drafts[0].tmap_planid);
    expect(copied.map((r) => r.tmap_territorykey).sort()).toEqual(
      env.fixture.rules
        .filter((r) => !removedKeys.has(r.territoryKey))
        .map((r) => r.territoryKey)
        .sort(),
    );
    // A redelivery (or a second disable event) does not make a second proposal.
    await env.user.update("systemusers", rep, { isdisabled: false });
    await env.user.update("systemusers", rep, { isdisabled: true });
    await env.dataverse.service.webhooks.idle();
    expect(
      [...env.dataverse.service.store.rows("tmap_plan")].filter((p) =>
        String(p.tmap_notes ?? "").includes(proposalMarker(rep, env.fixture.planId)),
      ),
    ).toHaveLength(1);
  });

  it("setting a plan to Publishing publishes it server-side (publish engine)", async () => {
    const proposal = [...env.dataverse.service.store.rows("tmap_plan")].find((p) => p.tmap_status === 612000000)!;
    await env.user.update("tmap_plans", String(proposal.tmap_planid), { tmap_status: 612000003 });
    await env.dataverse.service.webhooks.idle();
    await env.handlers.app.publisher.idle();
    await env.dataverse.service.webhooks.idle();
    const delivery = env.dataverse.service.webhooks.deliveries.filter((d) => d.table === "tmap_plan" && d.id === proposal.tmap_planid);
    expect(delivery.length).toBeGreaterThan(0);
    expect(delivery.every((d) => d.status === 200 || d.status === 202)).toBe(true);
    const logs = [...env.dataverse.service.store.rows("tmap_publishlog")].filter((l) => l.tmap_planid === proposal.tmap_planid);
    expect(logs).toHaveLength(1);
    const plan = env.dataverse.service.store.get("tmap_plan", String(proposal.tmap_planid))!;
    expect(plan.tmap_status).toBe(612000001); // Published
    // The handlers now assign by the new plan: an account inside the removed territory lands in another one.
    const removed = env.fixture.territories[1];
    const ring = (removed.geometry as { coordinates: number[][][] }).coordinates[0].slice(0, -1);
    const [lon, lat] = [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
    const id = await env.user.create("accounts", {
      name: "After the move",
      address1_latitude: Number(lat.toFixed(5)),
      address1_longitude: Number(lon.toFixed(5)),
    });
    await env.dataverse.service.webhooks.idle();
    const t = account(id).territoryid;
    expect(t).toBeTruthy();
    expect(t).not.toBe(removed.territoryId);
  });
});
