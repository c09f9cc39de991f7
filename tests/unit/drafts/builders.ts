/** Builders for draft tests: deterministic (seeded) account ids, territories and drafts of any size. */
import type { Draft, DraftTerritory } from "../../../TerritoryMapControl/domain/drafts/model";

/** mulberry32: small seeded PRNG in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n distinct random v4-shaped GUIDs (lower case), deterministic for a seed. */
export function guids(n: number, seed = 1): string[] {
  const rnd = prng(seed);
  const hex = (len: number) => {
    let s = "";
    for (let i = 0; i < len; i++) s += Math.floor(rnd() * 16).toString(16);
    return s;
  };
  const out = new Set<string>();
  while (out.size < n) out.add(`${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[Math.floor(rnd() * 4)]}${hex(3)}-${hex(12)}`);
  return [...out];
}

export function territory(i: number, extra: Partial<DraftTerritory> = {}): DraftTerritory {
  return {
    key: `t${i}`,
    name: `Territory ${i + 1}`,
    color: `#${(((i * 2654435761) >>> 8) & 0xffffff).toString(16).padStart(6, "0")}`,
    geometry: {
      type: "Polygon",
      coordinates: [
        [
          [-122 + i * 0.1, 47],
          [-121.9 + i * 0.1, 47],
          [-121.9 + i * 0.1, 47.1],
          [-122 + i * 0.1, 47],
        ],
      ],
    },
    postalCodes: [`98${String(100 + i).padStart(3, "0")}`],
    repId: null,
    territoryId: null,
    totals: { accounts: 0 },
    ...extra,
  };
}

/** A draft with `accounts` accounts spread over `territories` territories (every 97th unassigned, every 101st locked). */
export function bigDraft(accounts: number, territories: number, seed = 7, name = "Q3 West"): Draft {
  const ids = guids(accounts, seed);
  const rnd = prng(seed + 1);
  const t = new Int32Array(accounts);
  const locked = new Uint8Array(accounts);
  for (let i = 0; i < accounts; i++) {
    t[i] = i % 97 === 0 ? -1 : Math.floor(rnd() * territories);
    locked[i] = i % 101 === 0 ? 1 : 0;
  }
  return {
    name,
    version: 1,
    parentId: null,
    status: "draft",
    notes: "Research notes",
    balancingSettings: { measures: ["revenue"], tolerance: 0.05 },
    metrics: { balance: 0.97 },
    territories: Array.from({ length: territories }, (_, i) => territory(i)),
    assignments: { accountIds: ids, territory: t, locked },
  };
}

/** Sorted (accountId, territory, locked) triples: compare assignments regardless of order. */
export function triples(d: Pick<Draft, "assignments">): string[] {
  const a = d.assignments;
  return a.accountIds.map((id, i) => `${id}:${a.territory[i]}:${a.locked[i]}`).sort();
}
