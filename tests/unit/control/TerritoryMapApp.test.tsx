/** @jest-environment jsdom */
import "./jsdomPolyfills";
import * as React from "react";
import "@testing-library/jest-dom";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { TerritoryMapApp } from "../../../TerritoryMapControl/components/TerritoryMapApp";
import { FakeAccountRepository } from "../../../TerritoryMapControl/adapters/dataverse/FakeAccountRepository";
import { RepositoryError } from "../../../TerritoryMapControl/adapters/dataverse/AccountRepository";
import type { Account } from "../../../TerritoryMapControl/domain/accounts";
import type { TerritoryMapProps } from "../../../TerritoryMapControl/props";
import { DEFAULT_SETTINGS } from "../../../TerritoryMapControl/settings";
import { someAccounts } from "./builders";
import { createFakeDraftRepository } from "../../../dataverse/drafts/FakeDraftRepository";

// jsdom has no WebGL: replace the map adapter with a recorder that "draws" instantly.
const mockAdapters: { added: Account[][]; disposed: boolean; subscriptionKey: string | null }[] = [];
const mockMap = { fail: false };
jest.mock("../../../TerritoryMapControl/adapters/map/MapAdapter", () => ({
  MapAdapter: class {
    private readonly record: { added: Account[][]; disposed: boolean; subscriptionKey: string | null };
    public readonly ready = Promise.resolve();
    /** The design tools get no map parts from this fake (there is no map). */
    public createDesignParts(): Promise<null> {
      return Promise.resolve(null);
    }
    public constructor(options: { subscriptionKey: string | null }) {
      if (mockMap.fail) throw new Error("WebGL is not supported");
      this.record = { added: [], disposed: false, subscriptionKey: options.subscriptionKey };
      mockAdapters.push(this.record);
    }
    public addAccounts(accounts: Account[]): number {
      const placed = accounts.filter((a) => a.placement === "placed");
      this.record.added.push(placed);
      return placed.length;
    }
    public whenRendered(): Promise<void> {
      return Promise.resolve();
    }
    public whenIdle(): Promise<void> {
      return Promise.resolve();
    }
    public applyPlan(): Promise<void> {
      return Promise.resolve();
    }
    public setHighlight(ids: string[] | null): number {
      return ids ? ids.length : 0;
    }
    public resize(): void {}
    public dispose(): void {
      this.record.disposed = true;
    }
  },
}));

/** The real resx strings, so tests read like the UI. */
const resx = readFileSync(join(__dirname, "../../../TerritoryMapControl/strings/TerritoryMapControl.1033.resx"), "utf8");
const strings = new Map(
  [...resx.matchAll(/<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)].map((m) => [
    m[1],
    m[2].replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">"),
  ]),
);
const getString = (key: string): string => strings.get(key) ?? key;

function renderApp(repository: FakeAccountRepository, overrides: Partial<TerritoryMapProps> = {}) {
  const props: TerritoryMapProps = {
    repository,
    draftRepository: createFakeDraftRepository().repository,
    settings: { ...DEFAULT_SETTINGS, mapsKeyVariable: "" },
    getString,
    planState: null,
    onPlanStateChange: () => undefined,
    width: 1200,
    height: 800,
    disabled: false,
    userId: "u1",
    ...overrides,
  };
  return render(<TerritoryMapApp {...props} />);
}

const status = (): HTMLElement => screen.getByTestId("plot-status");

// Fluent's MessageBar measures itself with ResizeObserver, which jsdom lacks.
class NoopResizeObserver {
  public observe(): void {}
  public unobserve(): void {}
  public disconnect(): void {}
}

beforeAll(() => {
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver ??= NoopResizeObserver;
});

beforeEach(() => {
  mockAdapters.length = 0;
  mockMap.fail = false;
});

