/**
 * Drafts against the local Dataverse server over HTTP, through the dev host's ComponentFramework.WebApi and the
 * organisation's Web API ($batch, If-Match): request counts as the server counts them, the conflict path and an
 * interrupted save (server fault injection).
 */
import type { DataverseServer } from "../../../local/dataverse";
import { DraftConflictError, DraftIncompleteError, DraftSaveError } from "../../../dataverse/drafts/DraftRepository";
import { WebApiDraftRepository } from "../../../dataverse/drafts/WebApiDraftRepository";
import { reconcile } from "../../../TerritoryMapControl/domain/drafts/compare";
import { bigDraft, guids, triples } from "../../unit/drafts/builders";
import { bulkApi, draftRepository, hostWebApi, startDraftServer } from "./helpers";

jest.setTimeout(60_000);

describe("drafts on the local Dataverse server", () => {
  let server: DataverseServer;
  let repo: WebApiDraftRepository;

  beforeAll(async () => {
    server = await startDraftServer();
    repo = draftRepository(server);
  });
  afterAll(() => server.close());

  describe("100,000 accounts, 50 territories", () => {
    const draft = bigDraft(100_000, 50);
    let id = "";

    it("saves in 3 requests (plan, one change set of chunks and 50 territory rows, complete), each under 3 s", async () => {
      server.service.resetStats();
      const started = Date.now();
      const r = await repo.saveAsDraft(draft);
      id = r.id;
      expect(server.service.stats().requests).toBe(3);
      expect(r.requests).toBe(3);
      expect(r.territoryRows).toBe(50);
      expect(Date.now() - started).toBeLessThan(3 * 3000);
      const plan = server.service.store.rows("tmap_plan").next().value as Record<string, unknown>;
      expect(plan.tmap_savestate).toBe(612000001);
      expect(plan.tmap_chunkcount).toBe(2);
      const rows = [...server.service.store.rows("tmap_draftterritory")];
      expect(rows).toHaveLength(50);
      expect(new Set(rows.map((x) => x.tmap_savetoken))).toEqual(new Set([r.saveToken]));
      const first = rows.find((x) => x.tmap_index === 0)!;
      expect(first).toMatchObject({
        tmap_name: draft.territories[0].name,
        tmap_planid: id,
        tmap_version: 1,
        tmap_key: draft.territories[0].key,
      });
      expect(first.tmap_accountcount).toBe([...draft.assignments.territory].filter((t) => t === 0).length);
      expect(typeof first.tmap_target).toBe("number");
      expect(typeof first.tmap_deviation).toBe("number");
    });

    it("loads in 2 requests with every assignment", async () => {
      server.service.resetStats();
      const loaded = await repo.loadDraft(id);
      expect(server.service.stats().requests).toBe(2);
      expect(loaded.reconciliation).toEqual([]);
      expect(triples(loaded.draft)).toEqual(triples(draft));
      expect(loaded.draft.territories).toEqual(draft.territories);
    });

    it("overwrites in 3 requests; only the new chunks and territory rows remain", async () => {
      const loaded = (await repo.loadDraft(id)).draft;
      server.service.resetStats();
      const r = await repo.saveAsDraft({ ...loaded, notes: "v2" });
      expect(server.service.stats().requests).toBe(3);
      const tokens = [...server.service.store.rows("tmap_assignmentchunk")].map((c) => c.tmap_savetoken);
      expect(tokens).toEqual([r.saveToken, r.saveToken]);
      const rowTokens = new Set([...server.service.store.rows("tmap_draftterritory")].map((c) => c.tmap_savetoken));
      expect(rowTokens).toEqual(new Set([r.saveToken]));
      expect(server.service.store.count("tmap_draftterritory")).toBe(50);
    });

    it("lists drafts with territory summaries (from the territory rows) in 1 request", async () => {
      server.service.resetStats();
      const list = await repo.listDrafts();
      expect(server.service.stats().requests).toBe(1);
      expect(list.find((d) => d.id === id)?.territories).toHaveLength(50);
    });

    it("reconciles with accounts deleted and created since", async () => {
      const loaded = (await repo.loadDraft(id)).draft;
      const today = [...loaded.assignments.accountIds.slice(10), ...guids(3, 4242)];
      const r = reconcile(loaded, today);
      expect([r.missing, r.added]).toEqual([10, 3]);
    });
  });

  it("the second of two managers saving the same draft gets a conflict; save as new keeps their work", async () => {
    const saved = await repo.saveAsDraft(bigDraft(3_000, 5, 21, "Shared"));
    const ada = (await repo.loadDraft(saved.id)).draft;
    const bob = (await repo.loadDraft(saved.id)).draft;
    await repo.saveAsDraft({ ...ada, notes: "Ada" });
    const e = await repo.saveAsDraft({ ...bob, notes: "Bob" }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DraftConflictError);
    const child = await repo.saveAsNewDraft({ ...bob, notes: "Bob" });
    expect((await repo.loadDraft(child.id)).draft).toMatchObject({ notes: "Bob", parentId: saved.id, version: 1 });
    expect((await repo.loadDraft(saved.id)).draft.notes).toBe("Ada");
  });

  it("a new save interrupted by a 503 leaves the draft Incomplete; the retry completes it", async () => {
    const small = draftRepository(server, { maxChunkChars: 20_000 });
    const draft = bigDraft(5_000, 6, 33, "Interrupted");
    // The change set of chunks and rows fails with 503: nothing of it is stored.
    const bulk = bulkApi(server);
    const original = bulk.createAtomically.bind(bulk);
    bulk.createAtomically = (rows) => {
      server.service.faults.set({ failNext: { count: 1, status: 503, match: "$batch" } });
      return original(rows);
    };
    const interrupted = new WebApiDraftRepository(hostWebApi(server), bulk, { maxChunkChars: 20_000 });
    const failure = await interrupted.saveAsDraft(draft).catch((e: unknown) => e);
    server.service.faults.clear();
    expect(failure).toBeInstanceOf(DraftSaveError);
    const f = failure as DraftSaveError;
    expect(f).toMatchObject({ stage: "write-chunks", planIncomplete: true });
    await expect(small.loadDraft(f.planId as string)).rejects.toBeInstanceOf(DraftIncompleteError);
    const r = await small.retrySave(draft, f);
    expect(triples((await small.loadDraft(r.id)).draft)).toEqual(triples(draft));
    const left = [...server.service.store.rows("tmap_assignmentchunk")].filter((c) => c.tmap_planid === r.id);
    expect(new Set(left.map((c) => c.tmap_savetoken))).toEqual(new Set([r.saveToken]));
  });

  it("deletes a draft in 1 request; its chunks and territory rows go with it (cascade)", async () => {
    const saved = await repo.saveAsDraft(bigDraft(1_000, 3, 55, "Delete me"));
    server.service.resetStats();
    await repo.deleteDraft(saved.id);
    expect(server.service.stats().requests).toBe(1);
    expect([...server.service.store.rows("tmap_assignmentchunk")].filter((c) => c.tmap_planid === saved.id)).toHaveLength(0);
    expect([...server.service.store.rows("tmap_draftterritory")].filter((c) => c.tmap_planid === saved.id)).toHaveLength(0);
    await expect(repo.loadDraft(saved.id)).rejects.toMatchObject({ kind: "not-found" });
  });
});
