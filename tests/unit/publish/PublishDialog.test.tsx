/** @jest-environment jsdom */
import "./jsdomPolyfills";
import * as React from "react";
import "@testing-library/jest-dom";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { PublishDialog } from "../../../TerritoryMapControl/components/publish/PublishDialog";
import { publishDisabledReason, type Publisher, type PublisherRequest } from "../../../TerritoryMapControl/adapters/publish/publisher";
import type { PublishResult, PublishStatus } from "../../../dataverse/publish/publishPlan";
import { resolveClientUrl, orgWebApiUrl, WEB_API_PATH } from "../../../TerritoryMapControl/adapters/dataverse/clientUrl";
import { requiredPrivileges } from "../../../TerritoryMapControl/domain/publish";

const resx = readFileSync(join(__dirname, "../../../TerritoryMapControl/strings/TerritoryMapControl.1033.resx"), "utf8");
const strings = new Map<string, string>(
  [...resx.matchAll(/<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)].map((m) => [
    m[1],
    m[2].replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">"),
  ]),
);
const getString = (key: string): string => {
  const v = strings.get(key);
  if (v === undefined) throw new Error(`resx has no string ${key}`);
  return v;
};

const g = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

function result(status: PublishStatus, patch: Partial<PublishResult> = {}): PublishResult {
  return {
    status,
    planId: g(1),
    planName: "Spring plan",
    logId: null,
    resumed: false,
    counts: {
      accounts: 10,
      unchanged: 4,
      territoryChanges: 6,
      ownerChanges: 2,
      accountWrites: 6,
      missing: 0,
      conflicts: 0,
      keptConflicts: 0,
      unresolvedConflicts: 0,
      territoryCreates: 1,
      territoryUpdates: 0,
    },
    written: { territoriesCreated: 0, territoriesUpdated: 0, accounts: 0 },
    failures: [],
    conflicts: [],
    missingPrivileges: [],
    outOfReach: [],
    message: null,
    problems: [],
    territoryIds: {},
    requests: 3,
    durationMs: 5,
    ...patch,
  };
}

interface Call {
  request: PublisherRequest;
  resolve: (r: PublishResult) => void;
}

function scriptedPublisher(): { publisher: Publisher; calls: Call[] } {
  const calls: Call[] = [];
  const publisher: Publisher = (request) =>
    new Promise((resolve) => {
      calls.push({ request, resolve });
    });
  return { publisher, calls };
}

function show(props: Partial<React.ComponentProps<typeof PublishDialog>> & { publisher: Publisher }): void {
  render(
    <FluentProvider theme={webLightTheme}>
      <PublishDialog
        open
        onOpenChange={() => undefined}
        planId={g(1)}
        planName="Spring plan"
        getString={getString}
        disabledReason={null}
        accountName={(id) => (id === g(10) ? "Contoso" : undefined)}
        territoryName={(id) => (id === g(20) ? "North" : id === g(21) ? "South" : undefined)}
        {...props}
      />
    </FluentProvider>,
  );
}

