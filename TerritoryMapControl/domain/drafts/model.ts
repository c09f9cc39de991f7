/**
 * Draft territory plans — the domain model.
 *
 * A draft is a territory design saved in Dataverse: metadata (name, version, lineage, status, notes, balancing
 * settings, a metrics snapshot), its territories (name, colour, shape, postal codes, rep, the Dynamics territory
 * it stands for, totals) and the territory of every account. Assignments are kept as parallel typed arrays, not
 * one object per account, because a plan holds ~100,000 accounts.
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */

/** Lifecycle of a plan (the Dataverse option values live in the Dataverse adapter). */
export type DraftStatus = "draft" | "published" | "archived" | "publishing" | "partially-published";

/** Whether every part of the last save was stored. Only "complete" drafts are trusted. */
export type SaveState = "complete" | "incomplete";

/** A JSON value as stored in memo columns. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One territory of a draft. Its position in `Draft.territories` is its territory index. */
export interface DraftTerritory {
  /** Stable key inside the draft (survives re-ordering; used by the UI and to match across saves). */
  key: string;
  name: string;
  /** Display colour, "#rrggbb". */
  color: string;
  /** Shape as a GeoJSON geometry or feature (Polygon / MultiPolygon), or null when defined by accounts only. */
  geometry: JsonValue | null;
  /** Postal codes that define (part of) the territory. */
  postalCodes: string[];
  /** Representative (systemuser id) or null. */
  repId: string | null;
  /** The Dynamics `territory` this draft territory stands for, or null when publishing will create one. */
  territoryId: string | null;
  /** Measure totals snapshot (e.g. { accounts: 2013, revenue: 1.2e8 }). */
  totals: Record<string, number>;
  /** Locked territories are left alone by auto-balance. */
  locked?: boolean;
  /** Parent `territory` in Dynamics (e.g. the region) publishing sets; undefined = leave as it is. */
  parentTerritoryId?: string | null;
  /** Key of the parent territory in this draft (the territory tree; body format 3); absent = top level. */
  parentKey?: string | null;
}

/**
 * What Dynamics held when the draft was made: each account's `territoryid` (parallel to `Assignments.accountIds`).
 * Publishing compares it with today's value to list accounts someone changed in Dynamics since (conflicts).
 */
export interface AccountBaseline {
  /** When the accounts were read (ISO 8601), or null. */
  takenOn: string | null;
  /** Distinct Dynamics territory ids (lower-case GUIDs). */
  territoryIds: string[];
  /** Per account: index into `territoryIds`, -1 = the account had no territory. */
  territory: Int32Array;
}

/**
 * Builds a baseline from each account's Dynamics territory id (null = none), in `accountIds` order.
 *
 * @example
 * draft.baseline = baselineFromTerritoryIds(draft.assignments.accountIds, ids, new Date().toISOString());
 */
export function baselineFromTerritoryIds(
  accountIds: readonly string[],
  territoryIdOf: readonly (string | null)[],
  takenOn: string | null = null,
): AccountBaseline {
  if (territoryIdOf.length !== accountIds.length)
    throw new Error(`baseline: ${accountIds.length} account ids but ${territoryIdOf.length} territory ids`);
  const territoryIds: string[] = [];
  const index = new Map<string, number>();
  const territory = new Int32Array(accountIds.length);
  for (let i = 0; i < accountIds.length; i++) {
    const raw = territoryIdOf[i];
    if (raw == null || raw === "") {
      territory[i] = -1;
      continue;
    }
    const id = normaliseGuid(raw);
    let k = index.get(id);
    if (k === undefined) {
      k = territoryIds.length;
      territoryIds.push(id);
      index.set(id, k);
    }
    territory[i] = k;
  }
  return { takenOn, territoryIds, territory };
}

/**
 * Account → territory assignments as parallel arrays (position i describes account `accountIds[i]`).
 * Account ids are lower-case GUIDs without braces, each at most once.
 */
