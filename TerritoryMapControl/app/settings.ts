/** What the planning layer takes from the control's settings (the manifest's input properties). */

/** What a measure column stands for: the card's Revenue and Workload columns, cluster sizes, compare. */
export type MeasureRole = "revenue" | "workload";

/** The measure column of each role (null = the control has none). Never guessed from column names. */
export type MeasureRoles = Readonly<Record<MeasureRole, string | null>>;
