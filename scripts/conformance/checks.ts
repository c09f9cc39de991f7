/**
 * Conformance of the local Dataverse stand-in, driven by a client we did not write: `dynamics-web-api`
 * (https://github.com/AleksandrRogov/DynamicsWebApi). One list of checks, run by the jest suite
 * (tests/integration/conformance) and by `npm run conformance` (scripts/conformance.ts). Each check names the
 * Microsoft Learn page whose documented behaviour it expects; where the client and the stand-in disagree, the
 * stand-in is fixed after checking that page, never the check.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { DynamicsWebApi } from "dynamics-web-api";
import { startDataverseServer, type DataverseServer } from "../../local/dataverse";

const LEARN = "https://learn.microsoft.com/power-apps/developer/data-platform/webapi";
const DOCS = {
  create: `${LEARN}/create-entity-web-api`,
  retrieve: `${LEARN}/retrieve-entity-using-web-api`,
  update: `${LEARN}/update-delete-entities-using-web-api`,
  query: `${LEARN}/query/overview`,
  filter: `${LEARN}/query/filter-rows`,
  page: `${LEARN}/query/page-results`,
  count: `${LEARN}/query/count-rows`,
  batch: `${LEARN}/execute-batch-operations-using-web-api`,
  bulk: "https://learn.microsoft.com/power-apps/developer/data-platform/bulk-operations",
  conditional: `${LEARN}/perform-conditional-operations-using-web-api`,
  errors: `${LEARN}/compose-http-requests-handle-errors`,
  impersonate: `${LEARN}/impersonate-another-user-web-api`,
  associate: `${LEARN}/associate-disassociate-entities-using-web-api`,
  functions: `${LEARN}/use-web-api-functions`,
  fetchxml: `${LEARN}/use-fetchxml-web-api`,
} as const;

export interface ConformanceContext {
  server: DataverseServer;
  /** dynamics-web-api pointed at the stand-in (errors propagate, no legacy swallowing). */
  api: DynamicsWebApi;
  /** A fresh client with other options (impersonation). */
  client(config?: ConstructorParameters<typeof DynamicsWebApi>[0]): DynamicsWebApi;
}

export interface ConformanceCheck {
  area: string;
  name: string;
  /** The Microsoft Learn page the expectation comes from. */
  doc: string;
  /** Why the check is not run (the stand-in does not offer the feature); the check counts as skipped. */
  skip?: string;
  run(ctx: ConformanceContext): Promise<void>;
}

export interface CheckResult {
  area: string;
  name: string;
  status: "passed" | "failed" | "skipped";
  ms: number;
  error?: string;
}

type Rec = Record<string, unknown>;
interface ClientError {
  status?: number;
  code?: string;
  message: string;
}

async function rejects(promise: Promise<unknown>): Promise<ClientError> {
  try {
    await promise;
  } catch (e) {
    return e as ClientError;
  }
  throw new assert.AssertionError({ message: "expected the request to fail, but it succeeded" });
}

function expectError(e: ClientError, status: number, code?: string | RegExp): void {
  assert.equal(e.status, status, `status ${String(e.status)} (${e.message})`);
  assert.equal(typeof e.message, "string");
  assert.ok(e.message.length > 0, "the client parsed no error message");
  if (code instanceof RegExp) assert.match(String(e.code), code);
  else if (code !== undefined) assert.equal(e.code, code);
}

/** dynamics-web-api rejects a failed $batch with the failed parts: `[{ status, error: { code, message } }]`. */
function batchError(e: unknown): ClientError {
  const first = (Array.isArray(e) ? e[0] : e) as ClientError & { error?: { code?: string; message?: string } };
  assert.ok(first, "the client reported no failed part");
  return { status: first.status, code: first.error?.code ?? first.code, message: first.error?.message ?? first.message };
}

const isGuid = (v: unknown): boolean => typeof v === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v);
const tag = (): string => randomUUID().slice(0, 8);

async function newAccount(api: DynamicsWebApi, data: Rec = {}): Promise<string> {
  return api.create<Rec, string>({ collection: "accounts", data: { name: `Conformance ${tag()}`, ...data } });
}

async function accountsNamed(ctx: ConformanceContext, prefix: string, n: number): Promise<void> {
  ctx.server.service.store.insertMany(
    "account",
    Array.from({ length: n }, (_, i) => ({ name: `${prefix} ${String(i).padStart(3, "0")}`, accountnumber: prefix, revenue: i * 1000 })),
  );
}

