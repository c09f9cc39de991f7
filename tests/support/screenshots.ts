/**
 * Screenshots the end-to-end tests take at the steps of a manager's walk. Each goes to
 * test-results/screenshots/<name>.png; with TMAP_DOCS_SCREENSHOTS=1 (`npm run docs:screenshots`) also to
 * docs/screenshots/<name>.png, the images the README's walkthrough shows.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";

const ROOT = resolve(__dirname, "../..");
export const SCREENSHOT_DIR = join(ROOT, "test-results", "screenshots");
export const DOCS_SCREENSHOT_DIR = join(ROOT, "docs", "screenshots");

/**
 * Saves the page as `<name>.png` (waits a frame so what was just rendered is on it); `docs: false` keeps it out of
 * docs/ (a screenshot for diagnosis only).
 */
export async function saveScreenshot(page: Page, name: string, options: { docs?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  await page.screenshot({ path });
  if (process.env.TMAP_DOCS_SCREENSHOTS === "1" && options.docs !== false) {
    mkdirSync(DOCS_SCREENSHOT_DIR, { recursive: true });
    copyFileSync(path, join(DOCS_SCREENSHOT_DIR, `${name}.png`));
  }
  return path;
}
