import { parseNumber, parseTypedPoint } from "../../../TerritoryMapControl/domain/design/typedNumbers";

describe("typed numbers", () => {
  it("parses a typed number: empty is null, anything else that is not a number is NaN", () => {
    expect(parseNumber(" 12.5 ")).toBe(12.5);
    expect(parseNumber("-3")).toBe(-3);
    expect(parseNumber("")).toBeNull();
    expect(parseNumber("   ")).toBeNull();
    expect(parseNumber("abc")).toBeNaN();
    expect(parseNumber("Infinity")).toBeNaN();
  });

  it("parses typed latitude and longitude into [longitude, latitude] within range", () => {
    expect(parseTypedPoint("47.6", "-122.3")).toEqual([-122.3, 47.6]);
    expect(parseTypedPoint("90", "180")).toEqual([180, 90]);
    expect(parseTypedPoint("", "-122.3")).toBeNull();
    expect(parseTypedPoint("47.6", " ")).toBeNull();
    expect(parseTypedPoint("north", "-122.3")).toBeNull();
    expect(parseTypedPoint("91", "0")).toBeNull();
    expect(parseTypedPoint("0", "-180.5")).toBeNull();
  });
});
