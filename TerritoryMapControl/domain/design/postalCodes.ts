/**
 * Postal-code lists: parse what a manager pastes or imports (CSV / TXT), per-postal-code totals, and the
 * accounts a list of postal codes defines.
 *
 * Input format, one entry per line: `code` or `code,territory` (comma, semicolon or tab separated; fields may
 * be double-quoted). A first line without any digit in its first field is a header and is reported as such.
 * Codes are text, never numbers: leading zeros and ZIP+4 are kept ("02134", "98101-1234"). Nothing is dropped
 * silently: every line is an entry, the header, a blank line (counted) or an issue with its line number.
 *
 * Matching accounts (address1_postalcode): a 5-digit US ZIP matches accounts with that ZIP and any ZIP+4 in
 * it; a ZIP+4 matches only that ZIP+4; other codes match case- and space-insensitively ("sw1a 1aa" = "SW1A 1AA").
 */
import { totalsOf, type AccountTable, type Totals } from "../accountTable";

export type PostalIssueKind =
  "invalid-code" | "empty-code" | "too-many-fields" | "unbalanced-quotes" | "duplicate" | "conflict" | "lost-leading-zero";

export interface PostalCodeIssue {
  /** 1-based line number in the input. */
  line: number;
  /** The line as given (trimmed). */
  text: string;
  kind: PostalIssueKind;
  /** Errors keep the line out of the result; warnings keep it in. */
  severity: "error" | "warning";
  /** Plain-English explanation (the UI shows its own localised text for `kind`). */
  message: string;
  /** The code on the line, when one could be read. */
  code?: string;
  /** conflict / duplicate: the line that first named the code. lost-leading-zero: the suggested code. */
  otherLine?: number;
  suggestion?: string;
}

export interface PostalCodeEntry {
  line: number;
  /** The code as written (trimmed, quotes removed). */
  code: string;
  /** Canonical matching key (see `postalKey`). */
  key: string;
  /** Territory named on the line, or null when the line has only a code. */
  territory: string | null;
}

export interface PostalCodeParse {
  /** One entry per distinct code (duplicates reported as warnings and kept once). */
  entries: PostalCodeEntry[];
  issues: PostalCodeIssue[];
  /** The header line (1-based) when the input had one, else null. */
  headerLine: number | null;
  blankLines: number;
  /** Lines in the input (including blank ones and the header). */
  totalLines: number;
}

const US_ZIP = /^\d{5}$/;
const US_ZIP4 = /^(\d{5})-?(\d{4})$/;
const CODE_CHARS = /^[A-Za-z0-9][A-Za-z0-9 -]*$/;

/** Canonical matching key of a postal code: ZIP+4 as "12345-6789", others upper-case with single spaces. */
export function postalKey(code: string): string {
  const c = code.trim().replace(/\s+/g, " ").toUpperCase();
  const zip4 = US_ZIP4.exec(c);
  return zip4 ? `${zip4[1]}-${zip4[2]}` : c;
}

/** Splits one line into fields (comma, semicolon or tab; double quotes with "" escapes). null = unbalanced quotes. */
export function splitFields(line: string): string[] | null {
  const sep = line.includes("\t") ? "\t" : line.includes(";") && !line.includes(",") ? ";" : ",";
  const fields: string[] = [];
  let cur = "";
  let quoted = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else cur += ch;
    } else if (ch === '"' && cur.trim() === "") {
      quoted = true;
      cur = "";
    } else if (ch === sep) {
      fields.push(cur.trim());
      cur = "";
    } else cur += ch;
    i++;
  }
  if (quoted) return null;
  fields.push(cur.trim());
  return fields;
}

