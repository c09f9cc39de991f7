/** @jest-environment jsdom */
import { popupContent } from "../../../TerritoryMapControl/adapters/map/popup";
import { anAccount } from "./builders";

const labels = { territory: "Territory", unassigned: "Unassigned", location: "Location" };

describe("popupContent", () => {
  it("shows account text as text, never as markup", () => {
    const evil = anAccount({ name: '<img src=x onerror="alert(1)">Evil & Co', city: "<b>Town</b>", territoryId: "t1" });
    const el = popupContent(evil, labels, "<script>West</script>", "#1f77b4");
    expect(el.querySelector("img, b, script")).toBeNull();
    expect(el.textContent).toBe(
      '<img src=x onerror="alert(1)">Evil & Co<b>Town</b>, WA, 98101Territory: <script>West</script>Location: 47.60620, -122.33210',
    );
  });

  it("names an unassigned account's territory as such", () => {
    const el = popupContent(anAccount({ territoryId: null }), labels, "ignored", "#8a8a8a");
    expect(el.textContent).toContain("Territory: Unassigned");
  });
});
