/** Local Dataverse Web API v9.2 stand-in (development and tests only; never shipped). */
export type { AttributeSchema, AttributeType, TableSchema } from "../../dataverse/schema";
export { accountTable, standardOptionLabels, standardTables, systemUserTable, territoryTable, PUBLISHER_PREFIX } from "./standardTables";
export type { OptionLabels } from "./standardTables";
export { SqliteDataverseStore } from "./store";
export type { DataverseStore, Row, StoreOptions } from "./store";
export { createDataverseService, DEFAULT_BASE_PATH } from "./service";
export type { ApiRequest, DataverseService, DataverseServiceOptions, RequestStats } from "./service";
export { startDataverseServer } from "./server";
export type { DataverseServer, DataverseServerOptions } from "./server";
export { FaultInjector } from "./faults";
export type { FaultConfig, ThrottleMode } from "./faults";
export { DataverseError, ErrorCodes } from "./errors";
