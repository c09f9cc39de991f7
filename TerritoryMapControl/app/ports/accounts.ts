import type { Account, Rep, Territory } from "../../domain/accounts";

/** What to load: the account scope (FetchXML <filter> or OData $filter) and the measure columns. */
export interface AccountQuery {
  /** FetchXML `<filter>` fragment or OData `$filter` expression ("" = all accounts). */
  scope: string;
  /** Numeric account columns read into `Account.measures`, in this order. */
  measureColumns: string[];
  /** Rows per page (default 5000, the Web API's maximum). */
  pageSize?: number;
}

export interface AccountPage {
  accounts: Account[];
  /** 0-based page number. */
  pageIndex: number;
  /** Accounts loaded so far, this page included. */
  loadedSoFar: number;
  /** Total number of accounts in scope when the server said so (first page's @odata.count), else null. */
  expectedTotal?: number | null;
}

export interface LoadSummary {
  /** Accounts loaded. */
  total: number;
  /** Web API requests made (retries included). */
  requests: number;
}

/** Why a repository call failed, as the UI words it. */
export type RepositoryErrorKind =
  | "scope" // the account scope could not be translated
  | "throttled" // 429 / service protection limits, still failing after retries
  | "unavailable" // network failure or 5xx, still failing after retries
  | "rejected" // the server refused the query (400: unknown column, bad filter…)
  | "forbidden" // 401 / 403: no privilege
  | "aborted"; // the caller cancelled

export class RepositoryError extends Error {
  public constructor(
    public readonly kind: RepositoryErrorKind,
    message: string,
    /** Server's own message or error code, when there is one. */
    public readonly detail: string = "",
    /** Attempts made for the request that failed. */
    public readonly attempts: number = 1,
  ) {
    super(message);
    this.name = "RepositoryError";
  }
}

/**
 * The control's only way to Dataverse. WebApiAccountRepository implements it over ComponentFramework.WebApi;
 * FakeAccountRepository over arrays in memory (component tests).
 */
export interface AccountRepository {
  /**
   * Loads every account in scope page by page, calling `onPage` for each page as it arrives.
   * Rejects with a RepositoryError (kind "aborted" when `signal` fired).
   */
  loadAccounts(query: AccountQuery, onPage: (page: AccountPage) => void, signal?: AbortSignal): Promise<LoadSummary>;
  /** All territories (territory table). */
  loadTerritories(): Promise<Territory[]>;
  /** All enabled users (the candidates for reps); `homeBase` is null when their address has no usable coordinates. */
  loadReps(): Promise<Rep[]>;
  /** Current value of an environment variable (value record overrides the default), or null when unset/unknown. */
  getEnvironmentVariableValue(schemaName: string): Promise<string | null>;
}
