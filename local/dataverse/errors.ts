/** Dataverse-shaped errors: {"error":{"code":"0x…","message":"…"}} with the HTTP status. */
export class DataverseError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "DataverseError";
  }
  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** Error codes as documented for the Dataverse Web API. */
export const ErrorCodes = {
  /** Could not find a property named … (documented with code 0x0). */
  propertyNotFound: "0x0",
  /** OData syntax / malformed request. */
  badRequest: "0x80060888",
  /** Resource not found for the segment … */
  segmentNotFound: "0x8006088a",
  /** <entity> With Id = … Does Not Exist */
  recordNotFound: "0x80040217",
  /** The version of the existing record doesn't match the RowVersion property provided. */
  concurrencyVersionMismatch: "0x80060882",
  /** A record with matching key values already exists. */
  duplicateRecord: "0x80040237",
  /** A status reason that does not belong to the record's state (statecode / statuscode pair). */
  invalidStateStatus: "0x80048408",
  /** Generic validation error (range, length, required). */
  validation: "0x80044331",
  /** Service protection limits. */
  throttleRequests: "0x80072322",
  throttleExecutionTime: "0x80072321",
  throttleConcurrency: "0x80072326",
  /** Generic platform error (used for injected faults). */
  unexpected: "0x80040216",
} as const;

export function badRequest(message: string): DataverseError {
  return new DataverseError(400, ErrorCodes.badRequest, message);
}

/** Payload errors raised by ODataLib while reading a request body (Dataverse reports them with code 0x0). */
export function payloadError(detail: string): DataverseError {
  return new DataverseError(
    400,
    ErrorCodes.propertyNotFound,
    `An error occurred while validating input parameters: Microsoft.OData.ODataException: ${detail}`,
  );
}

export function propertyNotFound(property: string, table: string): DataverseError {
  return new DataverseError(
    400,
    ErrorCodes.propertyNotFound,
    `Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${table}'.`,
  );
}

export function recordNotFound(table: string, id: string): DataverseError {
  return new DataverseError(404, ErrorCodes.recordNotFound, `${table} With Id = ${id} Does Not Exist`);
}

export function segmentNotFound(segment: string): DataverseError {
  return new DataverseError(404, ErrorCodes.segmentNotFound, `Resource not found for the segment '${segment}'.`);
}
