/** Makes sure out/controls/TerritoryMapControl holds a built control before browser tests load it. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { controlIsBuilt, REPO_ROOT } from "../../local/host/devHost";

export function ensureControlBuilt(): void {
  if (controlIsBuilt()) return;
  const r = spawnSync(process.execPath, [join(REPO_ROOT, "scripts", "build.mjs")], { cwd: REPO_ROOT, stdio: "inherit" });
  if (r.status !== 0 || !controlIsBuilt()) throw new Error("the control could not be built (node scripts/build.mjs)");
}
