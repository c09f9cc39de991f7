/** @jest-environment jsdom */
import { POPUP_MAX_ACCOUNTS, popupContent, type PopupEntry } from "../../../TerritoryMapControl/adapters/map/popup";
import { anAccount } from "./builders";

const labels = {
  territory: "Territory",
  unassigned: "Unassigned",
  location: "Location",
  parent: "Parent territory",
  owner: "Owner",
  openRecord: "Open record",
  openRecordOf: "Open the record of {0}",
  more: "…and {0} more at this spot",
};

const details = (over: Partial<PopupEntry["details"]> = {}): PopupEntry["details"] => ({
  territory: "West",
  color: "#1f77b4",
  parent: "Pacific",
  owner: "Ana Rep",
  measures: [
    { name: "revenue", value: "1,250,000.5" },
    { name: "tmap_workloadhours", value: "12" },
  ],
  ...over,
});

describe("popupContent", () => {
  it("shows account and plan text as text, never as markup", () => {
    const evil = anAccount({
      name: '<img src=x onerror="alert(1)">Evil & Co',
      city: "<b>Town</b>",
      street: "1 <i>Main</i> St",
      territoryId: "t1",
    });
    const el = popupContent(
      [{ account: evil, details: details({ territory: "<script>West</script>", parent: "<u>P</u>", owner: "<em>Ana</em>" }) }],
      labels,
      () => undefined,
    );
    expect(el.querySelector("img, b, i, u, em, script")).toBeNull();
    expect(el.querySelector(".tmap-popup-title")!.textContent).toBe('<img src=x onerror="alert(1)">Evil & Co');
    expect(el.textContent).toContain("1 <i>Main</i> St, <b>Town</b>, WA, 98101");
    expect(el.textContent).toContain("Territory: <script>West</script>");
    expect(el.textContent).toContain("Parent territory: <u>P</u>");
    expect(el.textContent).toContain("Owner: <em>Ana</em>");
    expect(el.querySelector("button")!.getAttribute("aria-label")).toBe('Open the record of <img src=x onerror="alert(1)">Evil & Co');
  });

  it("lists owner, territory and its parent, every measure by name, the location, and an Open record button per account", () => {
    const onOpen = jest.fn();
    const a = anAccount({ id: "a-1", name: "Contoso" });
    const el = popupContent([{ account: a, details: details() }], labels, onOpen);
    expect([...el.querySelectorAll(".tmap-popup-measure")].map((m) => m.textContent)).toEqual([
      "revenue: 1,250,000.5",
      "tmap_workloadhours: 12",
    ]);
    expect(el.querySelector(".tmap-popup-owner")!.textContent).toBe("Owner: Ana Rep");
    expect(el.querySelector(".tmap-popup-coords")!.textContent).toBe("Location: 47.60620, -122.33210");
    const button = el.querySelector("button")!;
    expect(button.textContent).toBe("Open record");
    button.click();
    expect(onOpen).toHaveBeenCalledWith("a-1");
  });

  it("lists the accounts sharing a spot in one popup, each with its own button; beyond the limit they are counted", () => {
    const onOpen = jest.fn();
    const entries = Array.from({ length: POPUP_MAX_ACCOUNTS + 3 }, (_, k) => ({
      account: anAccount({ id: `id-${k}`, name: `Account ${k}` }),
      details: details({ owner: k === 1 ? null : "Ana Rep" }),
    }));
    const el = popupContent(entries, labels, onOpen);
    expect(el.querySelectorAll(".tmap-popup-account")).toHaveLength(POPUP_MAX_ACCOUNTS);
    expect(el.querySelector(".tmap-popup-more")!.textContent).toBe("…and 3 more at this spot");
    expect(el.querySelectorAll(".tmap-popup-account")[1].querySelector(".tmap-popup-owner")).toBeNull(); // no owner known: no line
    (el.querySelectorAll("button")[2] as HTMLButtonElement).click();
    expect(onOpen).toHaveBeenCalledWith("id-2");
  });

  it("names an unassigned account's territory as given and offers no button without a navigation callback", () => {
    const el = popupContent(
      [
        {
          account: anAccount({ territoryId: null }),
          details: details({ territory: "Unassigned", parent: null, owner: null, measures: [] }),
        },
      ],
      labels,
    );
    expect(el.textContent).toContain("Territory: Unassigned");
    expect(el.textContent).not.toContain("Parent territory");
    expect(el.querySelector("button")).toBeNull();
  });
});
