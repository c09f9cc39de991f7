import { accountFromRow, checkCoordinates, repFromRow, territoryFromRow } from "../../../TerritoryMapControl/domain/accounts";

describe("checkCoordinates", () => {
  it.each([
    ["a normal pair", 47.6, -122.3, "placed"],
    ["numeric text", "47.6", "-122.3", "placed"],
    ["the poles and antimeridian", -90, 180, "placed"],
    ["a null latitude", null, -122.3, "missing"],
    ["an undefined longitude", 47.6, undefined, "missing"],
    ["empty text", "", "  ", "missing"],
    ["non-numeric text", "north", -122.3, "invalid"],
    ["NaN", Number.NaN, -122.3, "invalid"],
    ["Infinity", 47.6, Number.POSITIVE_INFINITY, "invalid"],
    ["null island (0, 0)", 0, 0, "invalid"],
    ["a latitude beyond 90 (swapped-looking)", -98.35, 39.5, "out-of-range"],
    ["a longitude beyond 180", 47.6, 200, "out-of-range"],
  ])("%s → %s", (_label, lat, lon, placement) => {
    expect(checkCoordinates(lat, lon).placement).toBe(placement);
  });

  it("keeps a zero latitude when the longitude is not zero (equator is valid)", () => {
    expect(checkCoordinates(0, 32.5)).toEqual({ placement: "placed", latitude: 0, longitude: 32.5 });
  });

  it("returns null coordinates for anything not placed", () => {
    expect(checkCoordinates(0, 0)).toEqual({ placement: "invalid", latitude: null, longitude: null });
  });
});

describe("accountFromRow", () => {
  const row = {
    "@odata.etag": 'W/"1"',
    accountid: "5D6A8E20-0000-0000-0000-000000000001",
    name: "Fabrikam <b>Inc</b>",
    address1_latitude: 40.7128,
    address1_longitude: -74.006,
    address1_postalcode: "10001",
    address1_city: "New York",
    address1_stateorprovince: "NY",
    _territoryid_value: "A1B2C3D4-0000-0000-0000-000000000002",
    "_territoryid_value@OData.Community.Display.V1.FormattedValue": "East",
    _ownerid_value: "11111111-0000-0000-0000-000000000003",
    revenue: 1250000.5,
    tmap_workloadhours: null,
  };

  it("maps a full Web API row", () => {
    expect(accountFromRow(row, ["revenue", "tmap_workloadhours"])).toEqual({
      id: "5d6a8e20-0000-0000-0000-000000000001",
      name: "Fabrikam <b>Inc</b>",
      latitude: 40.7128,
      longitude: -74.006,
      placement: "placed",
      postalCode: "10001",
      city: "New York",
      state: "NY",
      street: null,
      territoryId: "a1b2c3d4-0000-0000-0000-000000000002",
      ownerId: "11111111-0000-0000-0000-000000000003",
      measures: [1250000.5, 0],
    });
  });

  it("marks a row without coordinates as missing and keeps the rest", () => {
    const a = accountFromRow({ accountid: "x", name: "No Geo", _territoryid_value: null }, []);
    expect(a).toMatchObject({ placement: "missing", latitude: null, longitude: null, territoryId: null, postalCode: null, measures: [] });
  });

  it("reads numeric text measures and treats non-numeric ones as 0", () => {
    expect(
      accountFromRow({ accountid: "x", revenue: "12.5", numberofemployees: "many" }, ["revenue", "numberofemployees"]).measures,
    ).toEqual([12.5, 0]);
  });

  it("takes a numeric postal code as text", () => {
    expect(accountFromRow({ accountid: "x", address1_postalcode: 2134 }, []).postalCode).toBe("2134");
  });
});

describe("territoryFromRow / repFromRow", () => {
  it("maps a territory row", () => {
    expect(territoryFromRow({ territoryid: "T1", name: "West", _managerid_value: "U1", _parentterritoryid_value: null })).toEqual({
      id: "t1",
      name: "West",
      managerId: "u1",
      parentId: null,
    });
  });

  it("maps a user with and without a home base", () => {
    expect(repFromRow({ systemuserid: "U1", fullname: "Ana Rep", address1_latitude: 41.88, address1_longitude: -87.63 })).toEqual({
      id: "u1",
      fullName: "Ana Rep",
      homeBase: { latitude: 41.88, longitude: -87.63 },
    });
    expect(repFromRow({ systemuserid: "U2", fullname: "No Base" }).homeBase).toBeNull();
  });
});
