/**
 * Saves that never lose work, against the local Dataverse server over HTTP: two saves at once under injected
 * latency (exactly one wins, the other gets the conflict), a save interrupted before its final step, orphan
 * cleanup by the next save, and territory rows edited or deleted by hand in Dynamics.
 *
 * The final step relies on Dataverse's optimistic concurrency: `If-Match: <etag>` on an update whose record
 * changed since the etag was read answers 412 Precondition Failed with code 0x80060882, and the change set it is
 * part of is not applied ("Perform conditional operations using the Web API",
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api).
 */
import type { DataverseServer } from "../../../local/dataverse";
import { DraftConflictError, DraftSaveError } from "../../../dataverse/drafts/DraftRepository";
import { WebApiDraftRepository } from "../../../dataverse/drafts/WebApiDraftRepository";
import { HttpDraftBulkApi } from "../../../dataverse/drafts/DraftBulkApi";
import { DataverseHttpClient } from "../../../dataverse/client/DataverseHttpClient";
import { bigDraft, triples } from "../../unit/drafts/builders";
import { bulkApi, draftRepository, hostWebApi, startDraftServer } from "./helpers";

jest.setTimeout(120_000);

describe("saves that never lose work (local Dataverse server)", () => {
  let server: DataverseServer;
  let repo: WebApiDraftRepository;

  beforeAll(async () => {
    server = await startDraftServer();
    repo = draftRepository(server);
  });
  afterAll(() => server.close());
  afterEach(() => server.service.faults.clear());

  const partsOf = (planId: string, table: "tmap_assignmentchunk" | "tmap_draftterritory") =>
    [...server.service.store.rows(table)].filter((r) => r.tmap_planid === planId);
  const planRow = (planId: string) => server.service.store.get("tmap_plan", planId) as Record<string, unknown>;

  it("the stand-in answers a stale If-Match with 412 0x80060882 and applies nothing of its change set", async () => {
    const saved = await repo.saveAsDraft(bigDraft(200, 2, 3, "Etag"));
    const etag = `W/"${String(planRow(saved.id).versionnumber)}"`;
    const bulk = bulkApi(server);
    await bulk.updateIfMatch("tmap_plan", saved.id, { tmap_notes: "first" }, etag);
    const chunk = partsOf(saved.id, "tmap_assignmentchunk")[0];
    const e = (await bulk
      .updateIfMatch("tmap_plan", saved.id, { tmap_notes: "second" }, etag, [
        { entity: "tmap_assignmentchunk", id: String(chunk.tmap_assignmentchunkid) },
      ])
      .catch((x: unknown) => x)) as { status: number; code: string; message: string };
    expect(e).toMatchObject({ status: 412, code: "0x80060882" });
    expect(e.message).toBe("The version of the existing record doesn't match the RowVersion property provided.");
    expect(planRow(saved.id).tmap_notes).toBe("first");
    expect(partsOf(saved.id, "tmap_assignmentchunk")).toHaveLength(1);
  });

  it.each([0, 60, 150])(
    "two saves at once with %i ms server latency and jitter: exactly one wins, the other gets a conflict",
    async (latencyMs) => {
      const jitter: typeof fetch = async (input, init) => {
        await new Promise((r) => setTimeout(r, Math.random() * 200));
        return fetch(input, init);
      };
      const client = () => {
        const http = new DataverseHttpClient({ baseUrl: server.url, maxRetries: 0, fetch: jitter });
        return new WebApiDraftRepository(hostWebApi(server), new HttpDraftBulkApi(http));
      };
      for (let trial = 0; trial < 4; trial++) {
        const saved = await repo.saveAsDraft(bigDraft(3_000, 5, 70 + trial, `Race ${latencyMs}/${trial}`));
        const [ada, bob] = [client(), client()];
        const [a, b] = await Promise.all([ada.loadDraft(saved.id), bob.loadDraft(saved.id)]);
        server.service.faults.set({ latencyMs });
        const results = await Promise.allSettled([
          ada.saveAsDraft({ ...a.draft, notes: "Ada" }),
          bob.saveAsDraft({ ...b.draft, notes: "Bob" }),
        ]);
        server.service.faults.clear();
        const won = results.filter((r) => r.status === "fulfilled");
        const lost = results.filter((r) => r.status === "rejected");
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(DraftConflictError);
        const winner = results[0].status === "fulfilled" ? "Ada" : "Bob";
        const stored = await repo.loadDraft(saved.id);
        expect(stored.draft.notes).toBe(winner);
        // the loser removed its own parts; only the winner's version is stored
        const token = planRow(saved.id).tmap_savetoken;
        expect(new Set(partsOf(saved.id, "tmap_assignmentchunk").map((c) => c.tmap_savetoken))).toEqual(new Set([token]));
        expect(new Set(partsOf(saved.id, "tmap_draftterritory").map((c) => c.tmap_savetoken))).toEqual(new Set([token]));
      }
    },
  );

  it("a save interrupted before its final step: no row of the new version is visible, the previous version is intact; the next save removes the orphans", async () => {
    const saved = await repo.saveAsDraft(bigDraft(4_000, 6, 91, "Interrupted overwrite"));
    const before = await repo.loadDraft(saved.id);
    const bulk = bulkApi(server);
    const original = bulk.updateIfMatch.bind(bulk);
    bulk.updateIfMatch = (...args) => {
      server.service.faults.set({ failNext: { count: 1, status: 503, match: "$batch" } });
      return original(...args);
    };
    const interrupted = new WebApiDraftRepository(hostWebApi(server), bulk);
    const renamed = before.draft.territories.map((t) => ({ ...t, name: `${t.name} v2` }));
    const failure = await interrupted.saveAsDraft({ ...before.draft, territories: renamed, notes: "v2" }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DraftSaveError);
    expect(failure).toMatchObject({ stage: "complete", planIncomplete: false });
    server.service.faults.clear();

    // The new version's parts are stored but belong to no version a reader sees.
    expect(partsOf(saved.id, "tmap_draftterritory")).toHaveLength(12);
    const after = await repo.loadDraft(saved.id);
    expect(after.draft.notes).toBe(before.draft.notes);
    expect(after.draft.territories).toEqual(before.draft.territories);
    expect(triples(after.draft)).toEqual(triples(before.draft));
    expect(after.reconciliation).toEqual([]);
    const listed = (await repo.listDrafts()).find((d) => d.id === saved.id)!;
    expect(listed.territories.map((t) => t.name)).toEqual(before.draft.territories.map((t) => t.name));

    // The next successful save (here: someone else's, from the version they loaded) removes the orphans at once.
    const next = await repo.saveAsDraft({ ...after.draft, notes: "v3" });
    expect(new Set(partsOf(saved.id, "tmap_assignmentchunk").map((c) => c.tmap_savetoken))).toEqual(new Set([next.saveToken]));
    expect(partsOf(saved.id, "tmap_draftterritory")).toHaveLength(6);
    expect(new Set(partsOf(saved.id, "tmap_draftterritory").map((c) => c.tmap_savetoken))).toEqual(new Set([next.saveToken]));
  });

  it("a representative that no longer exists in Dynamics does not stop the save: its row is written without the lookup", async () => {
    const draft = bigDraft(1_000, 3, 5, "Gone rep");
    const ghost = "00000000-0000-4000-8000-00000000dead";
    const withGhost = { ...draft, territories: draft.territories.map((t, i) => (i === 0 ? { ...t, repId: ghost } : t)) };
    const saved = await repo.saveAsDraft(withGhost);
    const rows = partsOf(saved.id, "tmap_draftterritory");
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.tmap_repid == null)).toBe(true);
    const loaded = await repo.loadDraft(saved.id);
    expect(loaded.draft.territories[0].repId).toBe(ghost); // the draft keeps it
    expect(loaded.reconciliation).toEqual([]);
  });

  it("territory rows renamed, recoloured or deleted by hand in Dynamics are reconciled on load; nothing is lost", async () => {
    const draft = bigDraft(2_000, 4, 12, "Hand edits");
    const saved = await repo.saveAsDraft(draft);
    const rows = partsOf(saved.id, "tmap_draftterritory").sort((a, b) => Number(a.tmap_index) - Number(b.tmap_index));
    const http = new DataverseHttpClient({ baseUrl: server.url, maxRetries: 0 });
    await http.update("tmap_draftterritories", String(rows[0].tmap_draftterritoryid), { tmap_name: "North (renamed in Dynamics)" });
    await http.update("tmap_draftterritories", String(rows[1].tmap_draftterritoryid), { tmap_color: "#123456" });
    await http.delete("tmap_draftterritories", String(rows[2].tmap_draftterritoryid));

    const loaded = await repo.loadDraft(saved.id);
    const t = draft.territories;
    expect(loaded.reconciliation).toEqual([
      { kind: "renamed", key: t[0].key, territory: t[0].name, from: t[0].name, to: "North (renamed in Dynamics)" },
      { kind: "recolored", key: t[1].key, territory: t[1].name, from: t[1].color, to: "#123456" },
      { kind: "deleted", key: t[2].key, territory: t[2].name },
    ]);
    expect(loaded.draft.territories.map((x) => x.name)).toEqual(["North (renamed in Dynamics)", t[1].name, t[2].name, t[3].name]);
    expect(loaded.draft.territories[1].color).toBe("#123456");
    expect(loaded.draft.territories[2]).toEqual(t[2]); // the deleted row's territory is kept as saved
    expect(triples(loaded.draft)).toEqual(triples(draft));

    // Saving again writes every row; the next load has nothing to reconcile.
    await repo.saveAsDraft(loaded.draft);
    const again = await repo.loadDraft(saved.id);
    expect(again.reconciliation).toEqual([]);
    expect(partsOf(saved.id, "tmap_draftterritory")).toHaveLength(4);
  });
});