export const conformanceChecks: ConformanceCheck[] = [
  // ------------------------------------------------------------------ CRUD
  {
    area: "crud",
    name: "create returns the new record's id (OData-EntityId)",
    doc: DOCS.create,
    async run({ api }) {
      assert.ok(isGuid(await newAccount(api)));
    },
  },
  {
    area: "crud",
    name: "create with return=representation answers the record",
    doc: DOCS.create,
    async run({ api }) {
      const r = await api.create<Rec, Rec>({
        collection: "accounts",
        data: { name: "Represented", revenue: 12.5 },
        returnRepresentation: true,
        select: ["name", "revenue"],
      });
      assert.equal(r.name, "Represented");
      assert.equal(r.revenue, 12.5);
      assert.ok(isGuid(r.accountid));
      assert.ok(String(r["@odata.etag"]).startsWith('W/"'));
    },
  },
  {
    area: "crud",
    name: "retrieve with $select returns the selected columns, the key and the etag",
    doc: DOCS.retrieve,
    async run({ api }) {
      const id = await newAccount(api, { accountnumber: "SEL-1", revenue: 5 });
      const r = await api.retrieve<Rec>({ collection: "accounts", key: id, select: ["accountnumber"] });
      assert.equal(r.accountnumber, "SEL-1");
      assert.equal(r.accountid, id);
      assert.equal(r.revenue, undefined);
      assert.ok(r["@odata.etag"]);
    },
  },
  {
    area: "crud",
    name: "a lookup set with @odata.bind reads back as _x_value; $expand returns the related record",
    doc: DOCS.retrieve,
    async run({ api }) {
      const territory = await api.create<Rec, string>({ collection: "territories", data: { name: `T ${tag()}` } });
      const id = await newAccount(api, { "territoryid@odata.bind": `/territories(${territory})` });
      const r = await api.retrieve<Rec>({
        collection: "accounts",
        key: id,
        select: ["_territoryid_value"],
        expand: [{ property: "territoryid", select: ["name"] }],
      });
      assert.equal(r._territoryid_value, territory);
      assert.match(String((r.territoryid as Rec).name), /^T /);
    },
  },
  {
    area: "crud",
    name: "formatted values and the lookup's logical name come with odata.include-annotations",
    doc: DOCS.retrieve,
    async run({ api }) {
      const territory = await api.create<Rec, string>({ collection: "territories", data: { name: "Annotated" } });
      const id = await newAccount(api, { revenue: 1234.5, "territoryid@odata.bind": `/territories(${territory})` });
      const r = await api.retrieve<Rec>({
        collection: "accounts",
        key: id,
        select: ["revenue", "_territoryid_value", "statecode"],
        includeAnnotations: "*",
      });
      assert.equal(r.revenue_Formatted, "$1,234.50");
      assert.equal(r.statecode_Formatted, "Active");
      assert.equal(r._territoryid_value_Formatted, "Annotated");
      assert.equal(r._territoryid_value_LogicalName, "territory");
    },
  },
  {
    area: "crud",
    name: "update changes the record (If-Match: *, no create)",
    doc: DOCS.update,
    async run({ api }) {
      const id = await newAccount(api);
      await api.update({ collection: "accounts", key: id, data: { accountnumber: "UPD-1" } });
      const r = await api.retrieve<Rec>({ collection: "accounts", key: id, select: ["accountnumber"] });
      assert.equal(r.accountnumber, "UPD-1");
    },
  },
  {
    area: "crud",
    name: "update of a missing record is 404 (update never creates)",
    doc: DOCS.conditional,
    async run({ api }) {
      const e = await rejects(api.update({ collection: "accounts", key: randomUUID(), data: { name: "Ghost" } }));
      expectError(e, 404, "0x80040217");
    },
  },
  {
    area: "crud",
    name: "update with return=representation answers the updated record",
    doc: DOCS.update,
    async run({ api }) {
      const id = await newAccount(api);
      const r = await api.update<Rec, Rec>({
        collection: "accounts",
        key: id,
        data: { accountnumber: "REP" },
        returnRepresentation: true,
        select: ["accountnumber"],
      });
      assert.equal(r.accountnumber, "REP");
    },
  },
  {
    area: "crud",
    name: "upsert creates a missing record with the given id",
    doc: DOCS.update,
    async run({ api }) {
      const id = randomUUID();
      await api.upsert({ collection: "accounts", key: id, data: { name: "Upserted" } });
      const r = await api.retrieve<Rec>({ collection: "accounts", key: id, select: ["name"] });
      assert.equal(r.name, "Upserted");
    },
  },
  {
    area: "crud",
    name: "upsert updates an existing record",
    doc: DOCS.update,
    async run({ api }) {
      const id = await newAccount(api);
      await api.upsert({ collection: "accounts", key: id, data: { accountnumber: "UPS-2" } });
      const r = await api.retrieve<Rec>({ collection: "accounts", key: id, select: ["accountnumber"] });
      assert.equal(r.accountnumber, "UPS-2");
    },
  },
  {
    area: "crud",
    name: "updateSingleProperty (PUT <set>(id)/<column>) sets one column",
    doc: DOCS.update,
    async run({ api }) {
      const id = await newAccount(api);
      await api.updateSingleProperty({ collection: "accounts", key: id, fieldValuePair: { accountnumber: "PUT-1" } });
      const r = await api.retrieve<Rec>({ collection: "accounts", key: id, select: ["accountnumber"] });
      assert.equal(r.accountnumber, "PUT-1");
    },
  },
  {
    area: "crud",
    name: "delete removes the record; reading it again is 404",
    doc: DOCS.update,
    async run({ api }) {
      const id = await newAccount(api);
      await api.deleteRecord({ collection: "accounts", key: id });
      expectError(await rejects(api.retrieve({ collection: "accounts", key: id })), 404, "0x80040217");
    },
  },
  {
    area: "crud",
    name: "delete of a missing record is 404",
    doc: DOCS.update,
    async run({ api }) {
      expectError(await rejects(api.deleteRecord({ collection: "accounts", key: randomUUID() })), 404, "0x80040217");
    },
  },

  // ------------------------------------------------------------------ queries and paging
  {
    area: "query",
    name: "retrieveMultiple with $filter, $orderby and $select",
    doc: DOCS.filter,
    async run(ctx) {
      const p = `Q${tag()}`;
      await accountsNamed(ctx, p, 6);
      const r = await ctx.api.retrieveMultiple<Rec>({
        collection: "accounts",
        select: ["name"],
        filter: `accountnumber eq '${p}' and revenue ge 2000`,
        orderBy: ["revenue desc"],
      });
      assert.deepEqual(
        r.value.map((v) => v.name),
        [5, 4, 3, 2].map((i) => `${p} 00${i}`),
      );
    },
  },
  {
    area: "query",
    name: "contains / startswith / endswith; % and _ are wildcards, [%] is literal",
    doc: DOCS.filter,
    async run(ctx) {
      const p = `W${tag()}`;
      ctx.server.service.store.insertMany(
        "account",
        [`${p} 100% sure`, `${p} 100X sure`, `${p}_x`].map((name) => ({ name, accountnumber: p })),
      );
      const names = async (filter: string): Promise<unknown[]> =>
        (
          await ctx.api.retrieveMultiple<Rec>({
            collection: "accounts",
            select: ["name"],
            filter: `accountnumber eq '${p}' and ${filter}`,
            orderBy: ["name"],
          })
        ).value.map((v) => v.name);
      assert.deepEqual(await names("contains(name,'100%')"), [`${p} 100% sure`, `${p} 100X sure`]);
      assert.deepEqual(await names("contains(name,'100[%]')"), [`${p} 100% sure`]);
      assert.deepEqual(await names("endswith(name,'[_]x')"), [`${p}_x`]);
    },
  },
  {
    area: "query",
    name: "Dataverse query functions (Microsoft.Dynamics.CRM.In, Between)",
    doc: DOCS.filter,
    async run(ctx) {
      const p = `F${tag()}`;
      await accountsNamed(ctx, p, 5);
      const r = await ctx.api.retrieveMultiple<Rec>({
        collection: "accounts",
        select: ["name"],
        filter: `accountnumber eq '${p}' and Microsoft.Dynamics.CRM.Between(PropertyName='revenue',PropertyValues=['1000','3000']) and Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['${p} 001','${p} 003','${p} 004'])`,
      });
      assert.equal(r.value.length, 2);
    },
  },
  {
    area: "paging",
    name: "maxPageSize returns one page and @odata.nextLink",
    doc: DOCS.page,
    async run(ctx) {
      const p = `P${tag()}`;
      await accountsNamed(ctx, p, 12);
      const r = await ctx.api.retrieveMultiple<Rec>({
        collection: "accounts",
        select: ["name"],
        filter: `accountnumber eq '${p}'`,
        maxPageSize: 5,
      });
      assert.equal(r.value.length, 5);
      assert.match(String(r.oDataNextLink), /\$skiptoken=/);
    },
  },
  {
    area: "paging",
    name: "the nextLink returns the following pages until none is left",
    doc: DOCS.page,
    async run(ctx) {
      const p = `N${tag()}`;
      await accountsNamed(ctx, p, 12);
      const request = { collection: "accounts", select: ["name"], filter: `accountnumber eq '${p}'`, maxPageSize: 5 };
      const seen: unknown[] = [];
      let page = await ctx.api.retrieveMultiple<Rec>(request);
      seen.push(...page.value.map((v) => v.name));
      let pages = 1;
      while (page.oDataNextLink) {
        page = await ctx.api.retrieveMultiple<Rec>(request, page.oDataNextLink);
        seen.push(...page.value.map((v) => v.name));
        pages++;
      }
      assert.equal(pages, 3);
      assert.equal(new Set(seen).size, 12);
    },
  },
  {
    area: "paging",
    name: "retrieveAll follows every page",
    doc: DOCS.page,
    async run(ctx) {
      const p = `A${tag()}`;
      await accountsNamed(ctx, p, 23);
      const r = await ctx.api.retrieveAll<Rec>({
        collection: "accounts",
        select: ["name"],
        filter: `accountnumber eq '${p}'`,
        maxPageSize: 4,
      });
      assert.equal(r.value.length, 23);
    },
  },
  {
    area: "paging",
    name: "$top limits the rows",
    doc: DOCS.page,
    async run(ctx) {
      const p = `T${tag()}`;
      await accountsNamed(ctx, p, 8);
      const r = await ctx.api.retrieveMultiple<Rec>({
        collection: "accounts",
        select: ["name"],
        filter: `accountnumber eq '${p}'`,
        top: 3,
      });
      assert.equal(r.value.length, 3);
      assert.equal(r.oDataNextLink, undefined);
    },
  },
  {
    area: "paging",
    name: "$top is ignored when odata.maxpagesize is requested",
    doc: DOCS.page,
    async run(ctx) {
      const p = `I${tag()}`;
      await accountsNamed(ctx, p, 8);
      const r = await ctx.api.retrieveMultiple<Rec>({
        collection: "accounts",
        select: ["name"],
        filter: `accountnumber eq '${p}'`,
        top: 3,
        maxPageSize: 6,
      });
      assert.equal(r.value.length, 6);
      assert.ok(r.oDataNextLink);
    },
  },
  {
    area: "count",
    name: "count (<set>/$count) with a filter",
    doc: DOCS.count,
    async run(ctx) {
      const p = `C${tag()}`;
      await accountsNamed(ctx, p, 7);
      assert.equal(await ctx.api.count({ collection: "accounts", filter: `accountnumber eq '${p}'` }), 7);
    },
  },
  {
    area: "count",
    name: "$count=true returns @odata.count with the page",
    doc: DOCS.count,
    async run(ctx) {
      const p = `K${tag()}`;
      await accountsNamed(ctx, p, 9);
      const r = await ctx.api.retrieveMultiple<Rec>({
        collection: "accounts",
        select: ["name"],
        filter: `accountnumber eq '${p}'`,
        count: true,
        maxPageSize: 2,
      });
      assert.equal(r.oDataCount, 9);
      assert.equal(r.value.length, 2);
    },
  },
  {
    area: "count",
    name: "countAll counts every matching row",
    doc: DOCS.count,
    async run(ctx) {
      const p = `L${tag()}`;
      await accountsNamed(ctx, p, 11);
      assert.equal(await ctx.api.countAll({ collection: "accounts", filter: `accountnumber eq '${p}'`, select: ["accountid"] }), 11);
    },
  },
  {
    area: "query",
    name: "annotations on a collection: formatted values and lookuplogicalname",
    doc: DOCS.query,
    async run(ctx) {
      const p = `N${tag()}`;
      await accountsNamed(ctx, p, 2);
      const r = await ctx.api.retrieveMultiple<Rec>({
        collection: "accounts",
        select: ["revenue", "_ownerid_value"],
        filter: `accountnumber eq '${p}'`,
        includeAnnotations: "*",
        orderBy: ["revenue"],
      });
      assert.equal(r.value[1].revenue_Formatted, "$1,000.00");
    },
  },

  // ------------------------------------------------------------------ $batch
  {
    area: "batch",
    name: "a batch of GETs and creates (no change set) answers every request in order",
    doc: DOCS.batch,
    async run({ api }) {
      const id = await newAccount(api, { accountnumber: "B-GET" });
      api.startBatch();
      api.retrieve({ collection: "accounts", key: id, select: ["accountnumber"] });
      api.create({ collection: "accounts", data: { name: "Batch created" }, inChangeSet: false });
      api.retrieveMultiple({ collection: "accounts", select: ["name"], filter: "name eq 'Batch created'" });
      const results = await api.executeBatch();
      assert.equal(results.length, 3);
      assert.equal((results[0] as Rec).accountnumber, "B-GET");
      assert.ok(isGuid(results[1]));
      assert.equal(((results[2] as Rec).value as Rec[]).length, 1);
    },
  },
  {
    area: "batch",
    name: "a change set with Content-ID references ($1) commits together",
    doc: DOCS.batch,
    async run({ api }) {
      const name = `CS ${tag()}`;
      api.startBatch();
      api.create({ collection: "territories", data: { name }, contentId: "1" });
      api.create({ collection: "accounts", data: { name, "territoryid@odata.bind": "$1" } });
      const results = await api.executeBatch();
      assert.equal(results.length, 2);
      const rows = await api.retrieveMultiple<Rec>({ collection: "accounts", select: ["_territoryid_value"], filter: `name eq '${name}'` });
      assert.equal(rows.value[0]._territoryid_value, results[0]);
    },
  },
  {
    area: "batch",
    name: "a failing change set fails the batch with the request's error; nothing is committed",
    doc: DOCS.batch,
    async run({ api }) {
      const name = `Rollback ${tag()}`;
      api.startBatch();
      api.create({ collection: "accounts", data: { name } });
      api.create({ collection: "accounts", data: { name, address1_latitude: 123 } });
      const first = batchError(await rejects(api.executeBatch()));
      expectError(first, 400, "0x80044331");
      assert.match(first.message, /address1_latitude/);
      const rows = await api.retrieveMultiple<Rec>({ collection: "accounts", select: ["name"], filter: `name eq '${name}'` });
      assert.equal(rows.value.length, 0);
    },
  },
  {
    area: "batch",
    name: "a 412 inside a change set fails the batch with 412 and rolls the set back",
    doc: DOCS.batch,
    async run({ api }) {
      const id = await newAccount(api, { accountnumber: "B412" });
      api.startBatch();
      api.update({ collection: "accounts", key: id, data: { accountnumber: "B412-changed" } });
      api.update({ collection: "accounts", key: id, data: { accountnumber: "B412-stale" }, ifmatch: 'W/"1"' });
      const first = batchError(await rejects(api.executeBatch()));
      expectError(first, 412, "0x80060882");
      const r = await api.retrieve<Rec>({ collection: "accounts", key: id, select: ["accountnumber"] });
      assert.equal(r.accountnumber, "B412");
    },
  },
  {
    area: "batch",
    name: "continue-on-error answers every request, the failure among them",
    doc: DOCS.batch,
    async run({ api }) {
      const name = `Continue ${tag()}`;
      api.startBatch();
      api.create({ collection: "accounts", data: { name }, inChangeSet: false });
      api.retrieve({ collection: "accounts", key: randomUUID(), select: ["name"] });
      api.create({ collection: "accounts", data: { name }, inChangeSet: false });
      const results = await api.executeBatch({ continueOnError: true });
      assert.equal(results.length, 3);
      assert.ok(isGuid(results[0]));
      assert.equal((results[1] as ClientError).status, 404);
      assert.ok(isGuid(results[2]));
    },
  },

  // ------------------------------------------------------------------ bulk messages
  {
    area: "bulk",
    name: "CreateMultiple (bound action on the entity set) returns the new ids",
    doc: DOCS.bulk,
    async run({ api }) {
      const p = `CM${tag()}`;
      const r = await api.callAction<{ Ids: string[] }>({
        collection: "accounts",
        actionName: "Microsoft.Dynamics.CRM.CreateMultiple",
        action: {
          Targets: [1, 2, 3].map((i) => ({ "@odata.type": "Microsoft.Dynamics.CRM.account", name: `${p} ${i}`, accountnumber: p })),
        },
      });
      assert.equal(r.Ids.length, 3);
      assert.ok(r.Ids.every(isGuid));
      assert.equal(await api.count({ collection: "accounts", filter: `accountnumber eq '${p}'` }), 3);
    },
  },
  {
    area: "bulk",
    name: "UpdateMultiple updates every target",
    doc: DOCS.bulk,
    async run({ api }) {
      const ids = [await newAccount(api), await newAccount(api)];
      const p = `UM${tag()}`;
      await api.callAction({
        collection: "accounts",
        actionName: "Microsoft.Dynamics.CRM.UpdateMultiple",
        action: { Targets: ids.map((accountid) => ({ "@odata.type": "Microsoft.Dynamics.CRM.account", accountid, accountnumber: p })) },
      });
      assert.equal(await api.count({ collection: "accounts", filter: `accountnumber eq '${p}'` }), 2);
    },
  },
  {
    area: "bulk",
    name: "UpsertMultiple creates and updates, reporting RecordCreated",
    doc: DOCS.bulk,
    async run({ api }) {
      const existing = await newAccount(api);
      const fresh = randomUUID();
      const r = await api.callAction<{ Results: Array<{ RecordCreated: boolean }> }>({
        collection: "accounts",
        actionName: "Microsoft.Dynamics.CRM.UpsertMultiple",
        action: {
          Targets: [
            { "@odata.type": "Microsoft.Dynamics.CRM.account", accountid: existing, accountnumber: "UPSM" },
            { "@odata.type": "Microsoft.Dynamics.CRM.account", accountid: fresh, name: "Upsert new" },
          ],
        },
      });
      assert.deepEqual(
        r.Results.map((x) => x.RecordCreated),
        [false, true],
      );
    },
  },
  {
    area: "bulk",
    name: "CreateMultiple with one invalid target creates nothing and answers 400",
    doc: DOCS.bulk,
    async run({ api }) {
      const p = `CMX${tag()}`;
      const e = await rejects(
        api.callAction({
          collection: "accounts",
          actionName: "Microsoft.Dynamics.CRM.CreateMultiple",
          action: {
            Targets: [
              { "@odata.type": "Microsoft.Dynamics.CRM.account", name: p, accountnumber: p },
              { "@odata.type": "Microsoft.Dynamics.CRM.account", name: p, accountnumber: p, numberofemployees: -1 },
            ],
          },
        }),
      );
      expectError(e, 400, "0x80044331");
      assert.equal(await api.count({ collection: "accounts", filter: `accountnumber eq '${p}'` }), 0);
    },
  },

  // ------------------------------------------------------------------ conditional operations
  {
    area: "conditional",
    name: "If-None-Match with the current etag: 304, the client answers no record",
    doc: DOCS.conditional,
    async run({ api }) {
      const id = await newAccount(api);
      const first = await api.retrieve<Rec>({ collection: "accounts", key: id, select: ["name"] });
      const again = await api.retrieve<Rec | null>({
        collection: "accounts",
        key: id,
        select: ["name"],
        ifnonematch: String(first["@odata.etag"]),
      });
      assert.ok(
        again === null || again === undefined || (typeof again === "object" && Object.keys(again).length === 0),
        `got ${JSON.stringify(again)}`,
      );
    },
  },
  {
    area: "conditional",
    name: "If-None-Match with an old etag returns the changed record",
    doc: DOCS.conditional,
    async run({ api }) {
      const id = await newAccount(api);
      const first = await api.retrieve<Rec>({ collection: "accounts", key: id, select: ["name"] });
      await api.update({ collection: "accounts", key: id, data: { name: "Changed since" } });
      const again = await api.retrieve<Rec>({
        collection: "accounts",
        key: id,
        select: ["name"],
        ifnonematch: String(first["@odata.etag"]),
      });
      assert.equal(again.name, "Changed since");
    },
  },
  {
    area: "conditional",
    name: "update with a stale If-Match etag is 412 and changes nothing",
    doc: DOCS.conditional,
    async run({ api }) {
      const id = await newAccount(api, { accountnumber: "ETAG" });
      const first = await api.retrieve<Rec>({ collection: "accounts", key: id, select: ["accountnumber"] });
      await api.update({ collection: "accounts", key: id, data: { accountnumber: "ETAG-2" } });
      const e = await rejects(
        api.update({ collection: "accounts", key: id, data: { accountnumber: "ETAG-3" }, ifmatch: String(first["@odata.etag"]) }),
      );
      expectError(e, 412, "0x80060882");
      assert.equal((await api.retrieve<Rec>({ collection: "accounts", key: id, select: ["accountnumber"] })).accountnumber, "ETAG-2");
    },
  },
  {
    area: "conditional",
    name: "delete with a stale If-Match etag is 412",
    doc: DOCS.conditional,
    async run({ api }) {
      const id = await newAccount(api);
      const first = await api.retrieve<Rec>({ collection: "accounts", key: id, select: ["name"] });
      await api.update({ collection: "accounts", key: id, data: { name: "Moved on" } });
      expectError(
        await rejects(api.deleteRecord({ collection: "accounts", key: id, ifmatch: String(first["@odata.etag"]) })),
        412,
        "0x80060882",
      );
    },
  },
  {
    area: "conditional",
    name: "upsert with If-None-Match: * on an existing record is 412 (prevent update)",
    doc: DOCS.conditional,
    async run({ api }) {
      const id = await newAccount(api);
      expectError(await rejects(api.upsert({ collection: "accounts", key: id, data: { name: "No update" }, ifnonematch: "*" })), 412);
    },
  },
  {
    area: "conditional",
    name: "upsert with If-Match: * on a missing record is 404 (prevent create)",
    doc: DOCS.conditional,
    async run({ api }) {
      expectError(await rejects(api.upsert({ collection: "accounts", key: randomUUID(), data: { name: "No create" }, ifmatch: "*" })), 404);
    },
  },

  // ------------------------------------------------------------------ errors
  {
    area: "errors",
    name: "an invalid $filter is 400 with Dataverse's code and message",
    doc: DOCS.errors,
    async run({ api }) {
      const e = await rejects(api.retrieveMultiple({ collection: "accounts", filter: "name eq 'unterminated" }));
      expectError(e, 400, "0x80060888");
    },
  },
  {
    area: "errors",
    name: "an unknown column is 400 naming it",
    doc: DOCS.errors,
    async run({ api }) {
      const e = await rejects(api.retrieveMultiple({ collection: "accounts", select: ["nosuchcolumn"] }));
      expectError(e, 400, "0x0");
      assert.match(e.message, /nosuchcolumn/);
    },
  },
  {
    area: "errors",
    name: "a value out of range is 400 (validation, 0x80044331)",
    doc: DOCS.errors,
    async run({ api }) {
      const e = await rejects(api.create({ collection: "accounts", data: { name: "Bad latitude", address1_latitude: 95 } }));
      expectError(e, 400, "0x80044331");
      assert.match(e.message, /address1_latitude/);
    },
  },
  {
    area: "errors",
    name: "an unknown entity set is 404 (0x8006088a)",
    doc: DOCS.errors,
    async run({ api }) {
      expectError(await rejects(api.retrieveMultiple({ collection: "nosuchentities" })), 404, "0x8006088a");
    },
  },
  {
    area: "errors",
    name: "a status reason of another state is 400",
    doc: "https://learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes",
    async run({ api }) {
      const id = await newAccount(api);
      const e = await rejects(api.update({ collection: "accounts", key: id, data: { statecode: 0, statuscode: 2 } }));
      expectError(e, 400, "0x80048408");
    },
  },

  // ------------------------------------------------------------------ functions, impersonation, teams
  {
    area: "functions",
    name: "WhoAmI (unbound function) names the calling user",
    doc: DOCS.functions,
    async run({ api, server }) {
      const r = await api.callFunction<Rec>("WhoAmI");
      assert.equal(r.UserId, server.service.currentUserId());
      assert.ok(isGuid(r.BusinessUnitId));
    },
  },
  {
    area: "impersonation",
    name: "impersonate (MSCRMCallerID): createdby is the user, createdonbehalfby the caller",
    doc: DOCS.impersonate,
    async run(ctx) {
      const rep = randomUUID();
      ctx.server.service.store.insertMany("systemuser", [{ systemuserid: rep, fullname: "Impersonated rep" }]);
      const id = await ctx.client({ impersonate: rep }).create<Rec, string>({ collection: "accounts", data: { name: "On behalf" } });
      const r = await ctx.api.retrieve<Rec>({
        collection: "accounts",
        key: id,
        select: ["_createdby_value", "_createdonbehalfby_value", "_ownerid_value"],
      });
      assert.equal(r._createdby_value, rep);
      assert.equal(r._ownerid_value, rep);
      assert.equal(r._createdonbehalfby_value, ctx.server.service.currentUserId());
    },
  },
  {
    area: "impersonation",
    name: "impersonateAAD (CallerObjectId) finds the user by Microsoft Entra object id; an unknown one is refused",
    doc: DOCS.impersonate,
    async run(ctx) {
      const rep = randomUUID();
      const objectId = randomUUID();
      ctx.server.service.store.insertMany("systemuser", [
        { systemuserid: rep, fullname: "Entra rep", azureactivedirectoryobjectid: objectId },
      ]);
      const who = await ctx.client({ impersonateAAD: objectId }).callFunction<Rec>("WhoAmI");
      assert.equal(who.UserId, rep);
      expectError(await rejects(ctx.client({ impersonateAAD: randomUUID() }).callFunction("WhoAmI")), 404);
    },
  },
  {
    area: "teams",
    name: "a team owns an account (ownerid@odata.bind to /teams); the owner's logical name is team",
    doc: DOCS.associate,
    async run({ api }) {
      const team = await api.create<Rec, string>({ collection: "teams", data: { name: `Team ${tag()}` } });
      const user = (await api.callFunction<Rec>("WhoAmI")).UserId as string;
      await api.associate({
        collection: "teams",
        primaryKey: team,
        relationshipName: "teammembership_association",
        relatedCollection: "systemusers",
        relatedKey: user,
      });
      const members = await api.retrieveMultiple<Rec>({ collection: "teams", select: ["teamid"], filter: `teamid eq ${team}` });
      assert.equal(members.value.length, 1);
      const id = await newAccount(api, { "ownerid@odata.bind": `/teams(${team})` });
      const r = await api.retrieve<Rec>({ collection: "accounts", key: id, select: ["_ownerid_value"], includeAnnotations: "*" });
      assert.equal(r._ownerid_value, team);
      assert.equal(r._ownerid_value_LogicalName, "team");
    },
  },
  {
    area: "fetchxml",
    name: "FetchXML query (fetchXml parameter)",
    doc: DOCS.fetchxml,
    skip: "the stand-in does not support FetchXML (local/dataverse/README.md); the product sends OData only",
    async run({ api }) {
      await api.fetch({ collection: "accounts", fetchXml: '<fetch><entity name="account"><attribute name="name"/></entity></fetch>' });
    },
  },
];

