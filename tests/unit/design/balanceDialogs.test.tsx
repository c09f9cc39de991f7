/** @jest-environment jsdom */
import * as React from "react";
import "@testing-library/jest-dom";
import { act, configure, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { createInProcessBalancerClient, type BalancerClient } from "../../../TerritoryMapControl/adapters/worker/BalancerClient";
import { proposeRuntimeChange, runAutoBalance } from "../../../TerritoryMapControl/app/design/balanceRuns";

/** Plan territories with their rep (the runs' scene needs it; the auto-balance tests list them without). */
const withReps = (territories: readonly { id: string; name: string; repId?: string | null }[]) =>
  territories.map((t) => ({ ...t, repId: t.repId ?? null }));
import { AutoBalanceDialog, RuntimeChangeDialog } from "../../../TerritoryMapControl/components/design";
import { buildAccountTable, type AutoBalanceApplyResult, type RuntimeChangeResult } from "../../../TerritoryMapControl/domain/design";
import { anAccount, rng } from "./builders";
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

function designTable(n: number) {
  const r = rng(42);
  const accounts = Array.from({ length: n }, (_, i) => anAccount(i, -120 + r() * 45, 30 + r() * 15, { name: `Account ${i}` }));
  accounts.push(anAccount(n, null, null));
  return buildAccountTable(accounts, ["revenue", "workload"]);
}

describe("AutoBalanceDialog", () => {
  const table = designTable(300);
  const assignment = Int32Array.from({ length: table.size }, (_, i) => (Number.isNaN(table.lon[i]) ? -1 : table.lon[i] < -100 ? 0 : 1));
  const territories = [
    { id: "t0", name: "West" },
    { id: "t1", name: "East" },
  ];
  const reps = [
    { id: "r0", name: "Ann", home: [-115, 35] as [number, number], territoryIndex: 0 },
    { id: "r1", name: "Bo", home: [-85, 38] as [number, number], territoryIndex: 1 },
    { id: "r2", name: "Cy", home: [-100, 40] as [number, number], territoryIndex: null },
    { id: "r3", name: "Di", home: null, territoryIndex: null },
  ];

  it("runs in the balancer client, previews totals, deviation, moves and gap, then applies", async () => {
    const onApply = jest.fn<void, [AutoBalanceApplyResult]>();
    wrap(
      <AutoBalanceDialog
        open
        onOpenChange={() => undefined}
        measureLabels={["Revenue", "Workload"]}
        territories={territories}
        reps={reps}
        run={(setup, o) =>
          runAutoBalance(
            createInProcessBalancerClient(),
            { table, assignment, locked: null, territories: withReps(territories), reps },
            setup,
            { ...o, timeLimitMs: 2000 },
          )
        }
        onApply={onApply}
        getString={getString}
      />,
    );
    expect(screen.getByRole("radio", { name: "Chosen reps" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Di (no home base)" })).toBeDisabled();
    // the owners of today's territories start chosen; another rep with a home base is offered, not ticked
    expect(screen.getByRole("checkbox", { name: "Ann" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Cy" })).not.toBeChecked();
    fireEvent.click(screen.getByRole("checkbox", { name: "Cy" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "Workload" }));
    fireEvent.change(screen.getByRole("spinbutton", { name: /Tolerance/ }), { target: { value: "10" } });
    fireEvent.click(screen.getByRole("button", { name: "Run" }));
    const preview = await screen.findByTestId("balance-preview", {}, { timeout: 15000 });
    expect(screen.getByTestId("balance-summary")).toHaveTextContent(
      /accounts would move · largest deviation: Account count .*%, Workload .*% · gap to the proven lower bound: .*%/,
    );
    const rows = within(preview).getAllByTestId("balance-row");
    expect(rows.map((r) => r.querySelector("td")?.textContent)).toEqual(["West", "East", "New territory for Cy"]);
    const sum = rows.reduce((s, r) => s + Number((r.querySelectorAll("td")[1].textContent ?? "0").replace(/,/g, "")), 0);
    expect(sum).toBe(300);
    fireEvent.click(screen.getByRole("button", { name: "Apply" }));
    const result = onApply.mock.calls[0][0];
    expect(result.newTerritories).toEqual([{ planTerritory: 2, repId: "r2" }]);
    expect(result.assignment[300]).toBe(-1); // no coordinates: unchanged
    let moved = 0;
    for (let i = 0; i < table.size; i++) if (result.assignment[i] !== assignment[i]) moved++;
    expect(moved).toBe(result.preview.moved);
    expect(result.preview.maxDeviation[0]).toBeLessThanOrEqual(0.1 + 1e-9);
  });

  it("validates the form and cancels a running balance", async () => {
    let aborted = false;
    const hanging: BalancerClient = {
      ...createInProcessBalancerClient(),
      solve: (_p, o) =>
        new Promise((_, reject) => {
          o?.onProgress?.({ phase: "dual", fraction: 0.3 });
          o?.signal?.addEventListener("abort", () => {
            aborted = true;
            const e = new Error("cancelled");
            e.name = "AbortError";
            reject(e);
          });
        }),
    };
    wrap(
      <AutoBalanceDialog
        open
        onOpenChange={() => undefined}
        measureLabels={["Revenue", "Workload"]}
        territories={territories}
        reps={reps}
        run={(setup, o) => runAutoBalance(hanging, { table, assignment, locked: null, territories: withReps(territories), reps }, setup, o)}
        onApply={() => undefined}
        getString={getString}
      />,
    );
    fireEvent.click(screen.getByRole("radio", { name: "A number of territories" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "Account count" }));
    fireEvent.click(screen.getByRole("button", { name: "Run" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Choose at least one measure to balance.");
    fireEvent.click(screen.getByRole("checkbox", { name: "Account count" }));
    fireEvent.click(screen.getByRole("button", { name: "Run" }));
    expect(await screen.findByRole("progressbar", { name: "Balancing…" })).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(await screen.findByText("Balancing was cancelled. Nothing was changed.")).toBeInTheDocument();
    expect(aborted).toBe(true);
  });
});

describe("RuntimeChangeDialog", () => {
  const table = designTable(240);
  const assignment = Int32Array.from({ length: table.size }, (_, i) =>
    Number.isNaN(table.lon[i]) ? -1 : table.lon[i] < -105 ? 0 : table.lon[i] < -90 ? 1 : 2,
  );
  const territories = [
    { id: "t0", name: "West", repId: "r0" },
    { id: "t1", name: "Central", repId: "r1" },
    { id: "t2", name: "East", repId: "r2" },
  ];
  const reps = [
    { id: "r0", name: "Ann", home: [-112, 37] as [number, number], territoryIndex: 0 },
    { id: "r1", name: "Bo", home: [-97, 37] as [number, number], territoryIndex: 1 },
    { id: "r2", name: "Cy", home: [-83, 37] as [number, number], territoryIndex: 2 },
    { id: "r3", name: "Di", home: [-100, 43] as [number, number], territoryIndex: null },
  ];

  it("rep leaves → proposal listing the moves → accept", async () => {
    const onAccept = jest.fn<void, [RuntimeChangeResult]>();
    wrap(
      <RuntimeChangeDialog
        open
        onOpenChange={() => undefined}
        table={table}
        territories={territories}
        reps={reps}
        propose={(change, tol, o) =>
          proposeRuntimeChange(
            createInProcessBalancerClient(),
            { table, assignment, locked: null, territories: withReps(territories), reps },
            change,
            tol,
            getString,
            { ...o, timeLimitMs: 2000 },
          )
        }
        onAccept={onAccept}
        listLimit={10}
        getString={getString}
      />,
    );
    expect(screen.getByRole("tab", { name: "Rep leaves" })).toHaveAttribute("aria-selected", "true");
    fireEvent.click(screen.getByRole("button", { name: "Propose" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Choose the territory of the rep who leaves.");
    await choose("Territory of the rep who leaves", /Central — Bo/);
    fireEvent.click(screen.getByRole("button", { name: "Propose" }));
    await screen.findByTestId("runtime-proposal", {}, { timeout: 15000 });
    const departed = Array.from(assignment).filter((t) => t === 1).length;
    const moves = screen.getAllByTestId("runtime-move");
    expect(moves.length).toBe(10);
    expect(screen.getByTestId("runtime-summary")).toHaveTextContent(/^\d[\d,]* accounts move/);
    expect(moves[0]).toHaveTextContent(/Account \d+.*→/);
    // Territory totals after the change: the departed rep's territory is gone, every placed account is counted.
    const rows = screen.getAllByTestId("runtime-row");
    expect(rows.map((r) => r.querySelector("td")?.textContent)).toEqual(["West", "East"]);
    expect(rows.reduce((s, r) => s + Number(r.querySelectorAll("td")[1].textContent), 0)).toBe(240);
    fireEvent.click(screen.getByRole("button", { name: "Accept" }));
    const result = onAccept.mock.calls[0][0];
    expect(result.kind).toBe("rep-leaves");
    expect(result.removedTerritory).toBe(1);
    expect(Array.from(result.assignment).filter((t) => t === 1)).toHaveLength(0);
    expect(result.moves.indexes.length).toBeGreaterThanOrEqual(departed);
  });

  it("new rep → a territory carved around the home base", async () => {
    const onAccept = jest.fn<void, [RuntimeChangeResult]>();
    wrap(
      <RuntimeChangeDialog
        open
        onOpenChange={() => undefined}
        table={table}
        territories={territories}
        reps={reps}
        propose={(change, tol, o) =>
          proposeRuntimeChange(
            createInProcessBalancerClient(),
            { table, assignment, locked: null, territories: withReps(territories), reps },
            change,
            tol,
            getString,
            { ...o, timeLimitMs: 2000 },
          )
        }
        onAccept={onAccept}
        initialKind="new-rep"
        listLimit={10}
        getString={getString}
      />,
    );
    await choose("New rep", "Di");
    expect(screen.getByTestId("runtime-home-lat")).toHaveValue(43);
    fireEvent.click(screen.getByRole("button", { name: "Propose" }));
    await screen.findByTestId("runtime-proposal", {}, { timeout: 15000 });
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Accept" }));
    });
    const result = onAccept.mock.calls[0][0];
    expect(result.newTerritory).toEqual({ planTerritory: 3, repId: "r3", home: [-100, 43] });
    await waitFor(() => expect(Array.from(result.assignment).filter((t) => t === 3).length).toBeGreaterThan(0));
  });

  it("new rep → Pick on map: the dialog steps aside, the click fills the home base, the focus returns; Escape cancels", async () => {
    const picks: { prompt: string; signal: AbortSignal; resolve: (p: { latitude: number; longitude: number } | null) => void }[] = [];
    const pickPoint = (o: { signal: AbortSignal; prompt: string }) =>
      new Promise<{ latitude: number; longitude: number } | null>((resolve) => {
        picks.push({ ...o, resolve });
        o.signal.addEventListener("abort", () => resolve(null));
      });
    wrap(
      <RuntimeChangeDialog
        open
        onOpenChange={() => undefined}
        table={table}
        territories={territories}
        reps={reps}
        propose={(change, tol, o) =>
          proposeRuntimeChange(
            createInProcessBalancerClient(),
            { table, assignment, locked: null, territories: withReps(territories), reps },
            change,
            tol,
            getString,
            o,
          )
        }
        onAccept={() => undefined}
        pickPoint={pickPoint}
        initialKind="new-rep"
        getString={getString}
      />,
    );
    await choose("New rep", "Di");
    fireEvent.click(screen.getByRole("button", { name: "Pick the home base of Di on the map" }));
    // The dialog is out of the way; a status bar says what to do and offers Cancel.
    await waitFor(() => expect(screen.queryByTestId("runtime-dialog")).toBeNull());
    expect(screen.getByTestId("pick-status")).toHaveTextContent("Click the map to place the home base of Di. Press Escape to cancel.");
    expect(picks).toHaveLength(1);
    expect(picks[0].prompt).toBe("Click the map to place the home base of Di. Press Escape to cancel.");
    await act(async () => picks[0].resolve({ latitude: 41.25, longitude: -96.5 }));
    await screen.findByTestId("runtime-dialog");
    expect(screen.queryByTestId("pick-status")).toBeNull();
    expect(screen.getByTestId("runtime-home-lat")).toHaveValue(41.25);
    expect(screen.getByTestId("runtime-home-lon")).toHaveValue(-96.5);
    const button = screen.getByRole("button", { name: "Pick the home base of Di on the map" });
    await waitFor(() => expect(button).toHaveFocus());

    // Escape while picking: the pick is aborted, the fields keep their values, the focus returns.
    fireEvent.click(button);
    await waitFor(() => expect(screen.queryByTestId("runtime-dialog")).toBeNull());
    fireEvent.keyDown(document.body, { key: "Escape" });
    expect(picks[1].signal.aborted).toBe(true);
    await screen.findByTestId("runtime-dialog");
    expect(screen.getByTestId("runtime-home-lat")).toHaveValue(41.25);
    await waitFor(() => expect(screen.getByRole("button", { name: "Pick the home base of Di on the map" })).toHaveFocus());
  });
});

describe("AutoBalanceDialog: pick a rep's home base on the map", () => {
  const table = designTable(120);
  const assignment = new Int32Array(table.size).fill(-1);
  it("without a mouse: typed coordinates give a rep a home base; out-of-range values are refused with a message", () => {
    wrap(
      <AutoBalanceDialog
        open
        onOpenChange={() => undefined}
        measureLabels={["Revenue", "Workload"]}
        territories={[]}
        reps={[{ id: "r3", name: "Di", home: null, territoryIndex: null }]}
        run={(setup, o) =>
          runAutoBalance(
            createInProcessBalancerClient(),
            {
              table,
              assignment,
              locked: null,
              territories: withReps([]),
              reps: [{ id: "r3", name: "Di", home: null, territoryIndex: null }],
            },
            setup,
            o,
          )
        }
        onApply={() => undefined}
        getString={getString}
      />,
    );
    fireEvent.click(screen.getByRole("radio", { name: "Chosen reps" }));
    expect(screen.getByRole("checkbox", { name: "Di (no home base)" })).toBeDisabled();
    const lat = screen.getByRole("textbox", { name: "Home base latitude of Di" });
    const lon = screen.getByRole("textbox", { name: "Home base longitude of Di" });
    fireEvent.change(lat, { target: { value: "95" } });
    fireEvent.change(lon, { target: { value: "-101.25" } });
    expect(screen.getByRole("alert")).toHaveTextContent("Type a latitude from -90 to 90 and a longitude from -180 to 180.");
    expect(screen.getByRole("checkbox", { name: "Di (no home base)" })).toBeDisabled();
    fireEvent.change(lat, { target: { value: "38.5" } });
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByRole("checkbox", { name: "Di" })).toBeChecked();
    expect(screen.getByTestId("balance-rep-home")).toHaveTextContent("home base 38.50000, -101.25000");
  });

  it("a rep without a home base gets one from the map and is chosen", async () => {
    let resolvePick: (p: { latitude: number; longitude: number } | null) => void = () => undefined;
    const pickPoint = () => new Promise<{ latitude: number; longitude: number } | null>((r) => (resolvePick = r));
    wrap(
      <AutoBalanceDialog
        open
        onOpenChange={() => undefined}
        measureLabels={["Revenue", "Workload"]}
        territories={[]}
        reps={[{ id: "r3", name: "Di", home: null, territoryIndex: null }]}
        run={(setup, o) =>
          runAutoBalance(
            createInProcessBalancerClient(),
            {
              table,
              assignment,
              locked: null,
              territories: withReps([]),
              reps: [{ id: "r3", name: "Di", home: null, territoryIndex: null }],
            },
            setup,
            o,
          )
        }
        onApply={() => undefined}
        pickPoint={pickPoint}
        getString={getString}
      />,
    );
    fireEvent.click(screen.getByRole("radio", { name: "Chosen reps" }));
    expect(screen.getByRole("checkbox", { name: "Di (no home base)" })).toBeDisabled();
    fireEvent.click(screen.getByRole("button", { name: "Pick the home base of Di on the map" }));
    await waitFor(() => expect(screen.queryByTestId("balance-dialog")).toBeNull());
    await act(async () => resolvePick({ latitude: 38.5, longitude: -101.25 }));
    await screen.findByTestId("balance-dialog");
    expect(screen.getByRole("checkbox", { name: "Di" })).toBeChecked();
    expect(screen.getByTestId("balance-rep-home")).toHaveTextContent("home base 38.50000, -101.25000");
    await waitFor(() => expect(screen.getByRole("button", { name: "Pick the home base of Di on the map" })).toHaveFocus());
  });
});
