/** @jest-environment jsdom */
import * as React from "react";
import "@testing-library/jest-dom";
import { configure, fireEvent, render, screen, within } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { DesignToolbar, SelectionPanel } from "../../../TerritoryMapControl/components/design";
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

describe("DesignToolbar", () => {
  it("offers every tool by name, reports the picked one, and toggles heat map and clusters", () => {
    const onTool = jest.fn();
    const onHeat = jest.fn();
    const onClusters = jest.fn();
    const onWeight = jest.fn();
    const { rerender } = wrap(
      <DesignToolbar
        tool="idle"
        onToolChange={onTool}
        heatMap={false}
        onHeatMapChange={onHeat}
        heatWeight="count"
        heatWeightOptions={[{ key: "revenue", label: "Revenue" }]}
        onHeatWeightChange={onWeight}
        clusters={false}
        onClustersChange={onClusters}
        getString={getString}
      />,
    );
    expect(screen.getByRole("toolbar", { name: "Map design tools" })).toBeInTheDocument();
    for (const name of ["Pan", "Lasso", "Box select", "Polygon", "Rectangle", "Circle", "Edit shapes", "Delete shape"])
      expect(screen.getByRole("radio", { name })).toBeInTheDocument();
    fireEvent.click(screen.getByRole("radio", { name: "Lasso" }));
    expect(onTool).toHaveBeenCalledWith("lasso");
    fireEvent.click(screen.getByRole("button", { name: "Heat map" }));
    expect(onHeat).toHaveBeenCalledWith(true);
    fireEvent.click(screen.getByRole("button", { name: "Clusters" }));
    expect(onClusters).toHaveBeenCalledWith(true);
    expect(screen.queryByRole("combobox", { name: "Heat map weight" })).not.toBeInTheDocument();
    rerender(
      <FluentProvider theme={webLightTheme}>
        <DesignToolbar
          tool="lasso"
          onToolChange={onTool}
          heatMap
          onHeatMapChange={onHeat}
          heatWeight="count"
          heatWeightOptions={[{ key: "revenue", label: "Revenue" }]}
          onHeatWeightChange={onWeight}
          clusters
          onClustersChange={onClusters}
          getString={getString}
        />
      </FluentProvider>,
    );
    expect(screen.getByRole("radio", { name: "Lasso" })).toBeChecked();
    expect(screen.getByRole("button", { name: "Heat map" })).toHaveAttribute("aria-pressed", "true");
    fireEvent.click(screen.getByRole("combobox", { name: "Heat map weight" }));
    fireEvent.click(screen.getByRole("option", { name: "Revenue" }));
    expect(onWeight).toHaveBeenCalledWith("revenue");
  });
});

describe("SelectionPanel", () => {
  it("lists the selection with totals, moves it to a territory, locks and clears", async () => {
    const onMove = jest.fn();
    const onLock = jest.fn();
    const onClear = jest.fn();
    const rows = Array.from({ length: 8 }, (_, i) => ({
      id: `a${i}`,
      name: i === 0 ? "<b>Fabrikam</b>" : `Account ${i}`,
      territory: "West",
      locked: i === 1,
    }));
    wrap(
      <SelectionPanel
        count={250}
        totals={[1234567, 89]}
        measureLabels={["Revenue", "Workload"]}
        rows={rows}
        lockedCount={1}
        listLimit={5}
        territories={[
          { id: "t1", name: "West" },
          { id: "t2", name: "East" },
        ]}
        onMove={onMove}
        onLock={onLock}
        onClear={onClear}
        getString={getString}
      />,
    );
    expect(screen.getByRole("heading", { name: "Selected accounts (250)" })).toBeInTheDocument();
    expect(screen.getByTestId("selection-totals")).toHaveTextContent("250 accounts · Revenue 1,234,567 · Workload 89 · 1 locked");
    const list = screen.getByRole("list", { name: "Selected accounts" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(5);
    expect(screen.getByText("<b>Fabrikam</b>")).toBeInTheDocument(); // escaped, not HTML
    expect(screen.getByText("…and 245 more")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Move" })).toBeDisabled();
    await choose("Move selected accounts to", "East");
    fireEvent.click(screen.getByRole("button", { name: "Move" }));
    expect(onMove).toHaveBeenCalledWith("t2");
    await choose("Move selected accounts to", "Unassigned");
    fireEvent.click(screen.getByRole("button", { name: "Move" }));
    expect(onMove).toHaveBeenLastCalledWith(null);
    fireEvent.click(screen.getByRole("button", { name: "Lock" }));
    expect(onLock).toHaveBeenCalledWith(true);
    fireEvent.click(screen.getByRole("button", { name: "Unlock" }));
    expect(onLock).toHaveBeenLastCalledWith(false);
    fireEvent.click(screen.getByRole("button", { name: "Clear selection" }));
    expect(onClear).toHaveBeenCalled();
  });
});