describe("TerritoryMapApp loading", () => {
  it("shows page-by-page progress, then the plotted and unplaced counts", async () => {
    const repository = new FakeAccountRepository({ accounts: someAccounts(11_000, 500), pageDelayMs: 30 });
    renderApp(repository);
    expect(status()).toHaveAttribute("data-state", "loading");
    expect(await screen.findByText("Loaded 5,000 of 11,500 accounts")).toBeInTheDocument();
    await waitFor(() => expect(status()).toHaveAttribute("data-state", "done"));
    expect(status()).toHaveAttribute("data-plotted", "11000");
    expect(status()).toHaveAttribute("data-unplaced", "500");
    expect(status()).toHaveAttribute("data-total", "11500");
    expect(status()).toHaveTextContent("11,000 accounts on the map · 500 without usable coordinates");
    expect(screen.queryByTestId("load-progress")).not.toBeInTheDocument();
    // Every page reached the map, placed accounts only.
    expect(mockAdapters).toHaveLength(1);
    expect(mockAdapters[0].added.map((p) => p.length)).toEqual([5000, 5000, 1000]);
    expect(mockAdapters[0].subscriptionKey).toBeNull();
  });

  it("writes the performance marks the benchmark reads", async () => {
    // jsdom's performance has no User Timing: record the calls instead.
    const perf = performance as unknown as { mark?: unknown; clearMarks?: unknown };
    const saved = { mark: perf.mark, clearMarks: perf.clearMarks };
    const mark = jest.fn();
    perf.mark = mark;
    perf.clearMarks = jest.fn();
    try {
      renderApp(new FakeAccountRepository({ accounts: someAccounts(10) }));
      await waitFor(() => expect(status()).toHaveAttribute("data-state", "done"));
      expect(mark.mock.calls.map((c) => c[0])).toEqual(["tmap:load-start", "tmap:first-points", "tmap:all-points"]);
    } finally {
      Object.assign(perf, saved);
    }
  });

  it("still loads and counts the accounts when the map cannot be created (no WebGL)", async () => {
    mockMap.fail = true;
    renderApp(new FakeAccountRepository({ accounts: someAccounts(10, 2) }));
    await waitFor(() => expect(status()).toHaveAttribute("data-state", "done"));
    expect(screen.getByTestId("map-error")).toHaveTextContent(getString("Map_Unavailable"));
    expect(status()).toHaveAttribute("data-plotted", "0");
    expect(status()).toHaveAttribute("data-unplaced", "2");
    expect(status()).toHaveAttribute("data-total", "12");
  });

  it("shows an indeterminate progress text when the server gives no total", async () => {
    const repository = new FakeAccountRepository({ accounts: someAccounts(6000), reportTotal: false, pageDelayMs: 30 });
    renderApp(repository);
    expect(await screen.findByText("Loaded 5,000 accounts…")).toBeInTheDocument();
    await waitFor(() => expect(status()).toHaveAttribute("data-state", "done"));
  });

  it("uses the Azure Maps key from the environment variable when there is one", async () => {
    const repository = new FakeAccountRepository({ accounts: someAccounts(3), environmentVariables: { tmap_AzureMapsKey: "secret" } });
    renderApp(repository, { settings: DEFAULT_SETTINGS });
    await waitFor(() => expect(status()).toHaveAttribute("data-state", "done"));
    expect(mockAdapters[mockAdapters.length - 1].subscriptionKey).toBe("secret");
  });
});

describe("TerritoryMapApp errors", () => {
  it("shows a clear error with Retry when loading fails, and Retry reloads from an empty map", async () => {
    const repository = new FakeAccountRepository({
      accounts: someAccounts(7000, 10),
      failures: {
        error: new RepositoryError("unavailable", "Dataverse could not be reached.", "Service Unavailable", 5),
        times: 1,
        afterPages: 1,
      },
    });
    renderApp(repository);
    const bar = await screen.findByTestId("load-error");
    expect(status()).toHaveAttribute("data-state", "error");
    expect(within(bar).getByText("Accounts could not be loaded")).toBeInTheDocument();
    expect(bar).toHaveTextContent(getString("Error_Unavailable"));
    expect(within(bar).getByTestId("load-error-detail")).toHaveTextContent("Service Unavailable");
    expect(status()).toHaveAttribute("data-plotted", "5000");
    expect(screen.queryByTestId("load-progress")).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole("button", { name: "Retry loading accounts" }));
    await waitFor(() => expect(status()).toHaveAttribute("data-state", "done"));
    expect(screen.queryByTestId("load-error")).not.toBeInTheDocument();
    expect(status()).toHaveAttribute("data-plotted", "7000");
    expect(status()).toHaveAttribute("data-unplaced", "10");
    expect(repository.loadCalls).toBe(2);
    expect(mockAdapters[0].disposed).toBe(true);
    expect(mockAdapters[mockAdapters.length - 1].added.flat()).toHaveLength(7000);
  });

  it("Retry also reloads territories and reps when they failed with the accounts (throttling), so names come back", async () => {
    const throttled = new RepositoryError("throttled", "Dataverse is throttling requests.", "Too many requests", 5);
    const repository = new FakeAccountRepository({
      accounts: someAccounts(100, 0),
      territories: [{ id: "t1", name: "Pacific Northwest", managerId: null, parentId: null }],
      failures: { error: throttled, times: 1 },
      referenceFailures: { error: throttled, times: 1 },
    });
    renderApp(repository);
    await screen.findByTestId("load-error");
    expect(screen.queryByText("Pacific Northwest")).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Retry loading accounts" }));
    await waitFor(() => expect(status()).toHaveAttribute("data-state", "done"));
    expect(await screen.findByText("Pacific Northwest")).toBeInTheDocument();
    expect(repository.territoryCalls).toBe(2);
    expect(repository.repCalls).toBe(2);
  });

  it("Retry does not reload territories and reps that loaded fine", async () => {
    const repository = new FakeAccountRepository({
      accounts: someAccounts(100, 0),
      failures: { error: new RepositoryError("unavailable", "Dataverse could not be reached."), times: 1 },
    });
    renderApp(repository);
    await screen.findByTestId("load-error");
    fireEvent.click(screen.getByRole("button", { name: "Retry loading accounts" }));
    await waitFor(() => expect(status()).toHaveAttribute("data-state", "done"));
    expect(repository.territoryCalls).toBe(1);
    expect(repository.repCalls).toBe(1);
  });

  it("explains an invalid account scope", async () => {
    const repository = new FakeAccountRepository({
      failures: {
        error: new RepositoryError("scope", "The account scope is not a valid OData filter: a '(' is missing its ')'."),
        times: 1,
      },
    });
    renderApp(repository);
    const bar = await screen.findByTestId("load-error");
    expect(bar).toHaveAttribute("data-error-kind", "scope");
    expect(bar).toHaveTextContent(getString("Error_Scope"));
  });
});

