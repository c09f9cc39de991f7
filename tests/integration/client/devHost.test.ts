/**
 * The dev host server (local/host/devHost.ts): one origin for the host page, the bundled runtime, the built control
 * and the local Web API. Uses a fake "built control" directory so it does not depend on a build.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataverseHttpClient } from "../../../dataverse/client/DataverseHttpClient";
import { startDevHost, type DevHost } from "../../../local/host/devHost";

jest.setTimeout(120_000);

let host: DevHost;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tmap-devhost-"));
  const controlDir = join(dir, "control");
  mkdirSync(join(controlDir, "css"), { recursive: true });
  writeFileSync(join(controlDir, "bundle.js"), "/* bundle */");
  writeFileSync(join(controlDir, "ControlManifest.xml"), "<manifest/>");
  writeFileSync(join(controlDir, "css", "TerritoryMapControl.css"), ".x{}");
  host = await startDevHost({ port: 0, dbPath: join(dir, "db.sqlite"), seedAccounts: 50, controlDir });
});
afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

it("listens on a random localhost port and reports the page and Web API URLs", () => {
  expect(host.url).toMatch(/^http:\/\/localhost:\d+\/$/);
  expect(host.apiUrl).toBe(`${host.url}api/data/v9.2/`);
  expect(host.seeded?.accounts).toBe(50);
});

it("serves the host page and the bundled runtime with the platform libraries", async () => {
  const page = await fetch(host.url);
  expect(page.headers.get("content-type")).toMatch(/text\/html/);
  const html = await page.text();
  expect(html).toContain('<script src="/host/runtime.js"></script>');
  expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
  const runtime = await fetch(`${host.url}host/runtime.js`);
  expect(runtime.status).toBe(200);
  const js = await runtime.text();
  expect(js).toContain("Reactv16");
  expect(js).toContain("FluentUIReactv940");
  expect(js).toContain("registerControl");
  expect(js.length).toBeGreaterThan(500_000);
});

it("serves the built control's files and refuses paths outside it", async () => {
  expect(await (await fetch(`${host.url}controls/bundle.js`)).text()).toBe("/* bundle */");
  const css = await fetch(`${host.url}controls/css/TerritoryMapControl.css`);
  expect(css.headers.get("content-type")).toMatch(/text\/css/);
  expect((await fetch(`${host.url}controls/missing.js`)).status).toBe(404);
  expect((await fetch(`${host.url}controls/..%2f..%2fdb.sqlite`)).status).toBe(403);
});

it("maps logical names to entity set names for the host's WebApi", async () => {
  const map = (await (await fetch(`${host.url}host/entity-sets.json`)).json()) as Record<string, string>;
  expect(map).toMatchObject({ account: "accounts", territory: "territories", systemuser: "systemusers" });
});

it("passes everything else to the Dataverse service and counts Web API requests by entity set", async () => {
  host.resetRequestCounts();
  const client = new DataverseHttpClient({ baseUrl: host.apiUrl });
  const all = await client.retrieveAll("accounts", "?$select=name", { maxPageSize: 20 });
  expect(all).toHaveLength(50);
  await client.whoAmI();
  expect(host.requestCounts()).toEqual({ "GET accounts": 3, "GET WhoAmI": 1 });
  expect((await fetch(`${host.url}_local/stats`)).status).toBe(200);
  expect((await fetch(`${host.url}nowhere`)).status).toBe(404);
});

// Dataverse accepts URLs up to 32 KB and answers longer ones with 414
// (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors);
// the dev host lets them through to the Web API instead of Node's empty 431 at 16 KB.
it("answers URLs over Node's 16 KB header limit like Dataverse: accepted to 32 KB, then 414 with an error body", async () => {
  const filter = (n: number): string => `name ne '${"x".repeat(n)}'`;
  const ok = await fetch(`${host.apiUrl}accounts?$select=name&$top=1&$filter=${encodeURIComponent(filter(20_000))}`);
  expect(ok.status).toBe(200);
  const tooLong = await fetch(`${host.apiUrl}accounts?$select=name&$filter=${encodeURIComponent(filter(40_000))}`);
  expect(tooLong.status).toBe(414);
  const body = (await tooLong.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("0x80060888");
  expect(body.error.message).toMatch(/32768/);
  const wayTooLong = await fetch(`${host.apiUrl}accounts?$filter=${encodeURIComponent(filter(100_000))}`);
  expect(wayTooLong.status).toBe(414);
  expect(((await wayTooLong.json()) as { error: { code: string } }).error.code).toBe("0x80060888");
});
