/** @jest-environment jsdom */
import * as React from "react";
import "@testing-library/jest-dom";
import { configure, fireEvent, render, screen } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { PostalCodeImportDialog } from "../../../TerritoryMapControl/components/design";
import type { PostalCodeImportResult } from "../../../TerritoryMapControl/domain/design";
import { buildAccountTable, PostalCodeIndex, totalsOf } from "../../../TerritoryMapControl/domain/design";
import { anAccount } from "./builders";
import { getString, installResizeObserver } from "./strings";

beforeAll(installResizeObserver);
// Fluent + role queries are slow in jsdom on a shared 2-core machine.
jest.setTimeout(60_000);
// Role queries skip jsdom's per-element visibility check (getComputedStyle on every node), the slow part.
configure({ defaultHidden: true });

const wrap = (ui: React.ReactElement) => render(<FluentProvider theme={webLightTheme}>{ui}</FluentProvider>);

/** Picks an option of a Fluent Dropdown by the dropdown's accessible name and the option's text. */
async function choose(name: string, option: string | RegExp) {
  fireEvent.click(screen.getByRole("combobox", { name }));
  fireEvent.click(await screen.findByRole("option", { name: option }));
}

describe("PostalCodeImportDialog", () => {
  const accounts = ["02134", "02134-0001", "98101", "98101", "98102", "10001"].map((pc, i) => anAccount(i, -100, 40, { postalCode: pc }));
  const table = buildAccountTable(accounts, ["revenue", "workload"]);
  const index = new PostalCodeIndex(table);
  const codeTotals = (code: string) => totalsOf(table, index.accountsFor(code));
  const territories = [
    { id: "t-west", name: "West" },
    { id: "t-east", name: "East" },
  ];

  it("previews per-line errors and per-code totals, then applies grouped codes (new territories named)", async () => {
    const onApply = jest.fn<void, [PostalCodeImportResult]>();
    wrap(
      <PostalCodeImportDialog
        open
        onOpenChange={() => undefined}
        territories={territories}
        measureLabels={["Revenue", "Workload"]}
        codeTotals={codeTotals}
        onApply={onApply}
        getString={getString}
      />,
    );
    fireEvent.change(screen.getByRole("textbox", { name: /Postal codes/ }), {
      target: { value: "zip,territory\n02134,east\n98101,West\nnot a zip\n98102\n10001,Gotham\n" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Preview" }));
    expect(screen.getByTestId("postal-summary")).toHaveTextContent(
      "4 postal codes · 6 accounts · 1 errors · 0 warnings · line 1 read as a header",
    );
    const issues = screen.getByRole("list", { name: "Problems found in the list" });
    expect(issues).toHaveTextContent("Error: Line 4: “not a zip” is not a postal code; not applied");
    const rows = screen.getAllByTestId("postal-row").map((r) => Array.from(r.querySelectorAll("td")).map((td) => td.textContent));
    expect(rows[0]).toEqual(["02134", "East", "2", "1", "2"]);
    expect(rows[1]).toEqual(["98101", "West", "2", "5", "2"]);
    expect(rows[3]).toEqual(["10001", "New: Gotham", "1", "5", "1"]);
    // 98102 has no territory: a default is required before applying.
    const apply = screen.getByRole("button", { name: "Apply 4 codes" });
    expect(apply).toBeDisabled();
    await choose("Territory for codes without one", "New territory…");
    fireEvent.change(screen.getByTestId("postal-new-name"), { target: { value: "Central" } });
    expect(apply).toBeEnabled();
    fireEvent.click(apply);
    expect(onApply).toHaveBeenCalledWith({
      skippedLines: 1,
      groups: [
        { territoryId: "t-east", newTerritoryName: null, codes: ["02134"] },
        { territoryId: "t-west", newTerritoryName: null, codes: ["98101"] },
        { territoryId: null, newTerritoryName: "Central", codes: ["98102"] },
        { territoryId: null, newTerritoryName: "Gotham", codes: ["10001"] },
      ],
    });
  });

  it("imports a CSV file", async () => {
    wrap(
      <PostalCodeImportDialog
        open
        onOpenChange={() => undefined}
        territories={territories}
        measureLabels={[]}
        codeTotals={codeTotals}
        onApply={() => undefined}
        getString={getString}
      />,
    );
    const file = new File(["02134,West\r\n98101,West\r\n"], "codes.csv", { type: "text/csv" });
    fireEvent.change(screen.getByLabelText("Postal code file (CSV or TXT)"), { target: { files: [file] } });
    expect(await screen.findByText("Loaded codes.csv", {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /Postal codes/ })).toHaveValue("02134,West\n98101,West\n"); // a textarea normalises line breaks;
  });
});
