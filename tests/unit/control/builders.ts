import type { Account } from "../../../TerritoryMapControl/domain/accounts";

/** An Account with sensible defaults; override what the test is about. */
export function anAccount(overrides: Partial<Account> = {}): Account {
  return {
    id: "00000000-0000-0000-0000-000000000001",
    name: "Contoso Ltd",
    latitude: 47.6062,
    longitude: -122.3321,
    placement: "placed",
    postalCode: "98101",
    city: "Seattle",
    state: "WA",
    territoryId: null,
    ownerId: null,
    measures: [],
    ...overrides,
  };
}

/** n placed accounts followed by `unplaced` accounts without coordinates (named "Unplaced 1"…). */
export function someAccounts(n: number, unplaced = 0): Account[] {
  const list: Account[] = [];
  for (let i = 0; i < n; i++) {
    list.push(anAccount({ id: `p${i}`, name: `Placed ${i + 1}`, latitude: 30 + (i % 10), longitude: -100 + (i % 20) }));
  }
  for (let i = 0; i < unplaced; i++) {
    list.push(
      anAccount({ id: `u${i}`, name: `Unplaced ${i + 1}`, latitude: null, longitude: null, placement: i % 2 ? "invalid" : "missing" }),
    );
  }
  return list;
}
