/**
 * Balancing benchmark: every instance in tests/fixtures/benchmarks/instances, the synthetic national base
 * (100,000 accounts × 50 reps, revenue and workload ±5 %) and a rep-leaves scenario on it, beside
 * baselines measured in the same run (@turf/clusters-kmeans on the synthetic base; an exact MIP with
 * the `highs` package on instances with n ≤ 100, no contiguity, within a time limit).
 * Figures come from the independent validator, not from the solver. Last line: one JSON object.
 * The rep-leaves scenario is also swept over every rep of the synthetic base (a demanding user picks
 * any rep, not the convenient one): per rep the wall time, other accounts moved / departed rep's
 * accounts, validity, max deviation and the path the re-solve took; summary in `repLeavesSweep`.
 *   npm run bench:balance [-- --only REGEX] [--mip-seconds S] [--no-mip]
 *                         [--sweep-reps all|none|N|a,b,c]   (default all; N = N evenly spaced reps)
 *                         [--unseen-seed S|none]            (default 7: the same sweep on a second synthetic base)
 */
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { loadavg } from "node:os";
import {
  solve,
  validateResult,
  repLeaves,
  syntheticNationalBase,
  parseInstance,
  type TerritoryProblem,
  type BalanceResult,
} from "../TerritoryMapControl/domain/balancing";

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = arg("--only") ? new RegExp(arg("--only")!) : null;
const mipSeconds = Number(arg("--mip-seconds") ?? 10);
const noMip = argv.includes("--no-mip");
const sweepArg = arg("--sweep-reps") ?? "all";
/** Seed of a second synthetic base, never used in tuning, whose rep departures are swept too ('none' skips). */
const unseenArg = arg("--unseen-seed") ?? "7";
const unseenSeed = unseenArg === "none" ? null : Number(unseenArg);
if (unseenSeed !== null && !Number.isInteger(unseenSeed)) throw new Error(`--unseen-seed: ${unseenArg} is not an integer or none`);
/** Reps whose departure is swept, for a base of k reps. */
function sweepReps(k: number): number[] {
  if (sweepArg === "none" || sweepArg === "0") return [];
  if (sweepArg === "all") return Array.from({ length: k }, (_, t) => t);
  if (/^\d+$/.test(sweepArg)) {
    const c = Math.min(k, Number(sweepArg));
    return [...new Set(Array.from({ length: c }, (_, j) => Math.round((j * (k - 1)) / Math.max(1, c - 1))))];
  }
  const reps = sweepArg.split(",").map((v) => Number(v.trim()));
  const bad = reps.find((t) => !Number.isInteger(t) || t < 0 || t >= k);
  if (bad !== undefined) throw new Error(`--sweep-reps: ${sweepArg} is not all, none, a count or a list of reps 0..${k - 1}`);
  return reps;
}
const median = (a: number[]) => {
  const s = [...a].sort((u, v) => u - v);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const instDir = path.resolve(__dirname, "../tests/fixtures/benchmarks/instances");

interface Row {
  set: string;
  instance: string;
  n: number;
  k: number;
  reference: number | null;
  refKind: string;
  ours: number;
  gapPct: number | null;
  maxDev: number;
  valid: boolean;
  timeMs: number;
  lowerBound: number | null;
  mip?: { objective: number | null; status: string; timeMs: number };
}

function setOf(name: string): string {
  if (name.startsWith("pmedcap")) return "pmedcap1";
  if (name.startsWith("SJC")) return "SJC";
  if (name.includes("contiguous")) return "DU-contiguous";
  if (name.startsWith("2DU")) return "DU";
  return "other";
}
const timeLimitFor: Record<string, number> = { pmedcap1: 1500, SJC: 8000, DU: 4000, "DU-contiguous": 4000, other: 5000 };

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

function pad(s: string | number, n: number): string {
  const t = String(s);
  return t.length >= n ? t : t + " ".repeat(n - t.length);
}
function fmt(v: number | null | undefined, d = 2): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "-" : v.toFixed(d);
}

