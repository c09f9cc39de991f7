import type { Account, Rep, Territory } from "../../domain/accounts";
import { RepositoryError, type AccountPage, type AccountQuery, type AccountRepository, type LoadSummary } from "../../app/ports/accounts";

export interface FakeRepositoryOptions {
  accounts?: Account[];
  territories?: Territory[];
  reps?: Rep[];
  environmentVariables?: Record<string, string>;
  /** Report the total on the first page (like `$count=true`). Default true. */
  reportTotal?: boolean;
  /** Fail `loadAccounts` with this error on the next N calls (after `failAfterPages` pages). */
  failures?: { error: RepositoryError; times: number; afterPages?: number };
  /** Wait before each page (ms, default 0) — lets tests observe progress. */
  pageDelayMs?: number;
  /** Fail `loadTerritories` and `loadReps` with this error on the next N calls of each. */
  referenceFailures?: { error: RepositoryError; times: number };
}

/** In-memory AccountRepository for component tests and demos. */
export class FakeAccountRepository implements AccountRepository {
  public loadCalls = 0;
  private readonly options: FakeRepositoryOptions;

  public constructor(options: FakeRepositoryOptions = {}) {
    this.options = { reportTotal: true, ...options };
    this.territoryFailures = options.referenceFailures?.times ?? 0;
    this.repFailures = options.referenceFailures?.times ?? 0;
  }

  public async loadAccounts(query: AccountQuery, onPage: (page: AccountPage) => void, signal?: AbortSignal): Promise<LoadSummary> {
    this.loadCalls++;
    const accounts = this.options.accounts ?? [];
    const pageSize = query.pageSize ?? 5000;
    const failure = this.options.failures;
    let requests = 0;
    let loaded = 0;
    for (let pageIndex = 0; pageIndex === 0 || loaded < accounts.length; pageIndex++) {
      if (this.options.pageDelayMs) await new Promise((r) => setTimeout(r, this.options.pageDelayMs));
      else await Promise.resolve();
      if (signal?.aborted) throw new RepositoryError("aborted", "Loading was cancelled.");
      requests++;
      if (failure && failure.times > 0 && pageIndex >= (failure.afterPages ?? 0)) {
        failure.times--;
        throw failure.error;
      }
      const page = accounts.slice(loaded, loaded + pageSize);
      loaded += page.length;
      onPage({
        accounts: page,
        pageIndex,
        loadedSoFar: loaded,
        expectedTotal: pageIndex === 0 && this.options.reportTotal ? accounts.length : undefined,
      });
    }
    return { total: loaded, requests };
  }

  public territoryCalls = 0;
  public repCalls = 0;
  private territoryFailures: number;
  private repFailures: number;

  public async loadTerritories(): Promise<Territory[]> {
    this.territoryCalls++;
    if (this.territoryFailures > 0 && this.options.referenceFailures) {
      this.territoryFailures--;
      throw this.options.referenceFailures.error;
    }
    return [...(this.options.territories ?? [])];
  }

  public async loadReps(): Promise<Rep[]> {
    this.repCalls++;
    if (this.repFailures > 0 && this.options.referenceFailures) {
      this.repFailures--;
      throw this.options.referenceFailures.error;
    }
    return [...(this.options.reps ?? [])];
  }

  public async getEnvironmentVariableValue(schemaName: string): Promise<string | null> {
    return this.options.environmentVariables?.[schemaName] ?? null;
  }
}
