import { createFakeDraftRepository, webApiError, type InMemoryWebApi } from "../../../dataverse/drafts/FakeDraftRepository";
import {
  DraftConflictError,
  DraftCorruptError,
  DraftIncompleteError,
  DraftNotFoundError,
  DraftRepositoryError,
  DraftSaveError,
  PlanStatusValue,
  SaveStateValue,
} from "../../../dataverse/drafts/DraftRepository";
import type { WebApiDraftRepository } from "../../../dataverse/drafts/WebApiDraftRepository";
import type { Draft } from "../../../TerritoryMapControl/domain/drafts/model";
import { bigDraft, triples } from "./builders";

/** Small drafts cut into 3 chunks so every multi-part path is exercised quickly. */
function setup(maxChunkChars = 20_000): { repo: WebApiDraftRepository; api: InMemoryWebApi } {
  let n = 0;
  const { repository, webApi } = createFakeDraftRepository({
    maxChunkChars,
    newToken: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
  });
  return { repo: repository, api: webApi };
}

async function expectRejects<T extends Error>(p: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    return e as T;
  }
  throw new Error(`expected ${type.name}`);
}

const rowTokens = (api: InMemoryWebApi) => api.rows("tmap_draftterritory").map((r) => r.tmap_savetoken);

const chunkTokens = (api: InMemoryWebApi) =>
  api
    .rows("tmap_assignmentchunk")
    .map((r) => r.tmap_savetoken)
    .sort();

