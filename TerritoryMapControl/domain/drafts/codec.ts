/**
 * Draft body codec: a draft's territories and its ~100,000 account assignments ↔ a few base64 text chunks that
 * fit Dataverse memo columns (tmap_assignmentchunk.tmap_payload, max 1,048,576 characters).
 *
 * Objective: few, small chunks (each chunk is one Web API request), fast to encode and decode, deterministic
 * (same draft → same chunks), and every corruption or missing part detected with a clear message.
 *
 * Binary body (before deflate), little-endian:
 *   header (28 bytes): magic "TMD1" | u32 format version | u32 account count N | u32 territory count
 *                      | u32 territories-JSON byte length L | u32 flags (0) | u32 CRC-32 of the data section
 *   data section:      territories JSON (UTF-8, L bytes)
 *                      account ids sorted ascending, as 16 byte planes of N bytes (GUID bytes in text order;
 *                      bytes 0–3 delta-coded as a big-endian u32 so sorted ids compress)
 *                      territory index + 1 as u16, 2 byte planes (low, high)            (-1 → 0)
 *                      lock flags, 1 plane of N bytes
 *                      [flag 1, format 2] baseline: u32 JSON byte length B, JSON {takenOn, territoryIds} (B bytes),
 *                      baseline territory index + 1 as u16, 2 byte planes (low, high)      (none → 0)
 * Bodies without a baseline are written as format 1 (readable by earlier versions); format 2 adds the baseline;
 * format 3 has the layout of format 2 and territories that carry `parentKey` (a territory tree), written only when
 * some territory has a parent, so a control that cannot show the tree refuses the body instead of flattening it.
 * The body is deflated (fflate), base64-encoded and cut into chunks of at most `maxChunkChars` characters.
 * Each chunk carries a CRC-32 of its own text ("crc32:xxxxxxxx"); the body carries a CRC-32 of its data.
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */
import { deflateSync, inflateSync } from "fflate";
import { isNormalisedGuid, type AccountBaseline, type Assignments, type DraftTerritory } from "./model";

/** Newest body format this codec writes and reads (1 = without baseline, 2 = with baseline, 3 = with a tree). */
export const DRAFT_BODY_FORMAT_VERSION = 3;
const FLAG_BASELINE = 1;
/** Default largest chunk: leaves headroom under the 1,048,576-character memo limit. */
export const DEFAULT_MAX_CHUNK_CHARS = 1_000_000;
const MAGIC = [0x54, 0x4d, 0x44, 0x31]; // "TMD1"
const HEADER_BYTES = 28;

/** What a draft body holds. */
export interface DraftBody {
  territories: DraftTerritory[];
  assignments: Assignments;
  /** Accounts' Dynamics territories when the draft was made (parallel to assignments.accountIds), if known. */
  baseline?: AccountBaseline | null;
}

/** One stored part of a draft body. */
export interface DraftChunk {
  /** 0-based position. */
  index: number;
  /** Number of chunks of the body. */
  count: number;
  /** base64 text. */
  payload: string;
  /** "crc32:xxxxxxxx" of `payload`. */
  checksum: string;
}

