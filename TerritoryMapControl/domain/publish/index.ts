/** Publishing a draft to Dynamics — pure planning (writes, conflicts, privileges, deterministic ids). */
export * from "./plan";
export * from "./privileges";
export * from "./uuid";
