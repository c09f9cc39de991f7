/**
 * The planning layer without React: a TerritoryMapSession over the fakes behind every port (accounts, drafts over
 * the in-memory Web API, FakeMap, the in-process balancer, a recording file sink). What a manager does, command by
 * command, and what the map is asked to show.
 */
import { TerritoryMapSession } from "../../../TerritoryMapControl/app/TerritoryMapSession";
import type { PublishingPort, PublishResult } from "../../../TerritoryMapControl/app/ports";
import { FakeAccountRepository } from "../../../TerritoryMapControl/adapters/dataverse/FakeAccountRepository";
import { createFakeDraftRepository } from "../../../dataverse/drafts/FakeDraftRepository";
import { FakeMap } from "../../../TerritoryMapControl/adapters/map/FakeMap";
import { RecordingNavigation } from "../../../TerritoryMapControl/adapters/navigation/RecordingNavigation";
import { createInProcessBalancerClient } from "../../../TerritoryMapControl/adapters/worker/BalancerClient";
import type { Account } from "../../../TerritoryMapControl/domain/accounts";
import type { DrawnShape } from "../../../TerritoryMapControl/domain/design/shapes";
import { planIdOf, type FormContext } from "../../../TerritoryMapControl/app/form/PlanFormBinding";
import { anAccount } from "../control/builders";