export interface EncodeOptions {
  /** Largest chunk in characters (default 1,000,000). */
  maxChunkChars?: number;
  /** fflate deflate level 0–9 (default 6). */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

export interface EncodedDraftBody {
  chunks: DraftChunk[];
  accountCount: number;
  territoryCount: number;
  /** Size of the uncompressed body in bytes. */
  rawBytes: number;
  /** Size of the deflated body in bytes. */
  compressedBytes: number;
  /** Characters over all chunks. */
  totalChars: number;
}

export type DraftCodecErrorKind = "missing-chunk" | "chunk-count" | "checksum" | "corrupt" | "format" | "account-count" | "invalid-input";

/** A stored draft body that cannot be read (or a draft that cannot be encoded), with the reason. */
export class DraftCodecError extends Error {
  public readonly kind: DraftCodecErrorKind;
  public constructor(kind: DraftCodecErrorKind, message: string) {
    super(message);
    this.name = "DraftCodecError";
    this.kind = kind;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

// ---------- CRC-32 (IEEE) ----------
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3) of bytes. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** CRC-32 of the char codes of an ASCII string (base64 text). */
export function crc32Ascii(text: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < text.length; i++) c = CRC_TABLE[(c ^ text.charCodeAt(i)) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The checksum string stored with a chunk. */
export function chunkChecksum(payload: string): string {
  return `crc32:${crc32Ascii(payload).toString(16).padStart(8, "0")}`;
}

// ---------- base64 (no atob/btoa/Buffer: works in browser, worker and Node, fast on MBs) ----------
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_CODES = Uint8Array.from(B64, (c) => c.charCodeAt(0));
const ASCII = new TextDecoder();
const B64_REV = (() => {
  const r = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) r[B64.charCodeAt(i)] = i;
  return r;
})();

export function toBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = B64_CODES[v >>> 18];
    out[o++] = B64_CODES[(v >>> 12) & 63];
    out[o++] = B64_CODES[(v >>> 6) & 63];
    out[o++] = B64_CODES[v & 63];
  }
  if (i < n) {
    const v = (bytes[i] << 16) | ((i + 1 < n ? bytes[i + 1] : 0) << 8);
    out[o++] = B64_CODES[v >>> 18];
    out[o++] = B64_CODES[(v >>> 12) & 63];
    out[o++] = i + 1 < n ? B64_CODES[(v >>> 6) & 63] : 61;
    out[o++] = 61;
  }
  return ASCII.decode(out);
}

