/**
 * Headless Chromium for e2e tests and benches: /usr/bin/chromium driven by playwright-core, with a network
 * guard that aborts (and records) every request to a host other than localhost / 127.0.0.1 / [::1].
 */
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** True for http(s)/ws URLs on this machine and for data:/blob: URLs (no network). */
export function isLocalUrl(url: string): boolean {
  if (/^(data|blob|about):/i.test(url)) return true;
  try {
    return LOCAL_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

export interface GuardedPage {
  context: BrowserContext;
  page: Page;
  /** Requests that tried to leave localhost (aborted). A test must fail when this is not empty. */
  blocked: string[];
  /** Page errors and console errors, for diagnostics. */
  errors: string[];
}

/** A fresh context + page whose every non-local request is aborted and recorded. */
export async function openGuardedPage(browser: Browser, viewport = { width: 1400, height: 900 }): Promise<GuardedPage> {
  const context = await browser.newContext({ viewport, serviceWorkers: "block" });
  const blocked: string[] = [];
  const errors: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (isLocalUrl(url)) return route.continue();
    blocked.push(url);
    return route.abort("blockedbyclient");
  });
  context.on("weberror", (e) => errors.push(`pageerror: ${e.error().message}`));
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("dialog", (d) => {
    void d.dismiss();
  });
  return { context, page, blocked, errors };
}
