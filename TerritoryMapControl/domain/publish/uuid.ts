/**
 * Name-based UUIDs (RFC 4122 version 5, SHA-1): the same plan and territory key always give the same id, so a
 * territory created by an interrupted publish is found again (and not duplicated) when the publish resumes.
 *
 * Pure TypeScript: no Node or DOM crypto (runs in the control, the worker and Node).
 */

/** Namespace of the ids publishing gives to the territories it creates. */
export const TERRITORY_NAMESPACE = "6f1f3d0e-6a55-5b7e-9d0c-3c1b8a7e2f41";

/** SHA-1 of bytes (FIPS 180-4). */
export function sha1(bytes: Uint8Array): Uint8Array {
  const ml = bytes.length;
  const padded = new Uint8Array(((ml + 9 + 63) >>> 6) << 6);
  padded.set(bytes);
  padded[ml] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(ml / 0x20000000), false);
  view.setUint32(padded.length - 4, (ml << 3) >>> 0, false);
  let h0 = 0x67452301,
    h1 = 0xefcdab89,
    h2 = 0x98badcfe,
    h3 = 0x10325476,
    h4 = 0xc3d2e1f0;
  const w = new Uint32Array(80);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4, false);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = h0,
      b = h1,
      c = h2,
      d = h3,
      e = h4;
    for (let i = 0; i < 80; i++) {
      let f: number, k: number;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]) >>> 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h0 = (h0 + a) >>> 0;
    h1 = (h1 + b) >>> 0;
    h2 = (h2 + c) >>> 0;
    h3 = (h3 + d) >>> 0;
    h4 = (h4 + e) >>> 0;
  }
  const out = new Uint8Array(20);
  const ov = new DataView(out.buffer);
  [h0, h1, h2, h3, h4].forEach((h, i) => ov.setUint32(i * 4, h, false));
  return out;
}

function guidBytes(id: string): Uint8Array {
  const hex = id.replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`Not a GUID: "${id}"`);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * UUID version 5 of `name` in `namespace` (lower case, hyphenated).
 *
 * @example
 * uuidv5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")   // "2ed6657d-e927-568b-95e1-2665a8aea6a2"
 */
export function uuidv5(name: string, namespace: string): string {
  const ns = guidBytes(namespace);
  const nameBytes = new TextEncoder().encode(name);
  const input = new Uint8Array(16 + nameBytes.length);
  input.set(ns);
  input.set(nameBytes, 16);
  const h = sha1(input).subarray(0, 16);
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = Array.from(h, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id publishing gives the Dynamics territory of draft territory `key` of plan `planId` when it has none. */
export function publishedTerritoryId(planId: string, key: string): string {
  return uuidv5(`${planId.toLowerCase()}/${key}`, TERRITORY_NAMESPACE);
}