export function fromBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0)
    throw new DraftCodecError("corrupt", `The stored draft is damaged: its text length ${text.length} is not a multiple of 4.`);
  let pad = 0;
  if (text.endsWith("==")) pad = 2;
  else if (text.endsWith("=")) pad = 1;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const a = dec(text, i),
      b = dec(text, i + 1);
    const c = text.charCodeAt(i + 2) === 61 ? 0 : dec(text, i + 2);
    const d = text.charCodeAt(i + 3) === 61 ? 0 : dec(text, i + 3);
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    if (o < out.length) out[o++] = v >>> 16;
    if (o < out.length) out[o++] = (v >>> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

function dec(text: string, i: number): number {
  const code = text.charCodeAt(i);
  const v = code < 128 ? B64_REV[code] : -1;
  if (v < 0) throw new DraftCodecError("corrupt", `The stored draft is damaged: unexpected character at position ${i}.`);
  return v;
}

// ---------- GUID bytes ----------
function hexVal(c: number): number {
  return c <= 57 ? c - 48 : c - 87; // '0'-'9', 'a'-'f' (ids are validated lower-case)
}

const GUID_HEX_POS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

function guidToBytes(id: string, out: Uint8Array, at: number): void {
  for (let b = 0; b < 16; b++) {
    const p = GUID_HEX_POS[b];
    out[at + b] = (hexVal(id.charCodeAt(p)) << 4) | hexVal(id.charCodeAt(p + 1));
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function bytesToGuid(b: Uint8Array): string {
  return `${HEX[b[0]]}${HEX[b[1]]}${HEX[b[2]]}${HEX[b[3]]}-${HEX[b[4]]}${HEX[b[5]]}-${HEX[b[6]]}${HEX[b[7]]}-${HEX[b[8]]}${HEX[b[9]]}-${HEX[b[10]]}${HEX[b[11]]}${HEX[b[12]]}${HEX[b[13]]}${HEX[b[14]]}${HEX[b[15]]}`;
}

// ---------- encode / decode ----------

/**
 * Encodes territories and assignments into base64 chunks.
 *
 * @example
 * const { chunks } = encodeDraftBody({ territories, assignments });   // 100k accounts → 2 chunks
 * const body = decodeDraftBody(chunks, { accountCount: 100_000 });
 */
export function encodeDraftBody(body: DraftBody, options: EncodeOptions = {}): EncodedDraftBody {
  const maxChunkChars = options.maxChunkChars ?? DEFAULT_MAX_CHUNK_CHARS;
  if (!(maxChunkChars >= 4)) throw new DraftCodecError("invalid-input", "maxChunkChars must be at least 4.");
  const { accountIds, territory, locked } = body.assignments;
  const n = accountIds.length;
  const k = body.territories.length;
  if (territory.length !== n || locked.length !== n) throw new DraftCodecError("invalid-input", "Assignment arrays differ in length.");
  if (k > 65534) throw new DraftCodecError("invalid-input", "A draft holds at most 65,534 territories.");

  const order = new Uint32Array(n);
  const high = new Float64Array(n); // first 8 hex digits as a number: most comparisons end there
  for (let i = 0; i < n; i++) {
    const id = accountIds[i];
    if (!isNormalisedGuid(id)) throw new DraftCodecError("invalid-input", `Account id "${id}" is not a lower-case GUID.`);
    const t = territory[i];
    if (t < -1 || t >= k) throw new DraftCodecError("invalid-input", `Account ${id} points at territory ${t}, but the draft has ${k}.`);
    order[i] = i;
    high[i] = parseInt(id.slice(0, 8), 16);
  }
  order.sort((a, b) => high[a] - high[b] || (accountIds[a] < accountIds[b] ? -1 : accountIds[a] > accountIds[b] ? 1 : 0));
  for (let i = 1; i < n; i++) {
    if (accountIds[order[i]] === accountIds[order[i - 1]])
      throw new DraftCodecError("invalid-input", `Account ${accountIds[order[i]]} is assigned twice.`);
  }

  const json = new TextEncoder().encode(JSON.stringify(body.territories.map(canonicalTerritory)));
  const baseline = body.baseline ?? null;
  let baselineJson: Uint8Array | null = null;
  if (baseline) {
    if (baseline.territory.length !== n)
      throw new DraftCodecError("invalid-input", `The baseline describes ${baseline.territory.length} accounts, the assignments ${n}.`);
    if (baseline.territoryIds.length > 65534) throw new DraftCodecError("invalid-input", "A baseline holds at most 65,534 territories.");
    for (const id of baseline.territoryIds)
      if (!isNormalisedGuid(id)) throw new DraftCodecError("invalid-input", `Baseline territory id "${id}" is not a lower-case GUID.`);
    for (let i = 0; i < n; i++) {
      const b = baseline.territory[i];
      if (b < -1 || b >= baseline.territoryIds.length)
        throw new DraftCodecError(
          "invalid-input",
          `Account ${accountIds[i]} has baseline territory ${b}, but the baseline has ${baseline.territoryIds.length}.`,
        );
    }
    baselineJson = new TextEncoder().encode(JSON.stringify({ takenOn: baseline.takenOn ?? null, territoryIds: baseline.territoryIds }));
  }
  const dataBytes = json.length + n * 19 + (baselineJson ? 4 + baselineJson.length + n * 2 : 0);
  const raw = new Uint8Array(HEADER_BYTES + dataBytes);
  const view = new DataView(raw.buffer);
  raw.set(MAGIC, 0);
  const tree = body.territories.some((t) => typeof t.parentKey === "string" && t.parentKey !== "");
  view.setUint32(4, tree ? 3 : baselineJson ? 2 : 1, true);
  view.setUint32(8, n, true);
  view.setUint32(12, k, true);
  view.setUint32(16, json.length, true);
  view.setUint32(20, baselineJson ? FLAG_BASELINE : 0, true);
  raw.set(json, HEADER_BYTES);

  const planes = HEADER_BYTES + json.length;
  const g = new Uint8Array(16);
  let prevHigh = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r];
    guidToBytes(accountIds[i], g, 0);
    const hi = ((g[0] << 24) | (g[1] << 16) | (g[2] << 8) | g[3]) >>> 0;
    const delta = (hi - prevHigh) >>> 0;
    prevHigh = hi;
    raw[planes + r] = delta >>> 24;
    raw[planes + n + r] = (delta >>> 16) & 255;
    raw[planes + 2 * n + r] = (delta >>> 8) & 255;
    raw[planes + 3 * n + r] = delta & 255;
    for (let b = 4; b < 16; b++) raw[planes + b * n + r] = g[b];
    const t = territory[i] + 1;
    raw[planes + 16 * n + r] = t & 255;
    raw[planes + 17 * n + r] = t >>> 8;
    raw[planes + 18 * n + r] = locked[i] ? 1 : 0;
  }
  if (baseline && baselineJson) {
    let at = planes + 19 * n;
    view.setUint32(at, baselineJson.length, true);
    raw.set(baselineJson, at + 4);
    at += 4 + baselineJson.length;
    for (let r = 0; r < n; r++) {
      const b = baseline.territory[order[r]] + 1;
      raw[at + r] = b & 255;
      raw[at + n + r] = b >>> 8;
    }
  }
  view.setUint32(24, crc32(raw, HEADER_BYTES), true);

  const compressed = deflateSync(raw, { level: options.level ?? 6 });
  const text = toBase64(compressed);
  const count = Math.max(1, Math.ceil(text.length / maxChunkChars));
  const chunks: DraftChunk[] = [];
  for (let c = 0; c < count; c++) {
    const payload = text.slice(c * maxChunkChars, (c + 1) * maxChunkChars);
    chunks.push({ index: c, count, payload, checksum: chunkChecksum(payload) });
  }
  return { chunks, accountCount: n, territoryCount: k, rawBytes: raw.length, compressedBytes: compressed.length, totalChars: text.length };
}

export interface DecodeExpectations {
  /** Chunk count recorded on the plan (tmap_chunkcount). */
  chunkCount?: number;
  /** Account count recorded on the plan (tmap_accountcount). */
  accountCount?: number;
}

/** Stored chunk as read back (checksum may be missing on hand-edited rows). */
export interface StoredChunk {
  index: number;
  count: number;
  payload: string;
  checksum?: string | null;
}

/**
 * Decodes chunks (any order) back into territories and assignments (accounts sorted by id).
 * Throws {@link DraftCodecError} on missing, duplicated or damaged chunks and on count mismatches.
 */
export function decodeDraftBody(stored: readonly StoredChunk[], expect: DecodeExpectations = {}): DraftBody {
  if (stored.length === 0) throw new DraftCodecError("missing-chunk", "The draft's account assignments are missing (no stored chunks).");
  const count = expect.chunkCount ?? stored[0].count;
  const byIndex = new Array<StoredChunk | undefined>(count);
  for (const c of stored) {
    if (c.count !== count)
      throw new DraftCodecError("chunk-count", `Chunk ${c.index + 1} says the draft has ${c.count} chunks, but ${count} were expected.`);
    if (!Number.isInteger(c.index) || c.index < 0 || c.index >= count)
      throw new DraftCodecError("chunk-count", `Chunk index ${c.index} is outside 0–${count - 1}.`);
    if (byIndex[c.index]) throw new DraftCodecError("chunk-count", `Chunk ${c.index + 1} of ${count} is stored twice.`);
    byIndex[c.index] = c;
  }
  const missing: number[] = [];
  for (let i = 0; i < count; i++) if (!byIndex[i]) missing.push(i + 1);
  if (missing.length)
    throw new DraftCodecError(
      "missing-chunk",
      `The draft is incomplete: chunk${missing.length > 1 ? "s" : ""} ${missing.join(", ")} of ${count} ${missing.length > 1 ? "are" : "is"} missing.`,
    );
  let text = "";
  for (const c of byIndex as StoredChunk[]) {
    if (c.checksum && chunkChecksum(c.payload) !== c.checksum) {
      throw new DraftCodecError("checksum", `The draft is damaged: chunk ${c.index + 1} of ${count} does not match its checksum.`);
    }
    text += c.payload;
  }
  let raw: Uint8Array;
  try {
    raw = inflateSync(fromBase64(text));
  } catch (e) {
    if (e instanceof DraftCodecError) throw e;
    throw new DraftCodecError(
      "corrupt",
      `The draft is damaged: its assignments cannot be decompressed (${e instanceof Error ? e.message : String(e)}).`,
    );
  }
  return decodeRaw(raw, expect);
}

function decodeRaw(raw: Uint8Array, expect: DecodeExpectations): DraftBody {
  if (raw.length < HEADER_BYTES || MAGIC.some((m, i) => raw[i] !== m))
    throw new DraftCodecError("format", "The stored data is not a draft body (bad header).");
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const version = view.getUint32(4, true);
  if (version < 1 || version > DRAFT_BODY_FORMAT_VERSION)
    throw new DraftCodecError(
      "format",
      `The draft was saved in format ${version}; this version of the control reads formats 1–${DRAFT_BODY_FORMAT_VERSION}.`,
    );
  const n = view.getUint32(8, true);
  const k = view.getUint32(12, true);
  const jsonLength = view.getUint32(16, true);
  const hasBaseline = version >= 2 && (view.getUint32(20, true) & FLAG_BASELINE) !== 0;
  const baselineAt = HEADER_BYTES + jsonLength + n * 19;
  const baselineJsonLength = hasBaseline && raw.length >= baselineAt + 4 ? view.getUint32(baselineAt, true) : 0;
  const expectedBytes = baselineAt + (hasBaseline ? 4 + baselineJsonLength + n * 2 : 0);
  if (raw.length !== expectedBytes)
    throw new DraftCodecError("corrupt", `The draft is damaged: ${raw.length} bytes stored, ${expectedBytes} expected.`);
  if (crc32(raw, HEADER_BYTES) !== view.getUint32(24, true))
    throw new DraftCodecError("checksum", "The draft is damaged: its assignments do not match their checksum.");
  if (expect.accountCount !== undefined && expect.accountCount !== n) {
    throw new DraftCodecError(
      "account-count",
      `The draft should hold ${expect.accountCount} accounts but its stored assignments hold ${n}.`,
    );
  }
  const territories = JSON.parse(new TextDecoder().decode(raw.subarray(HEADER_BYTES, HEADER_BYTES + jsonLength))) as DraftTerritory[];
  if (!Array.isArray(territories) || territories.length !== k)
    throw new DraftCodecError("corrupt", `The draft is damaged: ${k} territories expected.`);

  const planes = HEADER_BYTES + jsonLength;
  const accountIds = new Array<string>(n);
  const territory = new Int32Array(n);
  const locked = new Uint8Array(n);
  const g = new Uint8Array(16);
  let high = 0;
  for (let r = 0; r < n; r++) {
    const delta = ((raw[planes + r] << 24) | (raw[planes + n + r] << 16) | (raw[planes + 2 * n + r] << 8) | raw[planes + 3 * n + r]) >>> 0;
    high = (high + delta) >>> 0;
    g[0] = high >>> 24;
    g[1] = (high >>> 16) & 255;
    g[2] = (high >>> 8) & 255;
    g[3] = high & 255;
    for (let b = 4; b < 16; b++) g[b] = raw[planes + b * n + r];
    accountIds[r] = bytesToGuid(g);
    territory[r] = (raw[planes + 16 * n + r] | (raw[planes + 17 * n + r] << 8)) - 1;
    locked[r] = raw[planes + 18 * n + r];
    if (territory[r] >= k)
      throw new DraftCodecError("corrupt", `The draft is damaged: account ${accountIds[r]} points at territory ${territory[r]} of ${k}.`);
  }
  if (!hasBaseline) return { territories, assignments: { accountIds, territory, locked } };
  const meta = JSON.parse(new TextDecoder().decode(raw.subarray(baselineAt + 4, baselineAt + 4 + baselineJsonLength))) as {
    takenOn?: string | null;
    territoryIds?: string[];
  };
  const territoryIds = Array.isArray(meta.territoryIds) ? meta.territoryIds.map(String) : [];
  const planes2 = baselineAt + 4 + baselineJsonLength;
  const base = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    base[r] = (raw[planes2 + r] | (raw[planes2 + n + r] << 8)) - 1;
    if (base[r] >= territoryIds.length)
      throw new DraftCodecError(
        "corrupt",
        `The draft is damaged: account ${accountIds[r]} has baseline territory ${base[r]} of ${territoryIds.length}.`,
      );
  }
  return {
    territories,
    assignments: { accountIds, territory, locked },
    baseline: { takenOn: meta.takenOn ?? null, territoryIds, territory: base },
  };
}

/** Territory with a fixed key order and defaults, so encoding is deterministic. */
function canonicalTerritory(t: DraftTerritory): DraftTerritory {
  const out: DraftTerritory = {
    key: t.key,
    name: t.name,
    color: t.color,
    geometry: t.geometry ?? null,
    postalCodes: [...(t.postalCodes ?? [])],
    repId: t.repId ?? null,
    territoryId: t.territoryId ?? null,
    totals: { ...(t.totals ?? {}) },
  };
  if (t.locked) out.locked = true;
  if (t.parentTerritoryId !== undefined) out.parentTerritoryId = t.parentTerritoryId;
  if (typeof t.parentKey === "string" && t.parentKey !== "") out.parentKey = t.parentKey;
  return out;
}
