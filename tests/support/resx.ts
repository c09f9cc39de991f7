/** The control's real resx strings (1033), so tests read like the UI; and jsdom's missing ResizeObserver. */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const resx = readFileSync(join(__dirname, "../../TerritoryMapControl/strings/TerritoryMapControl.1033.resx"), "utf8");

/** resx key → text (XML entities decoded). */
export const RESX_STRINGS: ReadonlyMap<string, string> = new Map(
  [...resx.matchAll(/<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)].map((m) => [
    m[1],
    m[2].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"),
  ]),
);

/** Fluent measures itself with ResizeObserver, which jsdom lacks. */
export function installResizeObserver(): void {
  class NoopResizeObserver {
    public observe(): void {}
    public unobserve(): void {}
    public disconnect(): void {}
  }
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver ??= NoopResizeObserver;
}