// ---------- MIP baseline (highs, LP text)
type HighsLike = { solve(lp: string, o: Record<string, unknown>): { Status: string; ObjectiveValue: number } };
async function loadHighs(): Promise<HighsLike | null> {
  try {
    const mod = (await import("highs")) as unknown as { default: () => Promise<HighsLike> };
    return await mod.default();
  } catch (e) {
    process.stderr.write(`highs unavailable: ${(e as Error).message}\n`);
    return null;
  }
}
function distOf(p: TerritoryProblem, i: number, j: number): number {
  const a = p.points[i];
  const b = p.points[j];
  const e = Math.hypot(a.x - b.x, a.y - b.y);
  return p.distance === "euclidean-floor" ? Math.floor(e) : e;
}
function mipLp(p: TerritoryProblem): string {
  const n = p.points.length;
  const k = p.territories;
  const M = p.measures.length;
  const obj: string[] = [];
  const cons: string[] = [];
  const bins: string[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const d = distOf(p, i, j);
      obj.push(`${d >= 0 ? "+" : ""}${d} x${i}_${j}`);
      bins.push(`x${i}_${j}`);
    }
  for (let j = 0; j < n; j++) bins.push(`y${j}`);
  for (let i = 0; i < n; i++) cons.push(`a${i}: ${Array.from({ length: n }, (_, j) => `x${i}_${j}`).join(" + ")} = 1`);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) cons.push(`l${i}_${j}: x${i}_${j} - y${j} <= 0`);
  for (let j = 0; j < n; j++) cons.push(`c${j}: x${j}_${j} - y${j} = 0`);
  cons.push(`p: ${Array.from({ length: n }, (_, j) => `y${j}`).join(" + ")} = ${k}`);
  const total = new Array<number>(M).fill(0);
  p.points.forEach((pt) => pt.w.forEach((v, m) => (total[m] += v)));
  for (let j = 0; j < n; j++) {
    for (let m = 0; m < M; m++) {
      const terms = p.points.map((pt, i) => `${pt.w[m]} x${i}_${j}`).join(" + ");
      const cap = p.points[j].cap?.[m];
      if (cap !== undefined && cap !== null) cons.push(`k${j}_${m}: ${terms} - ${cap} y${j} <= 0`);
      const rule = p.balance?.find((b) => b.measure === p.measures[m]);
      if (rule && rule.tolerance !== undefined) {
        const mean = total[m] / k;
        cons.push(`u${j}_${m}: ${terms} - ${(1 + rule.tolerance) * mean} y${j} <= 0`);
        cons.push(`v${j}_${m}: ${terms} - ${(1 - rule.tolerance) * mean} y${j} >= 0`);
      }
    }
  }
  return `Minimize\n obj: ${obj.join(" ")}\nSubject To\n ${cons.join("\n ")}\nBinary\n ${bins.join("\n ")}\nEnd\n`;
}

// ---------- k-means baseline
async function kmeansBaseline(prob: TerritoryProblem): Promise<{ objective: number; maxDev: number[]; timeMs: number; valid: boolean }> {
  const mod = (await import("@turf/clusters-kmeans")) as unknown as {
    default: (fc: unknown, o: unknown) => { features: { properties: { cluster: number; centroid: [number, number] } }[] };
  };
  const fc = {
    type: "FeatureCollection",
    features: prob.points.map((p) => ({ type: "Feature", properties: {}, geometry: { type: "Point", coordinates: [p.x, p.y] } })),
  };
  const t0 = performance.now();
  const out = mod.default(fc, { numberOfClusters: prob.territories, mutate: true });
  const timeMs = performance.now() - t0;
  const k = prob.territories;
  const M = prob.measures.length;
  const tot = Array.from({ length: k }, () => new Array<number>(M).fill(0));
  const grand = new Array<number>(M).fill(0);
  let objective = 0;
  const R = Math.PI / 180;
  out.features.forEach((f, i) => {
    const c = f.properties.cluster;
    const [cx, cy] = f.properties.centroid;
    const p = prob.points[i];
    const h = Math.sin(((cy - p.y) * R) / 2) ** 2 + Math.cos(p.y * R) * Math.cos(cy * R) * Math.sin(((cx - p.x) * R) / 2) ** 2;
    objective += 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
    p.w.forEach((v, m) => {
      tot[c][m] += v;
      grand[m] += v;
    });
  });
  const maxDev = grand.map((g, m) => Math.max(...tot.map((row) => Math.abs(row[m] - g / k) / (g / k))));
  return { objective, maxDev, timeMs, valid: maxDev.every((d) => d <= 0.05 + 1e-9) };
}

interface SweepSummary {
  reps: number;
  medianMs: number;
  worstMs: number;
  worstMsRep: number;
  medianRatio: number;
  worstRatio: number;
  worstRatioRep: number;
  valid: number;
  withinTargets: number;
  overOneSecond: number[];
  overHalf: number[];
  invalid: number[];
}

