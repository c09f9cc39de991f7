/**
 * npm run conformance: the stand-in's conformance checks (scripts/conformance/checks.ts) driven by
 * dynamics-web-api, outside jest. Prints one row per check, then as the last line
 * {"conformance":{"passed":N,"failed":M,"skipped":K}}. Exit code 1 when a check failed.
 */
import { runConformance } from "./conformance/checks";

async function main(): Promise<void> {
  const { results, passed, failed, skipped } = await runConformance();
  const width = Math.max(...results.map((r) => r.name.length));
  console.log(`${"area".padEnd(13)} ${"check".padEnd(width)}  result   ms`);
  for (const r of results) {
    console.log(
      `${r.area.padEnd(13)} ${r.name.padEnd(width)}  ${r.status.padEnd(7)} ${r.ms.toFixed(0).padStart(4)}${r.error ? `  ${r.error}` : ""}`,
    );
  }
  console.log(JSON.stringify({ conformance: { passed, failed, skipped } }));
  if (failed > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