/** Parses a pasted list or the text of an imported CSV / TXT file. */
export function parsePostalCodeList(text: string): PostalCodeParse {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  // A trailing newline is not a line.
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  const issues: PostalCodeIssue[] = [];
  const entries: PostalCodeEntry[] = [];
  const byKey = new Map<string, PostalCodeEntry>();
  let headerLine: number | null = null;
  let blankLines = 0;
  let seenData = false;
  let fiveDigit = 0;
  const shortNumeric: { entry: PostalCodeEntry; text: string }[] = [];

  lines.forEach((raw, n) => {
    const line = n + 1;
    const textLine = raw.trim();
    if (textLine === "") {
      blankLines++;
      return;
    }
    const fields = splitFields(textLine);
    const issue = (kind: PostalIssueKind, message: string, extra: Partial<PostalCodeIssue> = {}, severity: "error" | "warning" = "error") =>
      issues.push({ line, text: textLine, kind, severity, message, ...extra });
    if (fields === null) {
      issue("unbalanced-quotes", `Line ${line}: a quoted field is not closed`);
      seenData = true;
      return;
    }
    while (fields.length > 1 && fields[fields.length - 1] === "") fields.pop();
    const [codeField, territoryField] = fields;
    if (!seenData && headerLine === null && !/\d/.test(codeField ?? "")) {
      headerLine = line;
      return;
    }
    seenData = true;
    if (fields.length > 2) {
      issue("too-many-fields", `Line ${line}: expected "code" or "code,territory", found ${fields.length} fields`);
      return;
    }
    const code = (codeField ?? "").trim();
    const territory = territoryField === undefined || territoryField.trim() === "" ? null : territoryField.trim();
    if (code === "") {
      issue("empty-code", `Line ${line}: no postal code before the territory`);
      return;
    }
    if (!CODE_CHARS.test(code) || code.length < 2 || code.length > 12 || !/\d/.test(code)) {
      issue("invalid-code", `Line ${line}: "${code}" is not a postal code`, { code });
      return;
    }
    const key = postalKey(code);
    const prior = byKey.get(key);
    if (prior) {
      if ((prior.territory ?? "").toLowerCase() === (territory ?? "").toLowerCase()) {
        issue(
          "duplicate",
          `Line ${line}: ${code} is already on line ${prior.line}; counted once`,
          { code, otherLine: prior.line },
          "warning",
        );
      } else {
        issue(
          "conflict",
          `Line ${line}: ${code} is assigned to "${territory ?? ""}" here and to "${prior.territory ?? ""}" on line ${prior.line}`,
          { code, otherLine: prior.line },
        );
      }
      return;
    }
    const entry: PostalCodeEntry = { line, code, key, territory };
    byKey.set(key, entry);
    entries.push(entry);
    if (US_ZIP.test(code) || US_ZIP4.test(code)) fiveDigit++;
    else if (/^\d{3,4}$/.test(code)) shortNumeric.push({ entry, text: textLine });
  });

  // A 3–4 digit code in a list of US ZIP codes almost always lost its leading zeros in a spreadsheet.
  if (fiveDigit > 0) {
    for (const { entry, text: t } of shortNumeric) {
      const suggestion = entry.code.padStart(5, "0");
      issues.push({
        line: entry.line,
        text: t,
        kind: "lost-leading-zero",
        severity: "warning",
        code: entry.code,
        suggestion,
        message: `Line ${entry.line}: ${entry.code} looks like a US ZIP code that lost its leading zero (${suggestion}?); kept as written`,
      });
    }
  }
  issues.sort((a, b) => a.line - b.line);
  return { entries, issues, headerLine, blankLines, totalLines: lines.length };
}

/** Accounts by postal code key, and by 5-digit ZIP for ZIP+4 accounts. */
export class PostalCodeIndex {
  private readonly byKey = new Map<string, number[]>();
  private readonly byZip5 = new Map<string, number[]>();