describe("TerritoryMapApp accounts without coordinates", () => {
  it("lists them by name and reason in a dialog", async () => {
    const accounts = someAccounts(20, 3);
    accounts[21] = { ...accounts[21], name: "<img src=x onerror=alert(1)> Evil Corp" };
    renderApp(new FakeAccountRepository({ accounts }));
    await waitFor(() => expect(status()).toHaveAttribute("data-state", "done"));
    const button = screen.getByRole("button", { name: "Show accounts without coordinates (3)" });
    act(() => {
      fireEvent.click(button);
    });
    const dialog = await screen.findByTestId("unplaced-dialog");
    expect(within(dialog).getByText("Accounts without usable coordinates (3)")).toBeInTheDocument();
    const rows = within(dialog).getAllByTestId("unplaced-row");
    expect(rows.map((r) => r.textContent)).toEqual([
      "Unplaced 1No coordinates",
      "<img src=x onerror=alert(1)> Evil CorpInvalid coordinates (not a number, or 0, 0)",
      "Unplaced 3No coordinates",
    ]);
    expect(dialog.querySelector("img")).toBeNull();
  });

  it("disables the button when every account is placed", async () => {
    renderApp(new FakeAccountRepository({ accounts: someAccounts(5) }));
    await waitFor(() => expect(status()).toHaveAttribute("data-state", "done"));
    expect(screen.getByTestId("show-unplaced")).toBeDisabled();
  });
});

describe("TerritoryMapApp territory list", () => {
  it("shows each territory with its rep and account count", async () => {
    const accounts = someAccounts(4).map((a, i) => ({ ...a, territoryId: i < 3 ? "t1" : null }));
    renderApp(
      new FakeAccountRepository({
        accounts,
        territories: [
          { id: "t1", name: "West", managerId: "u1", parentId: null },
          { id: "t2", name: "East", managerId: null, parentId: null },
        ],
        reps: [{ id: "u1", fullName: "Ana Rep", homeBase: null }],
      }),
    );
    await waitFor(() => expect(status()).toHaveAttribute("data-state", "done"));
    // The Territory Management card: one row per territory (sorted by name), unassigned accounts counted below.
    await waitFor(() => expect(screen.getAllByTestId("territory-row")).toHaveLength(2));
    const rows = screen.getAllByTestId("territory-row");
    expect(rows.map((r) => [r.getAttribute("data-territory-key"), r.getAttribute("data-count")])).toEqual([
      ["t2", "0"],
      ["t1", "3"],
    ]);
    expect(rows[1]).toHaveTextContent("West");
    expect(rows[1]).toHaveTextContent("Ana Rep");
    expect(rows[0]).toHaveTextContent("No rep");
    expect(screen.getByTestId("unassigned-count")).toHaveAttribute("data-count", "1");
  });
});
