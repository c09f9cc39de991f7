/** The working plan (edit model) the Territory Management card and the map tools operate on (pure TypeScript). */
export * from "./workspace";
export * from "./published";
export * from "./bounds";
export * from "./treeFindings";