/** A stand-in on a random port with an integration user as the caller, and dynamics-web-api pointed at it. */
export async function startConformanceContext(): Promise<{ ctx: ConformanceContext; close: () => Promise<void> }> {
  const server = await startDataverseServer({ port: 0, dbPath: ":memory:" });
  const client = (config: ConstructorParameters<typeof DynamicsWebApi>[0] = {}): DynamicsWebApi =>
    new DynamicsWebApi({
      serverUrl: `${server.origin}/`,
      dataApi: { version: "9.2" },
      onTokenRefresh: async () => "local-token",
      propagateErrors: true,
      ...config,
    });
  // The caller: an integration user (WhoAmI), as an application user is on a real environment.
  const caller = "00000000-0000-0000-0000-00000000c0de";
  server.service.store.insertMany("systemuser", [{ systemuserid: caller, fullname: "Conformance caller" }]);
  server.service.setCurrentUserId(caller);
  return { ctx: { server, api: client(), client }, close: () => server.close() };
}

/** Runs every check against a fresh stand-in; resolves with one result per check and the totals. */
export async function runConformance(
  options: { checks?: ConformanceCheck[] } = {},
): Promise<{ results: CheckResult[]; passed: number; failed: number; skipped: number }> {
  const { ctx, close } = await startConformanceContext();
  const results: CheckResult[] = [];
  try {
    for (const check of options.checks ?? conformanceChecks) results.push(await runCheck(ctx, check));
  } finally {
    await close();
  }
  const count = (s: CheckResult["status"]): number => results.filter((r) => r.status === s).length;
  return { results, passed: count("passed"), failed: count("failed"), skipped: count("skipped") };
}

/** One check: passed, failed (with the reason) or skipped. */
export async function runCheck(ctx: ConformanceContext, check: ConformanceCheck): Promise<CheckResult> {
  const base = { area: check.area, name: check.name };
  if (check.skip) return { ...base, status: "skipped", ms: 0, error: check.skip };
  const started = performance.now();
  try {
    await check.run(ctx);
    return { ...base, status: "passed", ms: performance.now() - started };
  } catch (e) {
    const error = e instanceof Error ? e.message : typeof e === "object" ? JSON.stringify(e) : String(e);
    return { ...base, status: "failed", ms: performance.now() - started, error };
  }
}