/** Departure of each rep in `reps` from `plan`: wall ms, other accounts moved / departed, validity, path. */
function sweepRepLeaves(prob: TerritoryProblem, plan: BalanceResult, reps: number[], label: string): SweepSummary {
  process.stdout.write(`  rep-leaves sweep, ${label} (${reps.length} reps): rep  ms  departed  moved-other  ratio  valid  maxdev%  path\n`);
  const sweep: {
    rep: number;
    timeMs: number;
    departed: number;
    movedOther: number;
    ratio: number;
    valid: boolean;
    maxDeviation: number;
    path: string;
  }[] = [];
  for (const t of reps) {
    const dep = plan.assignment.filter((a) => a === t).length;
    const phases: string[] = [];
    const ts = performance.now();
    const c = repLeaves(prob, plan, t, {
      seed: 1,
      onProgress: (p) => {
        if (phases[phases.length - 1] !== p.phase) phases.push(p.phase);
      },
    });
    const ms = performance.now() - ts;
    const vv = validateResult(c.problem, c.result);
    let mo = 0;
    c.problem.current!.forEach((cc, i) => {
      if (cc >= 0 && cc !== c.result.assignment[i]) mo++;
    });
    // the path: the last stage reached before 'done' (active-set stages, or the full re-solve)
    const stagePath =
      phases.filter((ph) => /^(stage|full|band-repair)/.test(ph)).join(">") || phases.filter((ph) => ph !== "done").slice(-1)[0] || "-";
    const row = {
      rep: t,
      timeMs: Math.round(ms),
      departed: dep,
      movedOther: mo,
      ratio: dep ? mo / dep : 0,
      valid: vv.valid,
      maxDeviation: Math.max(...vv.maxDeviation),
      path: stagePath,
    };
    sweep.push(row);
    process.stdout.write(
      `    ${pad(t, 4)}${pad(row.timeMs, 6)}${pad(dep, 10)}${pad(mo, 13)}${pad(fmt(row.ratio), 7)}${pad(vv.valid ? "yes" : "NO", 7)}${pad(fmt(row.maxDeviation * 100), 9)}${row.path}\n`,
    );
  }
  const times = sweep.map((r) => r.timeMs);
  const worstRatio = Math.max(...sweep.map((r) => r.ratio));
  const summary: SweepSummary = {
    reps: sweep.length,
    medianMs: Math.round(median(times)),
    worstMs: Math.max(...times),
    worstMsRep: sweep[times.indexOf(Math.max(...times))].rep,
    medianRatio: median(sweep.map((r) => r.ratio)),
    worstRatio,
    worstRatioRep: sweep.find((r) => r.ratio === worstRatio)!.rep,
    valid: sweep.filter((r) => r.valid).length,
    withinTargets: sweep.filter((r) => r.valid && r.timeMs <= 1000 && r.ratio <= 0.5).length,
    overOneSecond: sweep.filter((r) => r.timeMs > 1000).map((r) => r.rep),
    overHalf: sweep.filter((r) => r.ratio > 0.5).map((r) => r.rep),
    invalid: sweep.filter((r) => !r.valid).map((r) => r.rep),
  };
  process.stdout.write(
    `  rep-leaves sweep, ${label}: ${summary.reps} reps, median ${summary.medianMs} ms, worst ${summary.worstMs} ms (rep ${summary.worstMsRep}), moved ratio median ${fmt(summary.medianRatio)}× worst ${fmt(worstRatio)}× (rep ${summary.worstRatioRep}), ratio ≤ 0.5× for ${summary.reps - summary.overHalf.length}/${summary.reps}, valid ${summary.valid}/${summary.reps}, within all targets ${summary.withinTargets}/${summary.reps}\n`,
  );
  return summary;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const out: Record<string, unknown> = {};
  // ---------- synthetic 100k first (clean peak-memory figure)
  if (!only || only.test("synthetic")) {
    const prob = syntheticNationalBase();
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const res = solve(prob, { seed: 1 });
    const wall = performance.now() - t0;
    const cpu = cpuMs(c0);
    const peakMb = process.resourceUsage().maxRSS / 1024;
    const v = validateResult(prob, res);
    const gapLb = res.lowerBound ? (v.objective / res.lowerBound - 1) * 100 : null;
    rows.push({
      set: "synthetic",
      instance: prob.name!,
      n: prob.points.length,
      k: prob.territories,
      reference: res.lowerBound,
      refKind: "own LB",
      ours: v.objective,
      gapPct: gapLb,
      maxDev: Math.max(...v.maxDeviation),
      valid: v.valid,
      timeMs: wall,
      lowerBound: res.lowerBound,
    });
    // rep leaves 50 -> 49 from the balanced plan
    const leaving = 17;
    const departed = res.assignment.filter((t) => t === leaving).length;
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const ch = repLeaves(prob, res, leaving, { seed: 1 });
    const wall2 = performance.now() - t1;
    const cpu2 = cpuMs(c1);
    const v2 = validateResult(ch.problem, ch.result);
    rows.push({
      set: "rep-leaves",
      instance: `${prob.name}-leaves`,
      n: prob.points.length,
      k: ch.problem.territories,
      reference: ch.result.lowerBound,
      refKind: "own LB",
      ours: v2.objective,
      gapPct: ch.result.lowerBound ? (v2.objective / ch.result.lowerBound - 1) * 100 : null,
      maxDev: Math.max(...v2.maxDeviation),
      valid: v2.valid,
      timeMs: wall2,
      lowerBound: ch.result.lowerBound,
    });
    const gapLb2 = ch.result.lowerBound ? (v2.objective / ch.result.lowerBound - 1) * 100 : null;
    let movedOther = 0;
    ch.problem.current!.forEach((c, i) => {
      if (c >= 0 && c !== ch.result.assignment[i]) movedOther++;
    });
    const km = await kmeansBaseline(prob);
    out.synthetic = {
      n: prob.points.length,
      k: prob.territories,
      objective: v.objective,
      lowerBound: res.lowerBound,
      gapToLowerBoundPct: gapLb,
      maxDeviation: v.maxDeviation,
      valid: v.valid,
      timeMs: Math.round(wall),
      cpuMs: Math.round(cpu),
      loadAverage1m: loadavg()[0],
      peakRssMb: Math.round(peakMb),
      rssBeforeMb: Math.round(rssBefore / 1048576),
      kmeans: { objective: km.objective, maxDeviation: km.maxDev, valid: km.valid, timeMs: Math.round(km.timeMs) },
      repLeaves: {
        timeMs: Math.round(wall2),
        cpuMs: Math.round(cpu2),
        departedAccounts: departed,
        movedOther,
        ratio: movedOther / departed,
        valid: v2.valid,
        maxDeviation: v2.maxDeviation,
        objective: v2.objective,
        lowerBound: ch.result.lowerBound,
        gapToLowerBoundPct: gapLb2,
        moveCost: ch.problem.moveCost,
      },
    };
    process.stdout.write(
      `synthetic ${prob.points.length}x${prob.territories}: objective ${fmt(v.objective, 0)} vs proven lower bound ${fmt(res.lowerBound, 0)} (+${fmt(gapLb)} %), dev ${v.maxDeviation.map((d) => fmt(d * 100)).join("/")} %, valid ${v.valid}, ${Math.round(wall)} ms wall / ${Math.round(cpu)} ms CPU (load ${loadavg()[0].toFixed(1)}), peak RSS ${Math.round(peakMb)} MB\n`,
    );
    process.stdout.write(
      `  baseline k-means (@turf/clusters-kmeans): distance to centroids ${fmt(km.objective, 0)}, dev ${km.maxDev.map((d) => fmt(d * 100)).join("/")} %, valid ${km.valid}, ${Math.round(km.timeMs)} ms\n`,
    );
    process.stdout.write(
      `  rep leaves 50→49: ${Math.round(wall2)} ms wall / ${Math.round(cpu2)} ms CPU, departed rep's accounts ${departed}, other accounts moved ${movedOther} (${fmt(movedOther / departed)}×), dev ${v2.maxDeviation.map((d) => fmt(d * 100)).join("/")} %, valid ${v2.valid}, objective ${fmt(v2.objective, 0)} (+${fmt(gapLb2)} % over its proven lower bound)\n`,
    );
    // ---------- rep leaves, every rep (or the ones asked for)
    const reps = sweepReps(prob.territories);
    if (reps.length) out.repLeavesSweep = sweepRepLeaves(prob, res, reps, "bench base");
    // ---------- the same sweep on a base the engine was never tuned on
    if (unseenSeed !== null) {
      const unseen = syntheticNationalBase({ seed: unseenSeed });
      const plan = solve(unseen, { seed: 1 });
      const ur = sweepReps(unseen.territories);
      if (ur.length)
        out.repLeavesSweepUnseen = {
          seed: unseenSeed,
          baseValid: validateResult(unseen, plan).valid,
          ...sweepRepLeaves(unseen, plan, ur, `unseen base, seed ${unseenSeed}`),
        };
    }
  }
  // ---------- literature instances
  const highs = noMip ? null : await loadHighs();
  let files: string[] = [];
  try {
    files = readdirSync(instDir)
      .filter((f) => f.endsWith(".json"))
      .sort();
  } catch {
    process.stderr.write(`no instances at ${instDir}\n`);
  }
  for (const f of files) {
    const name = f.replace(/\.json$/, "");
    if (only && !only.test(name)) continue;
    const prob = parseInstance(readFileSync(path.join(instDir, f), "utf8"));
    const set = setOf(name);
    const t0 = performance.now();
    const res: BalanceResult = solve(prob, { seed: 1, timeLimitMs: timeLimitFor[set] });
    const wall = performance.now() - t0;
    const v = validateResult(prob, res);
    const ref = prob.reference?.value ?? null;
    const row: Row = {
      set,
      instance: name,
      n: prob.points.length,
      k: prob.territories,
      reference: ref,
      refKind: prob.reference?.kind ?? "-",
      ours: v.objective,
      gapPct: ref ? ((v.objective - ref) / ref) * 100 : null,
      maxDev: v.maxDeviation.length ? Math.max(...v.maxDeviation) : 0,
      valid: v.valid,
      timeMs: wall,
      lowerBound: res.lowerBound,
    };
    if (highs && prob.points.length <= 100 && !prob.contiguous) {
      const t1 = performance.now();
      try {
        const sol = highs.solve(mipLp(prob), { time_limit: mipSeconds, mip_rel_gap: 1e-6, output_flag: false });
        const ok = sol.Status === "Optimal" || (sol.Status === "Time limit reached" && Number.isFinite(sol.ObjectiveValue));
        row.mip = { objective: ok ? sol.ObjectiveValue : null, status: sol.Status, timeMs: performance.now() - t1 };
      } catch (e) {
        row.mip = { objective: null, status: `error: ${(e as Error).message.slice(0, 40)}`, timeMs: performance.now() - t1 };
      }
    }
    rows.push(row);
    process.stderr.write(`${name} done\n`);
  }
  // ---------- table
  const head = `${pad("instance", 30)}${pad("n", 7)}${pad("k", 4)}${pad("reference", 14)}${pad("ours", 14)}${pad("gap %", 8)}${pad("maxdev %", 9)}${pad("valid", 6)}${pad("time ms", 9)}${pad("MIP (highs)", 26)}`;
  process.stdout.write(head + "\n" + "-".repeat(head.length) + "\n");
  for (const r of rows) {
    const mip = r.mip
      ? `${fmt(r.mip.objective)} ${r.mip.status === "Optimal" ? "opt" : r.mip.status.slice(0, 10)} ${Math.round(r.mip.timeMs)}ms`
      : "";
    process.stdout.write(
      `${pad(r.instance, 30)}${pad(r.n, 7)}${pad(r.k, 4)}${pad(fmt(r.reference) + (r.refKind === "own LB" ? "(LB)" : ""), 14)}${pad(fmt(r.ours), 14)}${pad(fmt(r.gapPct), 8)}${pad(fmt(r.maxDev * 100), 9)}${pad(r.valid ? "yes" : "NO", 6)}${pad(Math.round(r.timeMs), 9)}${pad(mip, 26)}\n`,
    );
  }
  const sets: Record<string, unknown> = {};
  for (const s of ["pmedcap1", "SJC", "DU", "DU-contiguous"]) {
    const rs = rows.filter((r) => r.set === s);
    if (!rs.length) continue;
    const gaps = rs.filter((r) => r.gapPct !== null).map((r) => r.gapPct!);
    sets[s] = {
      count: rs.length,
      valid: rs.filter((r) => r.valid).length,
      withReference: gaps.length,
      meanGapPct: gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : null,
      worstGapPct: gaps.length ? Math.max(...gaps) : null,
      maxTimeMs: Math.round(Math.max(...rs.map((r) => r.timeMs))),
      mipSolved: rs.filter((r) => r.mip?.status === "Optimal").length,
    };
  }
  out.sets = sets;
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((e) => {
  process.stderr.write(`bench-balance failed: ${(e as Error).stack}\n`);
  process.exit(1);
});