describe("WebApiDraftRepository (in-memory WebApi)", () => {
  describe("a 100,000-account, 50-territory draft", () => {
    const { repo, api } = setup(1_000_000);
    const draft = bigDraft(100_000, 50);
    let id = "";

    it("saves in 3 requests: plan (Incomplete) + one change set of 2 chunks and 50 territory rows + Complete", async () => {
      const progress: number[] = [];
      const r = await repo.saveAsDraft(draft, { onProgress: (p) => progress.push(p.done) });
      id = r.id;
      expect(r.requests).toBe(3);
      expect(r.chunkCount).toBe(2);
      expect(r.territoryRows).toBe(50);
      expect(api.requests.map((q) => `${q.method} ${q.entity}`)).toEqual([
        "create tmap_plan",
        "batch tmap_assignmentchunk",
        "update tmap_plan",
      ]);
      expect(progress).toEqual([1, 2, 3]);
      expect(api.rows("tmap_draftterritory")).toHaveLength(50);
      expect(new Set(api.rows("tmap_draftterritory").map((t) => t.tmap_savetoken))).toEqual(new Set([r.saveToken]));
      const plan = api.rows("tmap_plan")[0];
      expect(plan).toMatchObject({
        tmap_savestate: SaveStateValue.Complete,
        tmap_status: PlanStatusValue.Draft,
        tmap_accountcount: 100_000,
        tmap_chunkcount: 2,
        tmap_version: 1,
      });
    });

    it("loads in 2 requests with every assignment", async () => {
      const loaded = await repo.loadDraft(id);
      expect(loaded.requests).toBe(2);
      expect(loaded.draft.territories).toEqual(draft.territories);
      expect(triples(loaded.draft)).toEqual(triples(draft));
      expect(loaded.draft).toMatchObject({
        id,
        name: "Q3 West",
        version: 1,
        parentId: null,
        notes: "Research notes",
        balancingSettings: draft.balancingSettings,
        metrics: draft.metrics,
      });
      expect(loaded.info.saveState).toBe("complete");
    });

    it("overwrites in 3 requests (read, change set of the new version, conditional switch) and removes the superseded parts", async () => {
      const loaded = (await repo.loadDraft(id)).draft;
      api.resetRequests();
      const r = await repo.saveAsDraft({ ...loaded, notes: "Reworked" });
      expect(r.requests).toBe(3);
      expect(api.requests.map((q) => `${q.method} ${q.entity}`)).toEqual([
        "batch tmap_plan",
        "batch tmap_assignmentchunk",
        "batch tmap_plan",
      ]);
      expect(api.rows("tmap_assignmentchunk")).toHaveLength(2);
      expect(chunkTokens(api)).toEqual([r.saveToken, r.saveToken]);
      expect(api.rows("tmap_draftterritory")).toHaveLength(50);
      expect(new Set(rowTokens(api))).toEqual(new Set([r.saveToken]));
    });

    it("lists every draft with its territory summaries in 1 request", async () => {
      api.resetRequests();
      const list = await repo.listDrafts();
      expect(api.requests).toHaveLength(1);
      expect(list).toHaveLength(1);
      expect(list[0].territories).toHaveLength(50);
      expect(list[0].territories.reduce((s, t) => s + t.accountCount, 0)).toBe(100_000 - Math.ceil(100_000 / 97));
      expect(list[0]).toMatchObject({
        id,
        name: "Q3 West",
        notes: "Reworked",
        saveState: "complete",
        accountCount: 100_000,
        metrics: { balance: 0.97 },
      });
    });
  });

  it("save as new draft starts at version 1, keeps the lineage and leaves the source untouched; each overwrite is the next version", async () => {
    const { repo } = setup();
    const first = await repo.saveAsDraft(bigDraft(2_000, 4));
    expect(first.version).toBe(1);
    const again = await repo.saveAsDraft((await repo.loadDraft(first.id)).draft);
    expect(again.version).toBe(2);
    const source = (await repo.loadDraft(first.id)).draft;
    expect(source.version).toBe(2);
    const child = await repo.saveAsNewDraft({ ...source, territory: undefined } as Draft, { name: "Q3 West (rework)" });
    expect(child).toMatchObject({ version: 1, parentId: first.id });
    const loadedChild = await repo.loadDraft(child.id);
    expect(loadedChild.draft).toMatchObject({ name: "Q3 West (rework)", version: 1, parentId: first.id });
    expect((await repo.loadDraft(first.id)).draft.saveToken).toBe(again.saveToken);
  });

  describe("two managers saving the same draft", () => {
    it("the second gets a conflict with reload / save-as-new, and can save as new", async () => {
      const { repo, api } = setup();
      const saved = await repo.saveAsDraft(bigDraft(2_000, 4));
      const ada = (await repo.loadDraft(saved.id)).draft;
      const bob = (await repo.loadDraft(saved.id)).draft;
      await repo.saveAsDraft({ ...ada, notes: "Ada was here" });
      const e = await expectRejects(repo.saveAsDraft({ ...bob, notes: "Bob was here" }), DraftConflictError);
      expect(e.options).toEqual(["reload", "save-as-new"]);
      expect(e.message).toMatch(
        /^This draft was saved by someone else at .+ after you opened it\. Reload their version or save yours as a new draft\.$/,
      );
      expect(e.current?.notes).toBe("Ada was here");
      expect((await repo.loadDraft(saved.id)).draft.notes).toBe("Ada was here");
      const asNew = await repo.saveAsNewDraft({ ...bob, notes: "Bob was here" });
      expect((await repo.loadDraft(asNew.id)).draft).toMatchObject({ notes: "Bob was here", parentId: saved.id, version: 1 });
      expect(api.rows("tmap_plan")).toHaveLength(2);
    });

    it("when both pass the first check, the If-Match of the final step lets exactly one win; the other cleans up", async () => {
      const { repo, api } = setup();
      const saved = await repo.saveAsDraft(bigDraft(2_000, 4));
      const ada = (await repo.loadDraft(saved.id)).draft;
      const bob = (await repo.loadDraft(saved.id)).draft;
      let adaSave: Promise<unknown> | undefined;
      api.beforeRequest = async (r) => {
        // after Bob's check, while Bob writes his version, Ada's whole save runs
        if (!adaSave && r.method === "batch" && r.entity === "tmap_assignmentchunk") {
          api.beforeRequest = undefined;
          adaSave = repo.saveAsDraft({ ...ada, notes: "Ada" });
          await adaSave;
        }
      };
      const conflict = await expectRejects(repo.saveAsDraft({ ...bob, notes: "Bob" }), DraftConflictError);
      expect(conflict.options).toEqual(["reload", "save-as-new"]);
      const loaded = (await repo.loadDraft(saved.id)).draft;
      expect(loaded.notes).toBe("Ada");
      expect(new Set(chunkTokens(api))).toEqual(new Set([loaded.saveToken]));
      expect(new Set(rowTokens(api))).toEqual(new Set([loaded.saveToken]));
    });

    it("a rename between the check and the final step is a 412 that is retried with the new etag, not a conflict", async () => {
      const { repo, api } = setup();
      const saved = await repo.saveAsDraft(bigDraft(500, 3));
      const d = (await repo.loadDraft(saved.id)).draft;
      let renamed = false;
      api.beforeRequest = async (r) => {
        if (!renamed && r.method === "batch" && r.entity === "tmap_assignmentchunk") {
          renamed = true;
          api.rows("tmap_plan")[0].versionnumber = Number(api.rows("tmap_plan")[0].versionnumber) + 1000; // someone renamed it
        }
      };
      api.resetRequests();
      const r = await repo.saveAsDraft({ ...d, notes: "after rename" });
      expect(r.requests).toBe(5); // read, write, 412, read again, switch
      expect((await repo.loadDraft(saved.id)).draft.notes).toBe("after rename");
    });

    it("the next successful save removes the parts of failed saves (orphans), whatever their age", async () => {
      const { repo, api } = setup();
      const saved = await repo.saveAsDraft(bigDraft(2_000, 4));
      const d = (await repo.loadDraft(saved.id)).draft;
      api.failNth(3); // read, write, [switch fails]: the new version's parts stay behind
      await expectRejects(repo.saveAsDraft({ ...d, notes: "lost switch" }), DraftSaveError);
      api.failWhen = undefined;
      expect(new Set(chunkTokens(api)).size).toBe(2);
      const r = await repo.saveAsDraft({ ...d, notes: "next" });
      expect(new Set(chunkTokens(api))).toEqual(new Set([r.saveToken]));
      expect(new Set(rowTokens(api))).toEqual(new Set([r.saveToken]));
    });

    it("a rename by someone else is not a conflict", async () => {
      const { repo } = setup();
      const saved = await repo.saveAsDraft(bigDraft(500, 3));
      const d = (await repo.loadDraft(saved.id)).draft;
      await repo.rename(saved.id, "Renamed by Bob");
      await expect(repo.saveAsDraft({ ...d, name: "Renamed by Bob", notes: "x" })).resolves.toMatchObject({ id: saved.id });
    });
  });

  describe("an interrupted save", () => {
    it("of a new draft leaves it Incomplete; loading says so; retry completes it", async () => {
      const { repo, api } = setup();
      const draft = bigDraft(5_000, 6);
      api.failNth(2); // plan, [change set of chunks and rows fails]
      const failure = await expectRejects(repo.saveAsDraft(draft), DraftSaveError);
      expect(failure).toMatchObject({ stage: "write-chunks", planIncomplete: true });
      expect(failure.message).toMatch(
        /^The draft was not saved completely \(write-chunks: Injected fault \(503\)\)\. Nothing typed is lost — retry the save\.$/,
      );
      const planId = failure.planId as string;

      const incomplete = await expectRejects(repo.loadDraft(planId), DraftIncompleteError);
      expect(incomplete.summary.name).toBe("Q3 West");
      expect((await repo.listDrafts())[0].saveState).toBe("incomplete");
      await expectRejects(repo.loadDraft(planId, { allowIncomplete: true }), DraftIncompleteError); // parts are missing

      api.failWhen = undefined;
      const retried = await repo.retrySave(draft, failure);
      expect(retried.id).toBe(planId);
      const loaded = await repo.loadDraft(planId);
      expect(triples(loaded.draft)).toEqual(triples(draft));
      expect(new Set(chunkTokens(api))).toEqual(new Set([retried.saveToken]));
      expect(api.rows("tmap_plan")).toHaveLength(1);
    });

    it("of an existing draft keeps the previous complete version loadable; retry saves the new one", async () => {
      const { repo, api } = setup();
      const saved = await repo.saveAsDraft(bigDraft(5_000, 6));
      const d = (await repo.loadDraft(saved.id)).draft;
      api.failNth(2); // check, [change set of chunks and rows fails]
      const failure = await expectRejects(repo.saveAsDraft({ ...d, notes: "new notes" }), DraftSaveError);
      expect(failure).toMatchObject({ stage: "write-chunks", planIncomplete: false, planId: saved.id });
      const still = await repo.loadDraft(saved.id);
      expect(still.draft.notes).toBe("Research notes");
      expect(still.info.saveState).toBe("complete");
      api.failWhen = undefined;
      const r = await repo.retrySave({ ...d, notes: "new notes" }, failure);
      expect((await repo.loadDraft(saved.id)).draft.notes).toBe("new notes");
      expect(new Set(chunkTokens(api))).toEqual(new Set([r.saveToken]));
    });

    it("before its final step shows nothing of the new version and keeps the previous one intact", async () => {
      const { repo, api } = setup();
      const saved = await repo.saveAsDraft(bigDraft(5_000, 6));
      const before = await repo.loadDraft(saved.id);
      api.failNth(3); // check, change set of the new version, [final step fails]
      const failure = await expectRejects(repo.saveAsDraft({ ...before.draft, notes: "v2" }), DraftSaveError);
      expect(failure).toMatchObject({ stage: "complete", planIncomplete: false });
      api.failWhen = undefined;
      const after = await repo.loadDraft(saved.id);
      expect(after.draft.notes).toBe("Research notes");
      expect(after.draft.territories).toEqual(before.draft.territories);
      expect(after.reconciliation).toEqual([]);
      expect((await repo.listDrafts())[0].territories).toHaveLength(6);
      const r = await repo.retrySave({ ...before.draft, notes: "v2" }, failure);
      expect((await repo.loadDraft(saved.id)).draft.notes).toBe("v2");
      expect(new Set(rowTokens(api))).toEqual(new Set([r.saveToken]));
    });

    it('that failed only at "mark complete" can be resumed from the stored parts', async () => {
      const { repo, api } = setup();
      const draft = bigDraft(5_000, 6);
      api.failWhen = (r) => (r.method === "update" ? webApiError(500) : undefined);
      const failure = await expectRejects(repo.saveAsDraft(draft), DraftSaveError);
      expect(failure.stage).toBe("complete");
      api.failWhen = undefined;
      const planId = failure.planId as string;
      expect((await repo.loadDraft(planId, { allowIncomplete: true })).info.saveState).toBe("incomplete");
      const resumed = await repo.resumeIncomplete(planId);
      expect(resumed.requests).toBe(3);
      expect(triples((await repo.loadDraft(planId)).draft)).toEqual(triples(draft));
    });

    it("whose plan was created but the response was lost: the retry finds the plan and does not duplicate it", async () => {
      const { repo, api } = setup();
      const draft = bigDraft(2_000, 4);
      api.loseResponseWhen = (r) => (r.n === 1 ? webApiError(0, "Failed to fetch", 0) : undefined);
      const failure = await expectRejects(repo.saveAsDraft(draft), DraftSaveError);
      expect(failure).toMatchObject({ stage: "create-plan", planId: null });
      api.loseResponseWhen = undefined;
      const r = await repo.retrySave(draft, failure);
      expect(api.rows("tmap_plan")).toHaveLength(1);
      expect(triples((await repo.loadDraft(r.id)).draft)).toEqual(triples(draft));
    });

    it("throttled requests (429) are retried and counted", async () => {
      const { repo, api } = setup();
      let throttled = 0;
      api.failWhen = (r) => (r.n % 2 === 0 && throttled < 2 ? (throttled++, webApiError(429)) : undefined);
      const r = await repo.saveAsDraft(bigDraft(5_000, 6));
      expect(throttled).toBe(2);
      expect(r.requests).toBe(3 + 2); // plan + change set + complete + 2 retried
      expect((await repo.loadDraft(r.id)).info.saveState).toBe("complete");
    });
  });

  it("a draft saved before territory rows existed loads and lists from its body and metrics, with nothing to reconcile", async () => {
    const { repo, api } = setup();
    const draft = bigDraft(2_000, 4);
    const saved = await repo.saveAsDraft(draft);
    for (const r of api.rows("tmap_draftterritory")) await api.deleteRecord("tmap_draftterritory", String(r.tmap_draftterritoryid));
    const plan = api.rows("tmap_plan")[0];
    const metrics = JSON.parse(String(plan.tmap_metrics)) as Record<string, unknown>;
    delete metrics.territoryRows;
    plan.tmap_metrics = JSON.stringify(metrics);
    const loaded = await repo.loadDraft(saved.id);
    expect(loaded.reconciliation).toEqual([]);
    expect(loaded.draft.territories).toEqual(draft.territories);
    expect((await repo.listDrafts())[0].territories.map((t) => t.name)).toEqual(draft.territories.map((t) => t.name));
  });

  it("a damaged stored chunk is reported, not loaded", async () => {
    const { repo, api } = setup();
    const saved = await repo.saveAsDraft(bigDraft(5_000, 6));
    const row = api.rows("tmap_assignmentchunk").find((c) => c.tmap_chunkindex === 1) as Record<string, unknown>;
    row.tmap_payload = `${String(row.tmap_payload).slice(0, -8)}AAAAAAAA`;
    const e = await expectRejects(repo.loadDraft(saved.id), DraftCorruptError);
    expect(e.message).toBe(
      `The draft "Q3 West" cannot be opened: The draft is damaged: chunk 2 of ${saved.chunkCount} does not match its checksum.`,
    );
  });

  it("a published plan is not overwritten", async () => {
    const { repo, api } = setup();
    const saved = await repo.saveAsDraft(bigDraft(500, 3));
    const d = (await repo.loadDraft(saved.id)).draft;
    api.rows("tmap_plan")[0].tmap_status = PlanStatusValue.Published;
    const e = await expectRejects(repo.saveAsDraft(d), DraftRepositoryError);
    expect(e.kind).toBe("read-only");
  });

  it("deletes a draft with its chunks; loading it then says it does not exist", async () => {
    const { repo, api } = setup();
    const saved = await repo.saveAsDraft(bigDraft(5_000, 6));
    await repo.deleteDraft(saved.id);
    expect(api.rows("tmap_plan")).toHaveLength(0);
    expect(api.rows("tmap_assignmentchunk")).toHaveLength(0);
    const e = await expectRejects(repo.loadDraft(saved.id), DraftNotFoundError);
    expect(e.message).toBe(`The draft ${saved.id} does not exist (it may have been deleted).`);
  });

  it("refuses invalid drafts before any request", async () => {
    const { repo, api } = setup();
    const d = bigDraft(10, 2);
    await expect(repo.saveAsDraft({ ...d, name: "  " })).rejects.toThrow("The draft cannot be saved: The draft has no name.");
    await expect(repo.rename("00000000-0000-4000-8000-000000000009", "")).rejects.toThrow("A draft needs a name.");
    expect(api.requests).toHaveLength(0);
  });
});
