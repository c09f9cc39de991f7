import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createInProcessBalancerClient } from "../../../TerritoryMapControl/adapters/worker/BalancerClient";
import { fixedProblem, INSTANCES } from "./helpers";

describe("BalancerClient (in-process)", () => {
  const p = fixedProblem(
    [
      [0, 0, 1],
      [1, 0, 1],
      [5, 0, 1],
      [6, 0, 1],
    ],
    [
      [0, 0],
      [6, 0],
    ],
    { tolerance: 0 },
  );
  it("solves and reports progress", async () => {
    const client = createInProcessBalancerClient();
    const phases: string[] = [];
    const r = await client.solve(p, { onProgress: (x) => phases.push(x.phase) });
    expect(r.assignment).toEqual([0, 0, 1, 1]);
    expect(phases[0]).toBe("start");
    expect(phases[phases.length - 1]).toBe("done");
  });
  it("rejects with AbortError when cancelled", async () => {
    const client = createInProcessBalancerClient();
    const ac = new AbortController();
    ac.abort();
    await expect(client.solve(p, { signal: ac.signal })).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("balance CLI", () => {
  const root = path.resolve(__dirname, "../../..");
  const run = (args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/balance.ts"), ...args], { cwd: root, encoding: "utf8" });
  it("writes territory-result/1 and exits 0", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "balance-"));
    const out = path.join(dir, "r.json");
    const res = run(["--in", path.join(INSTANCES, "pmedcap1-01.json"), "--out", out, "--time-limit", "0.5", "--seed", "2"]);
    expect(res.status).toBe(0);
    const r = JSON.parse(readFileSync(out, "utf8"));
    expect(r.format).toBe("territory-result/1");
    expect(r.instance).toBe("pmedcap1-01");
    expect(r.assignment).toHaveLength(50);
    expect(r.centers).toHaveLength(5);
  }, 30000);
  it("exits non-zero with a clear message on malformed input", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "balance-"));
    const bad = path.join(dir, "bad.json");
    writeFileSync(
      bad,
      JSON.stringify({
        format: "territory-instance/1",
        distance: "euclidean",
        territories: 2,
        centers: "points",
        measures: ["m"],
        points: [
          { id: "a", x: 0, y: 0, w: [-1] },
          { id: "b", x: 1, y: 0, w: [1] },
        ],
      }),
    );
    const res = run(["--in", bad, "--out", path.join(dir, "r.json")]);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('Point "a" has a negative weight for "m" (-1)');
  }, 30000);
});