export interface Assignments {
  readonly accountIds: readonly string[];
  /** Territory index into `Draft.territories`, -1 = unassigned. */
  readonly territory: Int32Array;
  /** 1 where the account is locked to its territory (balancing keeps it), else 0. */
  readonly locked: Uint8Array;
}

/** A draft plan as edited in the control. */
export interface Draft {
  /** tmap_planid; undefined until first saved. */
  id?: string;
  name: string;
  /** 1 for a new draft ("Save as draft" of an unsaved plan, or "Save as new draft"); each overwrite adds one. */
  version: number;
  /** The plan this one was derived from, or null. */
  parentId: string | null;
  status: DraftStatus;
  notes: string;
  /** Balancing settings used for this design (opaque JSON for the drafts layer). */
  balancingSettings: JsonValue | null;
  /** Metrics snapshot (opaque JSON for the drafts layer; territory summaries are added by the repository). */
  metrics: JsonValue | null;
  territories: DraftTerritory[];
  assignments: Assignments;
  /** Each account's Dynamics territory when the draft was made (conflict detection on publish); absent on old drafts. */
  baseline?: AccountBaseline | null;
  /**
   * Token of the stored save this draft was loaded from or last saved as (tmap_savetoken). Overwriting is
   * allowed only while the stored plan still carries this token; otherwise someone else saved in between.
   */
  saveToken?: string;
}

/** Metadata the server adds (read-only for the control). */
export interface DraftRecordInfo {
  ownerId: string | null;
  ownerName: string | null;
  createdOn: string | null;
  modifiedOn: string | null;
  saveState: SaveState;
  accountCount: number;
  chunkCount: number;
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Lower-case, brace-free GUID, or throws. */
export function normaliseGuid(id: string): string {
  const g = id
    .trim()
    .replace(/^\{|\}$/g, "")
    .toLowerCase();
  if (!GUID_RE.test(g)) throw new Error(`Not a GUID: "${id}"`);
  return g;
}

/** True for a lower-case, brace-free GUID. */
export function isNormalisedGuid(id: string): boolean {
  return GUID_RE.test(id);
}

/**
 * Builds assignments from a map accountId → territory index (-1 = unassigned).
 *
 * @example
 * const a = assignmentsFromMap(new Map([["5f1c…", 0], ["9a2e…", 3]]), ["5f1c…"]);
 */
export function assignmentsFromMap(map: ReadonlyMap<string, number>, lockedIds: Iterable<string> = []): Assignments {
  const accountIds: string[] = [];
  const territory = new Int32Array(map.size);
  let i = 0;
  for (const [id, t] of map) {
    accountIds.push(normaliseGuid(id));
    territory[i++] = t;
  }
  const locked = new Uint8Array(accountIds.length);
  const lockedSet = new Set<string>();
  for (const id of lockedIds) lockedSet.add(normaliseGuid(id));
  if (lockedSet.size)
    accountIds.forEach((id, k) => {
      if (lockedSet.has(id)) locked[k] = 1;
    });
  return { accountIds, territory, locked };
}

/** Builds assignments from parallel arrays (copied; ids normalised). */
export function assignmentsFromArrays(
  accountIds: readonly string[],
  territory: ArrayLike<number>,
  locked?: ArrayLike<number>,
): Assignments {
  if (territory.length !== accountIds.length)
    throw new Error(`assignments: ${accountIds.length} account ids but ${territory.length} territory indexes`);
  if (locked && locked.length !== accountIds.length)
    throw new Error(`assignments: ${accountIds.length} account ids but ${locked.length} lock flags`);
  const l = new Uint8Array(accountIds.length);
  if (locked) for (let i = 0; i < l.length; i++) l[i] = locked[i] ? 1 : 0;
  return { accountIds: accountIds.map(normaliseGuid), territory: Int32Array.from(territory), locked: l };
}

/** accountId → territory index. */
export function assignmentsToMap(a: Assignments): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < a.accountIds.length; i++) m.set(a.accountIds[i], a.territory[i]);
  return m;
}

