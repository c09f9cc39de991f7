import { PALETTE, TerritoryColors, UNASSIGNED_COLOR } from "../../../TerritoryMapControl/domain/palette";

describe("TerritoryColors", () => {
  it("gives registered territories the first slots, in registration order", () => {
    const colors = new TerritoryColors();
    colors.register(["east", "west"]);
    expect(colors.slotOf("east")).toBe(0);
    expect(colors.slotOf("west")).toBe(1);
    expect(colors.colorOf("west")).toBe(PALETTE[1]);
  });

  it("keeps a territory's colour stable and wraps around the palette", () => {
    const colors = new TerritoryColors();
    for (let i = 0; i < PALETTE.length + 2; i++) colors.indexOf(`t${i}`);
    expect(colors.slotOf(`t${PALETTE.length + 1}`)).toBe(1);
    expect(colors.slotOf("t1")).toBe(1);
    expect(colors.indexOf("t1")).toBe(1);
  });

  it("colours unassigned accounts grey with slot -1", () => {
    const colors = new TerritoryColors();
    expect(colors.slotOf(null)).toBe(-1);
    expect(colors.colorOf(null)).toBe(UNASSIGNED_COLOR);
  });
});
