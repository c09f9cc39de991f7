/**
 * The stand-in's conformance suite under jest: the same checks `npm run conformance` runs
 * (scripts/conformance/checks.ts), driven by dynamics-web-api, a Dataverse client we did not write. Every check
 * cites the Microsoft Learn page it follows; a failure means the stand-in differs from documented Dataverse.
 */
import { conformanceChecks, runCheck, startConformanceContext, type ConformanceContext } from "../../../scripts/conformance/checks";

jest.setTimeout(30_000);

let ctx: ConformanceContext;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ ctx, close } = await startConformanceContext());
});
afterAll(() => close());

it("has at least 40 checks, each citing Microsoft Learn", () => {
  expect(conformanceChecks.length).toBeGreaterThanOrEqual(40);
  for (const c of conformanceChecks) expect(c.doc).toMatch(/^https:\/\/learn\.microsoft\.com\//);
});

describe.each([...new Set(conformanceChecks.map((c) => c.area))])("%s", (area) => {
  const checks = conformanceChecks.filter((c) => c.area === area);
  for (const check of checks) {
    (check.skip ? it.skip : it)(`${check.name} (${check.doc})`, async () => {
      const result = await runCheck(ctx, check);
      if (result.status === "failed") throw new Error(result.error);
      expect(result.status).toBe("passed");
    });
  }
});