/** Account ids that are locked. */
export function lockedAccountIds(a: Assignments): string[] {
  const out: string[] = [];
  for (let i = 0; i < a.accountIds.length; i++) if (a.locked[i]) out.push(a.accountIds[i]);
  return out;
}

/** Number of accounts per territory index (length = territoryCount); unassigned accounts are not counted. */
export function accountCounts(a: Assignments, territoryCount: number): number[] {
  const counts = new Array<number>(territoryCount).fill(0);
  for (let i = 0; i < a.territory.length; i++) {
    const t = a.territory[i];
    if (t >= 0 && t < territoryCount) counts[t]++;
  }
  return counts;
}

/** Checks the invariants the codec and repository rely on; returns the problems found (empty = valid). */
export function validateDraft(d: Draft): string[] {
  const problems: string[] = [];
  if (!d.name.trim()) problems.push("The draft has no name.");
  if (d.name.length > 200) problems.push("The draft name is longer than 200 characters.");
  if (!Number.isInteger(d.version) || d.version < 0) problems.push("The version must be a non-negative integer.");
  const a = d.assignments;
  if (a.territory.length !== a.accountIds.length || a.locked.length !== a.accountIds.length)
    problems.push("Assignment arrays differ in length.");
  const k = d.territories.length;
  if (k > 65534) problems.push("A draft holds at most 65,534 territories.");
  for (let i = 0; i < a.territory.length; i++) {
    const t = a.territory[i];
    if (t < -1 || t >= k) {
      problems.push(`Account ${a.accountIds[i]} points at territory ${t}, but the draft has ${k}.`);
      break;
    }
  }
  const seen = new Set<string>();
  for (const id of a.accountIds) {
    if (!isNormalisedGuid(id)) {
      problems.push(`Account id "${id}" is not a lower-case GUID.`);
      break;
    }
    if (seen.has(id)) {
      problems.push(`Account ${id} is assigned twice.`);
      break;
    }
    seen.add(id);
  }
  const keys = new Set<string>();
  for (const t of d.territories) {
    if (keys.has(t.key)) problems.push(`Territory key "${t.key}" is used twice.`);
    keys.add(t.key);
    if (!isTerritoryColor(t.color))
      problems.push(
        `Territory "${t.name}" has the colour ${JSON.stringify(String(t.color).slice(0, 40))}: a colour is #rrggbb (e.g. #1f77b4).`,
      );
  }
  return problems;
}

/** The colour a territory is drawn in when its stored colour is not usable. */
export const FALLBACK_TERRITORY_COLOR = "#808080";

/** The only colour form drafts store: `#rrggbb` (no names, functions, or anything else the map would have to parse). */
export function isTerritoryColor(v: unknown): v is string {
  return typeof v === "string" && /^#[0-9a-fA-F]{6}$/.test(v);
}

/** A territory whose stored colour was replaced by the fallback on load. */
export interface RepairedColor {
  key: string;
  name: string;
  /** The stored value (cut to 40 characters). */
  value: string;
}

/** The draft with every unusable territory colour replaced by FALLBACK_TERRITORY_COLOR, and which ones were. */
export function repairTerritoryColors(d: Draft): { draft: Draft; repaired: RepairedColor[] } {
  const repaired: RepairedColor[] = [];
  const territories = d.territories.map((t) => {
    if (isTerritoryColor(t.color)) return t;
    repaired.push({ key: t.key, name: t.name, value: String(t.color ?? "").slice(0, 40) });
    return { ...t, color: FALLBACK_TERRITORY_COLOR };
  });
  return repaired.length ? { draft: { ...d, territories }, repaired } : { draft: d, repaired };
}

/** An empty draft. */
export function emptyDraft(name: string): Draft {
  return {
    name,
    version: 1,
    parentId: null,
    status: "draft",
    notes: "",
    balancingSettings: null,
    metrics: null,
    territories: [],
    assignments: { accountIds: [], territory: new Int32Array(0), locked: new Uint8Array(0) },
  };
}