  public constructor(table: Pick<AccountTable, "postalCodes">) {
    table.postalCodes.forEach((pc, i) => {
      if (pc === null) return;
      const key = postalKey(pc);
      let list = this.byKey.get(key);
      if (!list) this.byKey.set(key, (list = []));
      list.push(i);
      const zip4 = /^(\d{5})-\d{4}$/.exec(key);
      if (zip4) {
        let l5 = this.byZip5.get(zip4[1]);
        if (!l5) this.byZip5.set(zip4[1], (l5 = []));
        l5.push(i);
      }
    });
  }

  /** Account indexes matching one code (see the matching rules above). */
  public accountsFor(code: string): number[] {
    const key = postalKey(code);
    const exact = this.byKey.get(key) ?? [];
    if (!US_ZIP.test(key)) return exact;
    const plus4 = this.byZip5.get(key);
    return plus4 ? exact.concat(plus4) : exact;
  }

  /** Distinct account indexes matching any of the codes (ascending). */
  public accountsForAll(codes: readonly string[]): Int32Array {
    const set = new Set<number>();
    for (const c of codes) for (const i of this.accountsFor(c)) set.add(i);
    return Int32Array.from(set).sort();
  }

  /** Every postal code key present among the accounts. */
  public keys(): string[] {
    return [...this.byKey.keys()];
  }
}

export interface PostalCodeTotals {
  code: string;
  totals: Totals;
  /** Accounts per current territory index (-1 = unassigned). */
  byTerritory: Map<number, number>;
}

/** Totals per code (in the order given), with where the matching accounts sit today. */
export function postalCodeTotals(
  table: AccountTable,
  index: PostalCodeIndex,
  codes: readonly string[],
  assignment: Int32Array | null = null,
): PostalCodeTotals[] {
  return codes.map((code) => {
    const idx = index.accountsFor(code);
    const byTerritory = new Map<number, number>();
    if (assignment) for (const i of idx) byTerritory.set(assignment[i], (byTerritory.get(assignment[i]) ?? 0) + 1);
    return { code, totals: totalsOf(table, idx), byTerritory };
  });
}

/**
 * Totals of every postal code present among the accounts (ZIP+4 folded into their 5-digit ZIP, so each account
 * counts once), largest account count first.
 */
export function allPostalCodeTotals(table: AccountTable, assignment: Int32Array | null = null): PostalCodeTotals[] {
  const groups = new Map<string, number[]>();
  table.postalCodes.forEach((pc, i) => {
    if (pc === null) return;
    const key = postalKey(pc);
    const zip4 = /^(\d{5})-\d{4}$/.exec(key);
    const k = zip4 ? zip4[1] : key;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(i);
  });
  const rows: PostalCodeTotals[] = [];
  for (const [code, idx] of groups) {
    const byTerritory = new Map<number, number>();
    if (assignment) for (const i of idx) byTerritory.set(assignment[i], (byTerritory.get(assignment[i]) ?? 0) + 1);
    rows.push({ code, totals: totalsOf(table, idx), byTerritory });
  }
  return rows.sort((a, b) => b.totals.count - a.totals.count || a.code.localeCompare(b.code));
}

/** Codes grouped by the territory named on their line (null = lines with a code only), in first-seen order. */
export function groupByTerritory(entries: readonly PostalCodeEntry[]): { territory: string | null; codes: string[] }[] {
  const groups = new Map<string, { territory: string | null; codes: string[] }>();
  for (const e of entries) {
    const k = e.territory === null ? "\u0000" : e.territory.toLowerCase();
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { territory: e.territory, codes: [] }));
    g.codes.push(e.code);
  }
  return [...groups.values()];
}

/** What the postal-code import applies: codes per territory (existing, or new by name). */
export interface PostalCodeGroupResult {
  /** Existing territory, or null when `newTerritoryName` is set. */
  territoryId: string | null;
  newTerritoryName: string | null;
  codes: string[];
}

export interface PostalCodeImportResult {
  groups: PostalCodeGroupResult[];
  /** Lines not applied because of errors (listed in the preview). */
  skippedLines: number;
}
