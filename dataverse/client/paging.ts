/** Paging of retrieve-multiple requests: `Prefer: odata.maxpagesize`, `@odata.nextLink`, annotations. */
import type { EntityRecord } from "./odata";

export interface RetrieveMultipleOptions {
  /** Records per page (`Prefer: odata.maxpagesize`); Dataverse's default and maximum is 5000. */
  maxPageSize?: number;
  /** `Prefer: odata.include-annotations` value; default "*" (formatted values, lookup names). "" = none. */
  includeAnnotations?: string;
  signal?: AbortSignal;
}

export interface RetrieveMultipleResult<T = EntityRecord> {
  value: T[];
  /** Absolute URL of the next page (follow it unchanged), undefined on the last page. */
  nextLink: string | undefined;
  /** `@odata.count` when `$count=true` was requested. */
  count: number | undefined;
}

export function preferHeader(maxPageSize: number | undefined, includeAnnotations: string | undefined): Record<string, string> {
  const prefer: string[] = [];
  if (maxPageSize !== undefined && maxPageSize > 0) prefer.push(`odata.maxpagesize=${Math.floor(maxPageSize)}`);
  const annotations = includeAnnotations ?? "*";
  if (annotations) prefer.push(`odata.include-annotations="${annotations}"`);
  return prefer.length ? { Prefer: prefer.join(",") } : {};
}