const T1 = "10000000-0000-4000-8000-000000000001";
const T2 = "10000000-0000-4000-8000-000000000002";
const ANA = "20000000-0000-4000-8000-000000000001";
const BO = "20000000-0000-4000-8000-000000000002";
const id = (i: number) => `30000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
const t = (key: string) => key;

/** 6 accounts in West around (-100, 40), 2 in East around (-80, 40), 1 unassigned; revenue and workload. */
function accounts(): Account[] {
  return Array.from({ length: 9 }, (_, i) =>
    anAccount({
      id: id(i),
      name: `Account ${i}`,
      territoryId: i < 6 ? T1 : i < 8 ? T2 : null,
      latitude: 40 + i / 100,
      longitude: i < 6 ? -100 + i / 100 : -80 + i / 100,
      postalCode: i < 6 ? "80202" : "10001",
      measures: [i < 6 ? 100 : 500, 10],
    }),
  );
}

interface Setup {
  session: TerritoryMapSession;
  map: FakeMap;
  files: { name: string; mimeType: string; content: string }[];
  drafts: ReturnType<typeof createFakeDraftRepository>;
  navigation: RecordingNavigation;
}

async function opened(
  publishing?: PublishingPort,
  options: { drafts?: ReturnType<typeof createFakeDraftRepository>; form?: FormContext; onOutput?: () => void; refuse?: string } = {},
): Promise<Setup> {
  const repository = new FakeAccountRepository({
    accounts: accounts(),
    territories: [
      { id: T1, name: "West", managerId: ANA, parentId: null },
      { id: T2, name: "East", managerId: null, parentId: null },
    ],
    reps: [
      { id: ANA, fullName: "Ana Rep", homeBase: { latitude: 40, longitude: -100 } },
      { id: BO, fullName: "Bo Rep", homeBase: { latitude: 40, longitude: -80 } },
    ],
  });
  const drafts = options.drafts ?? createFakeDraftRepository();
  const files: Setup["files"] = [];
  const navigation = new RecordingNavigation(options.refuse);
  const session = new TerritoryMapSession(
    {
      accounts: repository,
      drafts: drafts.repository,
      publishing,
      createBalancer: () => createInProcessBalancerClient(),
      files: { save: (f) => files.push(f) },
      navigation,
    },
    {
      accountScope: "statecode eq 0",
      measureColumns: ["revenue", "tmap_workloadhours"],
      measureRoles: { revenue: "revenue", workload: "tmap_workloadhours" },
      mapsKeyVariable: "",
    },
    t,
    options.onOutput,
  );
  if (options.form) session.form.update(options.form);
  const map = new FakeMap({}, { designParts: true });
  session.start();
  session.loader.attachMap(map, session.loader.get().loadKey);
  await until(() => session.plan.plan !== null && session.loader.get().territories.length === 2);
  await until(() => session.design.get().mapParts !== null);
  return { session, map, files, drafts, navigation };
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

function box(idText: string, lon0: number, lon1: number): DrawnShape {
  return {
    id: idText,
    kind: "box",
    geometry: {
      type: "Polygon",
      coordinates: [
        [
          [lon0, 39],
          [lon1, 39],
          [lon1, 41],
          [lon0, 41],
          [lon0, 39],
        ],
      ],
    },
  };
}

function rectangle(idText: string, lon0: number, lon1: number): DrawnShape {
  return { ...box(idText, lon0, lon1), kind: "rectangle" };
}

const counts = (s: TerritoryMapSession) =>
  Object.fromEntries(s.plan.plan!.territories.map((x, i) => [x.name, s.plan.plan!.totals.accounts[i]]));

describe("opening the plan", () => {
  it("plots every page on the map, then builds the live plan from Dynamics' territories", async () => {
    const { session, map } = await opened();
    expect(map.added.flat()).toHaveLength(9);
    expect(session.loader.get().load.status).toBe("done");
    expect(counts(session)).toEqual({ West: 6, East: 2 });
    expect(session.plan.plan!.totals.unassignedAccounts).toBe(1);
    expect(session.plan.plan!.territories.find((x) => x.name === "West")!.repId).toBe(ANA);
  });

  it("queues pages until the map exists, and a map of an earlier load is ignored", async () => {
    const session = new TerritoryMapSession(
      {
        accounts: new FakeAccountRepository({ accounts: accounts() }),
        drafts: createFakeDraftRepository().repository,
        createBalancer: () => createInProcessBalancerClient(),
        files: { save: () => undefined },
        navigation: new RecordingNavigation(),
      },
      { accountScope: "", measureColumns: [], measureRoles: { revenue: null, workload: null }, mapsKeyVariable: "" },
      t,
    );
    session.start();
    await until(() => session.loader.get().load.allLoaded);
    expect(session.loader.get().load.status).toBe("loading"); // waits for the map to draw
    const stale = new FakeMap();
    session.loader.attachMap(stale, "an earlier load");
    expect(stale.added).toHaveLength(0);
    const map = new FakeMap();
    session.loader.attachMap(map, session.loader.get().loadKey);
    expect(map.added.flat()).toHaveLength(9);
    await until(() => session.loader.get().load.status === "done");
  });
});

describe("the card's edits", () => {
  it("moves accounts and redraws only those; the plan becomes unsaved", async () => {
    const { session, map } = await opened();
    const east = session.plan.plan!.territories.find((x) => x.name === "East")!.key;
    session.plan.move([id(0), id(1)], east);
    expect(counts(session)).toEqual({ West: 4, East: 4 });
    expect(session.plan.plan!.dirty).toBe(true);
    expect(map.applied[map.applied.length - 1].changed).toEqual([id(0), id(1)]);
    expect(session.plan.get().notice).toMatchObject({ testId: "move-info", data: { moved: 2 } });
  });

  it("deletes a territory: its accounts become unassigned and nothing stays selected", async () => {
    const { session } = await opened();
    const east = session.plan.plan!.territories.find((x) => x.name === "East")!.key;
    session.plan.select(east);
    session.plan.deleteTerritory(east);
    expect(counts(session)).toEqual({ West: 6 });
    expect(session.plan.plan!.totals.unassignedAccounts).toBe(3);
    expect(session.plan.get().selectedKey).toBeNull();
  });

  it("knows which measure is revenue and which is workload from the settings", async () => {
    const { session } = await opened();
    expect(session.plan.measureIndex("revenue")).toBe(0);
    expect(session.plan.measureIndex("workload")).toBe(1);
  });
});

describe("drafts", () => {
  it("asks for a name first, then to overwrite; Save as new draft keeps the lineage", async () => {
    const { session, drafts } = await opened();
    expect(session.drafts.saveQuestion()).toBe("name");
    await session.drafts.saveAsDraft("FY27");
    const first = session.plan.plan!.source!;
    expect(first).toMatchObject({ name: "FY27", version: 1 });
    expect(session.plan.plan!.dirty).toBe(false);
    expect(session.drafts.saveQuestion()).toBe("overwrite");
    await session.drafts.saveAsNewDraft(session.drafts.newName());
    const second = session.plan.plan!.source!;
    expect(second.parentId).toBe(first.draftId);
    expect(second.draftId).not.toBe(first.draftId);
    expect(drafts.webApi.rows("tmap_plan")).toHaveLength(2);
  });

  it("a conflicting save overwrites nothing; Reload replaces the plan with the other version", async () => {
    const { session, drafts } = await opened();
    await session.drafts.saveAsDraft("Shared");
    const draftId = session.plan.plan!.source!.draftId!;
    const theirs = await drafts.repository.loadDraft(draftId);
    await drafts.repository.saveAsDraft({ ...theirs.draft, notes: "theirs" });
    const east = session.plan.plan!.territories.find((x) => x.name === "East")!.key;
    session.plan.move([id(0)], east);
    await session.drafts.overwrite();
    expect(session.drafts.get().conflict?.planId).toBe(draftId);
    expect((await drafts.repository.loadDraft(draftId)).draft.notes).toBe("theirs");
    expect(session.plan.plan!.dirty).toBe(true);
    await session.drafts.reloadConflicted();
    expect(session.drafts.get().conflict).toBeNull();
    expect(session.plan.plan!.dirty).toBe(false);
    expect(counts(session)).toEqual({ West: 6, East: 2 });
  });

  it("replots territories of two drafts as one new, unsaved plan", async () => {
    const { session } = await opened();
    await session.drafts.saveAsDraft("A");
    const a = session.plan.plan!.source!.draftId!;
    const westKey = session.plan.plan!.territories.find((x) => x.name === "West")!.key;
    const eastKey = session.plan.plan!.territories.find((x) => x.name === "East")!.key;
    await session.drafts.saveAsNewDraft("B");
    const b = session.plan.plan!.source!.draftId!;
    await session.drafts.replot([
      { draftId: a, keys: [westKey] },
      { draftId: b, keys: [eastKey] },
    ]);
    expect(session.plan.plan!.source!.draftId).toBeNull();
    expect(session.plan.plan!.source!.fromDrafts.map((d) => d.id)).toEqual([a, b]);
    expect(counts(session)).toEqual({ West: 6, East: 2 });
    expect(session.plan.get().notice?.testId).toBe("replot-info");
  });

  it("a replot takes over territory records renamed in Dynamics and says what differed; a deleted record loses nothing", async () => {
    const { session, drafts } = await opened();
    await session.drafts.saveAsDraft("Edited in Dynamics");
    const draftId = session.plan.plan!.source!.draftId!;
    const rows = drafts.webApi.rows("tmap_draftterritory");
    const west = rows.find((r) => r.tmap_name === "West")!;
    const east = rows.find((r) => r.tmap_name === "East")!;
    await drafts.webApi.updateRecord("tmap_draftterritory", String(west.tmap_draftterritoryid), { tmap_name: "West Coast" });
    await drafts.webApi.deleteRecord("tmap_draftterritory", String(east.tmap_draftterritoryid));
    await session.drafts.replot([{ draftId }]);
    const notice = session.plan.get().notice!;
    expect(notice).toMatchObject({ testId: "replot-info", intent: "warning", data: { rowDifferences: 2 } });
    expect(notice.text).toContain("Replot_RowsReconciled");
    expect(counts(session)).toEqual({ "West Coast": 6, East: 2 });
    expect(session.plan.plan!.source!.draftId).toBe(draftId);
  });
  it("a stored colour that is not #rrggbb is drawn in the fallback grey with a message, not dropped silently", async () => {
    const { session, drafts } = await opened();
    await session.drafts.saveAsDraft("A");
    const id = session.plan.plan!.source!.draftId!;
    // Saving refuses such a colour; a record changed behind the product's back can still carry one.
    const stored = await drafts.repository.loadDraft(id);
    const bad = "red;background:url(javascript:alert(1))";
    const tampered = { ...stored.draft, territories: stored.draft.territories.map((x, i) => (i === 0 ? { ...x, color: bad } : x)) };
    await expect(drafts.repository.saveAsDraft(tampered)).rejects.toThrow(/#rrggbb/);
    jest.spyOn(drafts.repository, "loadDraft").mockResolvedValue({ ...stored, draft: tampered });
    await session.drafts.replot([{ draftId: id }]);
    const notice = session.plan.get().notice!;
    expect(notice.intent).toBe("warning");
    expect(notice.data).toMatchObject({ badColors: 1 });
    expect(notice.text).toContain("Replot_BadColors"); // the resx string (this session's strings are their keys)
    expect(session.plan.plan!.territories.find((x) => x.key === stored.draft.territories[0].key)!.color).toBe("#808080");
  });
});

describe("on a Plan form", () => {
  it("a save writes the plan to the bound column; the form opens that plan next time, from the column or the record", async () => {
    let outputs = 0;
    const first = await opened(undefined, { onOutput: () => outputs++ });
    await first.session.drafts.saveAsDraft("FY27");
    const value = first.session.form.output();
    const id = first.session.plan.plan!.source!.draftId!;
    expect(JSON.parse(value ?? "")).toEqual({ planId: id, version: 1 });
    expect(outputs).toBe(1);
    // the value coming back from the form is the plan on screen: nothing is reopened
    first.session.form.update({ boundValue: value, recordId: null, recordTable: null });
    expect(first.session.form.get().status).toBe("opened");

    for (const form of [
      { boundValue: value, recordId: null, recordTable: null },
      { boundValue: null, recordId: `{${id.toUpperCase()}}`, recordTable: "tmap_plan" },
    ]) {
      const next = await opened(undefined, { drafts: first.drafts, form });
      await until(() => next.session.form.get().status === "opened");
      expect(next.session.plan.plan!.source).toMatchObject({ draftId: id, name: "FY27" });
      expect(next.session.plan.plan!.dirty).toBe(false);
    }
  });

  it("a deleted plan or a value that is not a plan: a message and the plans to choose from; the live plan stays", async () => {
    const missing = await opened(undefined, {
      form: { boundValue: '{"planId":"99999999-0000-4000-8000-000000000000"}', recordId: null, recordTable: null },
    });
    await until(() => missing.session.form.get().status === "missing");
    expect(missing.session.form.get().problem).toBeTruthy();
    expect(missing.session.plan.plan!.source).toBeNull();
    const invalid = await opened(undefined, { form: { boundValue: "FY27 west", recordId: null, recordTable: null } });
    expect(invalid.session.form.get()).toMatchObject({ status: "invalid", problem: "FY27 west" });
    expect(planIdOf("{6D2C1F40-0A5E-4B7D-8C3E-5A17C0DE2026}")).toBe("6d2c1f40-0a5e-4b7d-8c3e-5a17c0de2026");
    expect(planIdOf('{"view":{"zoom":4}}')).toBeNull();
    // on another table's form the record is not a plan
    const other = await opened(undefined, { form: { boundValue: null, recordId: T1, recordTable: "account" } });
    expect(other.session.form.get().status).toBe("none");
  });
});

describe("publish", () => {
  const publishing = (): PublishingPort & { planIds: string[] } => {
    const planIds: string[] = [];
    return {
      planIds,
      publisherFor: (planId) => (planIds.push(planId), () => new Promise(() => undefined)),
      checkPrivileges: async () => null,
    };
  };

  it("is possible only for a saved, unchanged draft of a user with the rights", async () => {
    expect((await opened()).session.publish.blockedReason()).toBe("Publish_NeedsDraft");
    const port = publishing();
    const { session } = await opened(port);
    await until(() => session.publish.get().disabledReason === null);
    expect(session.publish.blockedReason()).toBe("Publish_NeedsDraft");
    await session.drafts.saveAsDraft("FY27");
    expect(session.publish.blockedReason()).toBeNull();
    session.publish.open();
    expect(port.planIds).toEqual([session.plan.plan!.source!.draftId]);
    session.plan.move([id(0)], null);
    expect(session.publish.blockedReason()).toBe("Publish_NeedsSave");
  });

  it("after a publish the plan is linked to the Dynamics territories written and marked published", async () => {
    const { session } = await opened(publishing());
    await session.drafts.saveAsDraft("FY27");
    const planId = session.plan.plan!.source!.draftId!;
    const keys = session.plan.plan!.territories.map((x) => x.key);
    const result = {
      planId,
      status: "published",
      territoryIds: Object.fromEntries(keys.map((k) => [k, k])),
      conflicts: [],
      failures: [],
      written: { accounts: 0, territoriesCreated: 0, territoriesUpdated: 0 },
    } as unknown as PublishResult;
    session.publish.published(result);
    expect(session.plan.plan!.source!.status).toBe("published");
    expect(session.drafts.saveQuestion()).toBe("new-name");
    expect(session.plan.get().notice).toMatchObject({ testId: "publish-info", data: { status: "published" } });
  });
});

describe("export", () => {
  it("writes CSV (UTF-8 with a byte-order mark), GeoJSON and KML files named after the plan", async () => {
    const { session, files } = await opened();
    await session.drafts.saveAsDraft("FY27 / West?");
    session.exports.export("csv");
    session.exports.export("geojson");
    session.exports.export("kml");
    expect(files.map((f) => f.name)).toEqual(["FY27  West.csv", "FY27  West.geojson", "FY27  West.kml"]);
    expect(files[0].content.startsWith("\ufeff")).toBe(true);
    expect(files[0].content.trim().split("\r\n")).toHaveLength(10);
    const features = (JSON.parse(files[1].content) as { features: { properties: { kind: string } }[] }).features;
    expect(features.filter((f) => f.properties.kind === "account")).toHaveLength(9);
    expect(features.filter((f) => f.properties.kind === "territory")).toHaveLength(session.plan.plan!.territories.length);
    expect((files[2].content.match(/<Placemark /g) ?? []).length).toBeGreaterThanOrEqual(9);
  });
});

describe("account popup", () => {
  it("describes a pin by the plan: territory, its parent, the rep as owner, measures by name", async () => {
    const { session, map } = await opened();
    const plan = session.plan.plan!;
    const i = plan.assignment.findIndex((k) => k >= 0 && plan.territories[k].name === "West");
    const id = plan.table.ids[i];
    const details = map.describePin!(id, null);
    expect(details).toEqual({
      territory: "West",
      color: plan.territories[plan.assignment[i]].color,
      parent: null,
      owner: "Ana Rep",
      measures: [
        { name: "revenue", value: plan.table.values[0][i].toLocaleString(undefined, { maximumFractionDigits: 2 }) },
        { name: "tmap_workloadhours", value: plan.table.values[1][i].toLocaleString(undefined, { maximumFractionDigits: 2 }) },
      ],
    });
    // an unassigned account: the account's own owner when that user is known, an unknown owner is not shown
    const u = plan.assignment.findIndex((k) => k < 0);
    expect(map.describePin!(plan.table.ids[u], BO)).toMatchObject({ territory: "Territories_Unassigned", owner: "Bo Rep", parent: null });
    expect(map.describePin!(plan.table.ids[u], "00000000-0000-0000-0000-00000000dead")!.owner).toBeNull();
  });

  it("Open record opens the account's form through the navigation port; a refusal is a notice", async () => {
    const { session, navigation } = await opened();
    const id = session.plan.plan!.table.ids[0];
    session.openAccount(id);
    expect(navigation.opened).toEqual([{ entityName: "account", entityId: id }]);

    const refused = await opened(undefined, { refuse: "Not allowed" });
    refused.session.openAccount(id);
    await until(() => refused.session.plan.get().notice !== null);
    expect(refused.session.plan.get().notice).toMatchObject({ intent: "error", testId: "open-record-error" });
    expect(refused.session.plan.get().notice!.data).toEqual({ account: id, reason: "Not allowed" });
  });
});

describe("design tools", () => {
  it("a lasso or box selects the accounts inside; moving the selection leaves locked accounts in place", async () => {
    const { session, map } = await opened();
    map.draw(box("b1", -100.5, -99.9));
    expect(session.design.get().selection).toHaveLength(6);
    const summary = session.design.selectionSummary()!;
    expect(summary.totals).toEqual({ count: 6, values: [600, 60] });
    await until(() => map.highlighted?.length === 6);
    // lock two of them, then move all six to East
    const selection = session.design.get().selection!;
    session.design.clearSelection();
    map.draw(box("b2", -100.5, -99.985));
    expect(session.design.get().selection).toHaveLength(2);
    session.design.lockSelection(true);
    const east = session.plan.plan!.territories.find((x) => x.name === "East")!.key;
    map.draw(box("b3", -100.5, -99.9));
    expect(session.design.get().selection).toEqual(selection);
    session.design.moveSelection(east);
    expect(counts(session)).toEqual({ West: 2, East: 6 });
    expect(session.design.get().notice?.data).toEqual({ moved: 4, locked: 2 });
  });

  it("a drawn rectangle creates a territory with the accounts inside and selects it", async () => {
    const { session, map } = await opened();
    map.draw(rectangle("r1", -80.5, -79.9));
    const plan = session.plan.plan!;
    const created = plan.territories[plan.territories.length - 1];
    expect(created.name).toBe("Design_NewTerritoryName");
    expect(counts(session)[created.name]).toBe(3);
    expect(session.plan.get().selectedKey).toBe(created.key);
    expect(created.key).toBe("drawn-r1");
    // The drawn shape stays on the map as the territory's editable outline.
    expect(map.parts!.territoryShapes.map((s) => [s.id, s.kind])).toEqual([["r1", "rectangle"]]);
    // Then it asks for a name, a region and a rep; the accounts came from a top-level territory: no region suggested.
    expect(session.design.get().newTerritory).toEqual({ key: "drawn-r1", suggestedParent: null });
    session.design.describeNewTerritory({ name: "Coastal", parentKey: null, repId: BO });
    const named = session.plan.plan!.territories.find((x) => x.key === "drawn-r1")!;
    expect([named.name, named.parentKey ?? null, named.repId]).toEqual(["Coastal", null, BO]);
    expect(session.design.get().newTerritory).toBeNull();
  });

  it("choosing a territory in the list zooms the map to it", async () => {
    const { session, map } = await opened();
    session.plan.focus(T2);
    expect(session.plan.get().selectedKey).toBe(T2);
    const [w, s, e, n] = map.zooms[map.zooms.length - 1];
    expect([w, s, e, n].map((x) => Math.round(x * 100) / 100)).toEqual([-79.94, 40.06, -79.93, 40.07]);
  });

  it("adding to the selected territory without one selected warns and removes the shape", async () => {
    const { session, map } = await opened();
    session.design.setShapeMode("add");
    map.draw(rectangle("r2", -80.5, -79.9));
    expect(session.design.get().notice).toEqual({ intent: "warning", text: "Design_NeedsTerritory" });
    expect(map.parts!.removed).toEqual(["r2"]);
  });

  it("drawing tools turn pin popups off; clusters hide the pins below their zoom", async () => {
    const { session, map } = await opened();
    session.design.chooseTool("lasso");
    expect(map.pinClicks).toBe(false);
    expect(map.parts!.tool).toBe("lasso");
    session.design.chooseTool("idle");
    expect(map.pinClicks).toBe(true);
    session.design.setClusters(true);
    expect(map.parts!.clusterLayer).toMatchObject({ visible: true, points: 9 });
    expect(map.pinsMinZoom).toBe(7);
  });

  it("a rep leaving: the proposal moves their accounts to the other territory and removes theirs", async () => {
    const { session } = await opened();
    const context = session.design.balanceContext()!;
    expect(context.reps.map((r) => [r.name, r.territoryIndex])).toEqual([
      ["Ana Rep", 1],
      ["Bo Rep", null],
    ]);
    const plan = session.plan.plan!;
    const east = plan.territories.findIndex((x) => x.name === "East");
    const assignment = plan.assignment.map((x) => (x === east ? 1 - east : x));
    session.design.acceptRuntimeChange({
      kind: "rep-leaves",
      assignment,
      moves: { indexes: Int32Array.from([6, 7]), from: Int32Array.from([east, east]), to: Int32Array.from([1 - east, 1 - east]) },
      removedTerritory: east,
    });
    expect(counts(session)).toEqual({ West: 8 });
    expect(session.design.get().notice?.data).toEqual({ moved: 2, unassigned: 0 });
  });
});