describe("PublishDialog", () => {
  test("conflicts need a choice; Overwrite all enables Publish; progress shows counts; the result is reported", async () => {
    const { publisher, calls } = scriptedPublisher();
    const published = jest.fn();
    show({ publisher, onPublished: published });
    expect(calls[0].request.dryRun).toBe(true);
    const conflicts = [
      { accountId: g(10), baselineTerritoryId: g(20), liveTerritoryId: g(21), plannedTerritoryId: g(20), decision: null },
      { accountId: g(11), baselineTerritoryId: g(20), liveTerritoryId: null, plannedTerritoryId: g(21), decision: null },
    ];
    await act(async () => {
      calls[0].resolve(
        result("conflicts", { conflicts, counts: { ...result("x" as PublishStatus).counts, conflicts: 2, unresolvedConflicts: 2 } }),
      );
    });
    expect(screen.getByText("2 accounts were moved in Dynamics after this draft was made")).toBeInTheDocument();
    expect(screen.getByText("Contoso: now in South, the plan says North")).toBeInTheDocument();
    expect(screen.getByText(`${g(11)}: now in no territory, the plan says South`)).toBeInTheDocument();
    expect(screen.getByTestId("publish-undecided")).toHaveTextContent("2 conflicts still need a choice.");
    expect(screen.getByRole("button", { name: "Publish" })).toBeDisabled();

    fireEvent.click(screen.getByRole("button", { name: "Overwrite all" }));
    const row = screen.getAllByTestId("publish-conflict")[0];
    fireEvent.click(within(row).getByRole("radio", { name: "Keep" }));
    fireEvent.click(screen.getByRole("button", { name: "Publish" }));
    expect(calls).toHaveLength(2);
    const policy = calls[1].request.conflictPolicy as { all: string; byAccount: Map<string, string> };
    expect(policy.all).toBe("overwrite");
    expect([...policy.byAccount]).toEqual([[g(10), "keep"]]);
    expect(calls[1].request.signal).toBeDefined();

    act(() =>
      calls[1].request.onProgress?.({
        phase: "accounts",
        accountsTotal: 6,
        accountsWritten: 3,
        accountsFailed: 0,
        territoriesTotal: 1,
        territoriesWritten: 1,
        requests: 4,
      }),
    );
    expect(screen.getByText("3 of 6 accounts written")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Publishing progress" })).toBeInTheDocument();

    await act(async () => {
      calls[1].resolve(result("published", { written: { territoriesCreated: 1, territoriesUpdated: 0, accounts: 6 } }));
    });
    expect(screen.getByTestId("publish-result")).toHaveTextContent("Published: 6 accounts and 1 territories written.");
    expect(published).toHaveBeenCalledTimes(1);
  });

  test("cancel aborts the publish; the dialog then offers to resume", async () => {
    const { publisher, calls } = scriptedPublisher();
    show({ publisher });
    await act(async () => {
      calls[0].resolve(result("preview"));
    });
    expect(
      screen.getByText("6 accounts change territory and 2 change owner; 1 territories are created and 0 updated."),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Publish" }));
    fireEvent.click(screen.getByRole("button", { name: "Cancel publish" }));
    expect(calls[1].request.signal?.aborted).toBe(true);
    await act(async () => {
      calls[1].resolve(result("cancelled", { written: { territoriesCreated: 1, territoriesUpdated: 0, accounts: 2 } }));
    });
    expect(screen.getByTestId("publish-result")).toHaveTextContent("Publish cancelled after 2 accounts were written.");
    fireEvent.click(screen.getByRole("button", { name: "Resume publish" }));
    expect(calls).toHaveLength(3);
    expect(calls[2].request.dryRun).toBeUndefined();
  });

  test("an interrupted publish found on opening is offered as Resume", async () => {
    const { publisher, calls } = scriptedPublisher();
    show({ publisher });
    await act(async () => {
      calls[0].resolve(result("preview", { resumed: true }));
    });
    expect(screen.getByText(/An earlier publish of this plan did not finish/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Resume publish" })).toBeEnabled();
  });

  test("rejected records are listed with Dataverse's message", async () => {
    const { publisher, calls } = scriptedPublisher();
    show({ publisher });
    await act(async () => {
      calls[0].resolve(result("preview"));
    });
    fireEvent.click(screen.getByRole("button", { name: "Publish" }));
    await act(async () => {
      calls[1].resolve(
        result("partial", {
          written: { territoriesCreated: 1, territoriesUpdated: 0, accounts: 5 },
          failures: [{ table: "account", id: g(10), code: "0x80040217", message: "systemuser With Id = x Does Not Exist" }],
        }),
      );
    });
    expect(screen.getByTestId("publish-result")).toHaveTextContent("Dynamics rejected 1 records:");
    expect(screen.getByTestId("publish-failure")).toHaveTextContent("Contoso (0x80040217): systemuser With Id = x Does Not Exist");
  });

  test("without privileges: the reason is shown and nothing is asked of the publisher", async () => {
    const { publisher, calls } = scriptedPublisher();
    show({ publisher, disabledReason: "You cannot publish: your security role does not let you change accounts (prvWriteAccount)." });
    expect(screen.getByTestId("publish-disabled")).toHaveTextContent("change accounts (prvWriteAccount)");
    expect(calls).toHaveLength(0);
    expect(screen.queryByRole("button", { name: "Publish" })).toBeNull();
  });

  test("the server-side check can still refuse (e.g. creating territories): reason from the resx", async () => {
    const { publisher, calls } = scriptedPublisher();
    show({ publisher });
    const missing = requiredPrivileges({
      createsTerritories: true,
      updatesTerritories: false,
      changesAccountTerritories: false,
      changesOwners: false,
    }).filter((p) => p.name === "prvCreateTerritory");
    await act(async () => {
      calls[0].resolve(result("forbidden", { missingPrivileges: missing }));
    });
    expect(screen.getByTestId("publish-result")).toHaveTextContent(
      "You cannot publish: your security role does not let you create territories (prvCreateTerritory).",
    );
  });

  test("a privilege held at User level that does not reach the plan's accounts: which, at what level, how many", async () => {
    const { publisher, calls } = scriptedPublisher();
    show({ publisher });
    const [write] = requiredPrivileges({
      createsTerritories: false,
      updatesTerritories: false,
      changesAccountTerritories: true,
      changesOwners: false,
    }).filter((p) => p.name === "prvWriteAccount");
    await act(async () => {
      calls[0].resolve(
        result("forbidden", { outOfReach: [{ privilege: write, depth: "Basic", total: 20000, outOfReach: 19298, sampleIds: [g(7)] }] }),
      );
    });
    expect(screen.getByTestId("publish-result")).toHaveTextContent(
      `You cannot publish, and nothing was written: your security role lets you change accounts (prvWriteAccount) only at User level (only records you or your teams own), and 19,298 of the 20,000 accounts this publish changes are outside it (for example ${g(7)}).`,
    );
  });

  test("a partial publish says Partially published and offers Resume publish", async () => {
    const { publisher, calls } = scriptedPublisher();
    show({ publisher });
    await act(async () => {
      calls[0].resolve(result("preview"));
    });
    fireEvent.click(screen.getByRole("button", { name: "Publish" }));
    await act(async () => {
      calls[1].resolve(
        result("partial", {
          written: { territoriesCreated: 1, territoriesUpdated: 0, accounts: 5 },
          failures: [{ table: "account", id: g(9), code: "0x80040217", message: "systemuser Does Not Exist" }],
        }),
      );
    });
    expect(screen.getByTestId("publish-result")).toHaveTextContent("Partially published: 5 accounts and 1 territories written.");
    expect(screen.getByRole("button", { name: "Resume publish" })).toBeInTheDocument();
  });
});

describe("publishDisabledReason / client URL", () => {
  test("uses hasEntityPrivilege after loading metadata; any depth of Write counts", async () => {
    const loaded: string[] = [];
    const utils = (granted: Record<string, number[]>) => ({
      getEntityMetadata: async (name: string) => {
        loaded.push(name);
        return {};
      },
      hasEntityPrivilege: (table: string, type: number, depth: number) => type === 3 && (granted[table] ?? []).includes(depth),
    });
    expect(await publishDisabledReason(utils({ territory: [3], account: [0] }), getString)).toBeNull();
    expect(loaded.sort()).toEqual(["account", "territory"]);
    expect(await publishDisabledReason(utils({ territory: [3] }), getString)).toBe(
      "You cannot publish: your security role does not let you change accounts (prvWriteAccount).",
    );
    expect(await publishDisabledReason(utils({}), getString)).toBe(
      "You cannot publish: your security role does not let you change territories (prvWriteTerritory), change accounts (prvWriteAccount).",
    );
  });

  test("client URL: context.page, then Xrm.Utility.getGlobalContext(), then the page origin", () => {
    expect(orgWebApiUrl({ page: { getClientUrl: () => "https://org.crm.dynamics.com/" } }, {})).toBe(
      `https://org.crm.dynamics.com/${WEB_API_PATH}`,
    );
    expect(WEB_API_PATH).toBe(["api", "data", "v9.2", ""].join("/"));
    expect(resolveClientUrl({}, { Xrm: { Utility: { getGlobalContext: () => ({ getClientUrl: () => "https://onprem/org" }) } } })).toBe(
      "https://onprem/org",
    );
    expect(resolveClientUrl({}, { location: { origin: "http://localhost:8080" } })).toBe("http://localhost:8080");
    expect(() => resolveClientUrl({}, {})).toThrow(/not available/);
  });
});

test("waitFor is available for async UI (sanity)", async () => {
  await waitFor(() => expect(true).toBe(true));
});
