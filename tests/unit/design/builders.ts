import type { Account } from "../../../TerritoryMapControl/domain/accounts";
import { buildAccountTable, type AccountTable } from "../../../TerritoryMapControl/domain/design";

/** Deterministic pseudo-random numbers (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function anAccount(i: number, lon: number | null, lat: number | null, extra: Partial<Account> = {}): Account {
  return {
    id: `a${i}`,
    name: `Account ${i}`,
    latitude: lat,
    longitude: lon,
    placement: lon === null || lat === null ? "missing" : "placed",
    postalCode: null,
    city: null,
    state: null,
    territoryId: null,
    ownerId: null,
    measures: [i, 1],
    ...extra,
  };
}

/** n accounts spread over the contiguous US (seeded), measures [revenue = i, workload = 1]. */
export function randomTable(n: number, seed = 1, unplaced = 0): AccountTable {
  const r = rng(seed);
  const accounts: Account[] = [];
  for (let i = 0; i < n; i++) accounts.push(anAccount(i, -124 + r() * 57, 25 + r() * 24));
  for (let j = 0; j < unplaced; j++) accounts.push(anAccount(n + j, null, null));
  return buildAccountTable(accounts, ["revenue", "workload"]);
}
