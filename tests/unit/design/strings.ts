import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The real resx strings, so tests read like the UI; unknown keys fail loudly. */
const resx = readFileSync(join(__dirname, "../../../TerritoryMapControl/strings/TerritoryMapControl.1033.resx"), "utf8");
const strings = new Map(
  [...resx.matchAll(/<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)].map((m) => [
    m[1],
    m[2].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"),
  ]),
);
export const getString = (key: string): string => {
  const v = strings.get(key);
  if (v === undefined) throw new Error(`resx has no string "${key}"`);
  return v;
};

/** Fluent measures itself with ResizeObserver, which jsdom lacks. */
export function installResizeObserver(): void {
  class NoopResizeObserver {
    public observe(): void {}
    public unobserve(): void {}
    public disconnect(): void {}
  }
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver ??= NoopResizeObserver;
}
