/**
 * Balancing CLI: reads a territory-instance/1 file, writes a territory-result/1 file.
 *   npm run --silent balance -- --in INSTANCE.json --out RESULT.json [--time-limit SECONDS] [--seed N]
 * Exit 0 with a result even when the constraints cannot all be met (the result says so);
 * exit 2 with a clear message on malformed input or arguments.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseInstance, solve, toResultFile, ProblemError } from "../TerritoryMapControl/domain/balancing";

function fail(msg: string): never {
  process.stderr.write(`balance: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { inPath: string; outPath: string; timeLimit: number | null; seed: number } {
  let inPath = "";
  let outPath = "";
  let timeLimit: number | null = null;
  let seed = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    if (a === "--in") inPath = val();
    else if (a === "--out") outPath = val();
    else if (a === "--time-limit") {
      const v = Number(val());
      if (!Number.isFinite(v) || v <= 0) fail("--time-limit must be a positive number of seconds");
      timeLimit = v;
    } else if (a === "--seed") {
      const v = Number(val());
      if (!Number.isInteger(v)) fail("--seed must be an integer");
      seed = v;
    } else if (a === "--help" || a === "-h") {
      process.stdout.write("usage: balance --in INSTANCE.json --out RESULT.json [--time-limit SECONDS] [--seed N]\n");
      process.exit(0);
    } else fail(`unknown argument "${a}"`);
  }
  if (!inPath) fail("--in INSTANCE.json is required");
  if (!outPath) fail("--out RESULT.json is required");
  return { inPath, outPath, timeLimit, seed };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  let text: string;
  try {
    text = readFileSync(args.inPath, "utf8");
  } catch (e) {
    fail(`cannot read ${args.inPath}: ${(e as Error).message}`);
  }
  let problem;
  try {
    problem = parseInstance(text);
  } catch (e) {
    if (e instanceof ProblemError) fail(`invalid instance ${args.inPath}: ${e.message}`);
    throw e;
  }
  const result = solve(problem, { seed: args.seed, timeLimitMs: args.timeLimit === null ? null : args.timeLimit * 1000 });
  writeFileSync(args.outPath, JSON.stringify(toResultFile(result)) + "\n");
  const summary = `${result.instance}: objective ${result.objective.toFixed(3)}${result.lowerBound !== null ? ` (lower bound ${result.lowerBound.toFixed(3)})` : ""}, ${result.status}, ${result.timeMs} ms`;
  process.stderr.write(summary + "\n");
  for (const r of result.infeasibility) process.stderr.write(`  - ${r.message}\n`);
}

main();
