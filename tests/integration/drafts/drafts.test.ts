/**
 * Drafts against the local Dataverse server over HTTP, through the dev host's ComponentFramework.WebApi:
 * request counts as the server counts them, the conflict path and an interrupted save (server fault injection).
 */
import type { DataverseServer } from "../../../local/dataverse";
import { DraftConflictError, DraftIncompleteError, DraftSaveError } from "../../../dataverse/drafts/DraftRepository";
import { WebApiDraftRepository } from "../../../dataverse/drafts/WebApiDraftRepository";
import { reconcile } from "../../../TerritoryMapControl/domain/drafts/compare";
import { bigDraft, guids, triples } from "../../unit/drafts/builders";
import { hostWebApi, startDraftServer } from "./helpers";

jest.setTimeout(60_000);

describe("drafts on the local Dataverse server", () => {
  let server: DataverseServer;
  let repo: WebApiDraftRepository;

  beforeAll(async () => {
    server = await startDraftServer();
    repo = new WebApiDraftRepository(hostWebApi(server));
  });
  afterAll(() => server.close());

  describe("100,000 accounts, 50 territories", () => {
    const draft = bigDraft(100_000, 50);
    let id = "";

    it("saves in 4 requests, each under 3 s", async () => {
      server.service.resetStats();
      const started = Date.now();
      const r = await repo.saveAsDraft(draft);
      id = r.id;
      expect(server.service.stats().requests).toBe(4);
      expect(r.requests).toBe(4);
      expect(Date.now() - started).toBeLessThan(4 * 3000);
      const plan = server.service.store.rows("tmap_plan").next().value as Record<string, unknown>;
      expect(plan.tmap_savestate).toBe(612000001);
      expect(plan.tmap_chunkcount).toBe(2);
    });

    it("loads in 2 requests with every assignment", async () => {
      server.service.resetStats();
      const loaded = await repo.loadDraft(id);
      expect(server.service.stats().requests).toBe(2);
      expect(triples(loaded.draft)).toEqual(triples(draft));
      expect(loaded.draft.territories).toEqual(draft.territories);
    });

    it("overwrites in 8 requests; only the new chunks remain", async () => {
      const loaded = (await repo.loadDraft(id)).draft;
      server.service.resetStats();
      const r = await repo.saveAsDraft({ ...loaded, notes: "v2" });
      expect(server.service.stats().requests).toBe(8);
      const tokens = [...server.service.store.rows("tmap_assignmentchunk")].map((c) => c.tmap_savetoken);
      expect(tokens).toEqual([r.saveToken, r.saveToken]);
    });

    it("lists drafts with territory summaries in 1 request", async () => {
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
    expect((await repo.loadDraft(child.id)).draft).toMatchObject({ notes: "Bob", parentId: saved.id, version: 2 });
    expect((await repo.loadDraft(saved.id)).draft.notes).toBe("Ada");
  });

  it("a save interrupted by a 503 leaves the draft Incomplete; the retry completes it", async () => {
    const small = new WebApiDraftRepository(hostWebApi(server), { maxChunkChars: 20_000 });
    const draft = bigDraft(5_000, 6, 33, "Interrupted");
    // The server's fault injection fails the 2nd chunk POST with 503 (armed once the first chunk went through).
    let failure: unknown;
    const api = hostWebApi(server);
    const original = api.createRecord.bind(api);
    let chunkCalls = 0;
    api.createRecord = async (entity, data) => {
      if (entity === "tmap_assignmentchunk" && ++chunkCalls === 2)
        server.service.faults.set({ failNext: { count: 1, status: 503, match: "tmap_assignmentchunks" } });
      return original(entity, data);
    };
    const interrupted = new WebApiDraftRepository(api, { maxChunkChars: 20_000 });
    try {
      await interrupted.saveAsDraft(draft);
    } catch (e) {
      failure = e;
    }
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

  it("deletes a draft and its chunks", async () => {
    const saved = await repo.saveAsDraft(bigDraft(1_000, 3, 55, "Delete me"));
    await repo.deleteDraft(saved.id);
    expect([...server.service.store.rows("tmap_assignmentchunk")].filter((c) => c.tmap_planid === saved.id)).toHaveLength(0);
    await expect(repo.loadDraft(saved.id)).rejects.toMatchObject({ kind: "not-found" });
  });
});
