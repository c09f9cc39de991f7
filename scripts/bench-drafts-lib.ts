/**
 * The drafts benchmark's concurrency check, shared with bench:reliability: two clients load the same draft and save
 * it at the same time, with server latency 0–150 ms and client jitter up to 400 ms; of the two exactly one must win
 * and the other get the conflict, nothing may be lost, and the next save leaves no part of a failed save behind.
 */
import { startDataverseServer, type DataverseService } from "../local/dataverse";
import { HostWebApi } from "../local/host/webApi";
import { seedIfEmpty } from "../local/seed";
import { loadSolutionTables } from "../solution/tables";
import { DataverseHttpClient } from "../dataverse/client/DataverseHttpClient";
import { WebApiDraftRepository } from "../dataverse/drafts/WebApiDraftRepository";
import { HttpDraftBulkApi } from "../dataverse/drafts/DraftBulkApi";
import { DraftConflictError } from "../dataverse/drafts/DraftRepository";
import type { Draft } from "../TerritoryMapControl/domain/drafts/model";

export interface ConcurrentSaves {
  trials: number;
  lost: number;
  bothSucceeded: number;
  conflicts: number;
  otherErrors: number;
  orphanChunksLeft: number;
}

/** Two clients save the same draft at once, `trials` times (see the header). */
export async function concurrentSaves(service: DataverseService, url: string, draft: Draft, trials: number): Promise<ConcurrentSaves> {
  const jittered: typeof fetch = async (input, init) => {
    await new Promise((r) => setTimeout(r, Math.random() * 400));
    return fetch(input, init);
  };
  const client = () => {
    const http = new DataverseHttpClient({ baseUrl: url, maxRetries: 0, fetch: jittered });
    return new WebApiDraftRepository(
      new HostWebApi({ client: http, entitySetNames: { tmap_plan: "tmap_plans", tmap_assignmentchunk: "tmap_assignmentchunks" } }),
      new HttpDraftBulkApi(http),
    );
  };
  const setup = new WebApiDraftRepository(
    new HostWebApi({ client: new DataverseHttpClient({ baseUrl: url, maxRetries: 0 }), entitySetNames: { tmap_plan: "tmap_plans" } }),
    new HttpDraftBulkApi(new DataverseHttpClient({ baseUrl: url, maxRetries: 0 })),
  );
  const out: ConcurrentSaves = { trials, lost: 0, bothSucceeded: 0, conflicts: 0, otherErrors: 0, orphanChunksLeft: 0 };
  const ada = client();
  const bob = client();
  try {
    for (let t = 0; t < trials; t++) {
      service.faults.clear();
      const planId = (await setup.saveAsDraft({ ...draft, name: `Concurrent ${t}` })).id;
      const [a, b] = await Promise.all([ada.loadDraft(planId), bob.loadDraft(planId)]);
      service.faults.set({ latencyMs: Math.round(Math.random() * 150) });
      const results = await Promise.allSettled([
        ada.saveAsDraft({ ...a.draft, notes: `ada ${t}` }),
        bob.saveAsDraft({ ...b.draft, notes: `bob ${t}` }),
      ]);
      service.faults.clear();
      const stored = (await setup.loadDraft(planId)).draft;
      const succeeded = results.map((r, i) => (r.status === "fulfilled" ? [`ada ${t}`, `bob ${t}`][i] : null)).filter((x) => x !== null);
      if (succeeded.length === 2) out.bothSucceeded++;
      out.lost += succeeded.filter((notes) => notes !== stored.notes).length;
      for (const r of results) {
        if (r.status === "rejected") {
          if (r.reason instanceof DraftConflictError) out.conflicts++;
          else out.otherErrors++;
        }
      }
      // the next successful save removes whatever a failed save left behind
      const next = await setup.saveAsDraft({ ...stored, notes: `next ${t}` });
      for (const table of ["tmap_assignmentchunk", "tmap_draftterritory"])
        out.orphanChunksLeft += [...service.store.rows(table)].filter(
          (r) => r.tmap_planid === planId && r.tmap_savetoken !== next.saveToken,
        ).length;
      await setup.deleteDraft(planId);
    }
  } finally {
    service.faults.clear();
  }
  return out;
}

/**
 * A fresh local Dataverse with `accounts` sample accounts, a draft of 10 longitude bands over them, and `trials`
 * pairs of simultaneous saves (bench:reliability's `concurrentSavesLost`).
 */
export async function runConcurrentSaveTrials(options: { accounts?: number; trials?: number } = {}): Promise<ConcurrentSaves> {
  const server = await startDataverseServer({ port: 0, dbPath: ":memory:", tables: loadSolutionTables() });
  try {
    seedIfEmpty(server.service.store, { accounts: options.accounts ?? 5000 });
    const rows = [...server.service.store.rows("account")];
    const order = rows.map((_, i) => i).sort((a, b) => Number(rows[a].address1_longitude ?? 0) - Number(rows[b].address1_longitude ?? 0));
    const territory = new Int32Array(rows.length);
    order.forEach((i, rank) => {
      territory[i] = Math.floor((rank * 10) / rows.length);
    });
    const draft: Draft = {
      name: "Concurrent",
      version: 1,
      parentId: null,
      status: "draft",
      notes: "",
      balancingSettings: null,
      metrics: null,
      territories: Array.from({ length: 10 }, (_, t) => ({
        key: `t${t}`,
        name: `Territory ${t + 1}`,
        color: "#336699",
        geometry: null,
        postalCodes: [],
        repId: null,
        territoryId: null,
        totals: {},
      })),
      assignments: { accountIds: rows.map((r) => String(r.accountid)), territory, locked: new Uint8Array(rows.length) },
    };
    return await concurrentSaves(server.service, server.url, draft, options.trials ?? 40);
  } finally {
    await server.close();
  }
}
