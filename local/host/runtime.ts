/**
 * Dev host runtime: loads the BUILT control (out/controls/TerritoryMapControl) the way Dataverse does.
 *
 * 1. Platform libraries: React 16.14, ReactDOM 16.14 and Fluent UI v9 become the globals pcf-scripts' externals
 *    expect (window.Reactv16, window.ReactDOMv16, window.FluentUIReactv940).
 * 2. ComponentFramework.registerControl receives the constructor when bundle.js runs.
 * 3. ControlManifest.xml gives the property defaults and the resources: the control's CSS is linked, the resx
 *    feeds context.resources.getString.
 * 4. A ComponentFramework.Context: parameters (manifest defaults, overridable by the URL query), mode with the
 *    allocated size of a resizable frame, userSettings.userId from WhoAmI, webAPI over DataverseHttpClient against
 *    this origin's /api/data/v9.2/, utils, formatting; notifyOutputChanged → getOutputs() → side panel, and the
 *    bound planState flows back into parameters like a form would.
 * 5. The React element from updateView is rendered with ReactDOM.render inside a FluentProvider (virtual control).
 *
 * Bundled in memory by local/host/devHost.ts (esbuild) at server start. Every request stays on this origin.
 */
import * as React from "react";
import * as ReactDOM from "react-dom";
import * as FluentUI from "@fluentui/react-components";
import { DataverseHttpClient } from "../../dataverse/client/DataverseHttpClient";
import { HostWebApi } from "./webApi";

type AnyControl = {
  init(context: unknown, notifyOutputChanged: () => void, state: Record<string, unknown>, container: HTMLDivElement): void;
  updateView(context: unknown): React.ReactElement | void;
  getOutputs?(): Record<string, unknown>;
  destroy(): void;
};
type ControlConstructor = new () => AnyControl;

interface ManifestProperty {
  name: string;
  ofType: string;
  usage: string;
  defaultValue: string | null;
  required: boolean;
}

interface HostWindow extends Window {
  Reactv16?: unknown;
  ReactDOMv16?: unknown;
  FluentUIReactv940?: unknown;
  ComponentFramework?: { registerControl(name: string, ctor: ControlConstructor): void };
  tmapHost?: HostApi;
}

/** What tests and developers can reach as window.tmapHost. */
interface HostApi {
  resize(width: number, height: number): void;
  setParameter(name: string, raw: string | number | null): void;
  outputs(): Record<string, unknown>;
  /** Every context.navigation.openForm call, in order (the host opens no form; it records and logs the call). */
  openedForms: { entityName?: string; entityId?: string }[];
  ready: boolean;
}

/** context.navigation.openForm calls, recorded for tests and shown in the Web API log. */
const openedForms: { entityName?: string; entityId?: string }[] = [];

const CONTROLS_BASE = "/controls/";
const w = window as unknown as HostWindow;
w.Reactv16 = React;
w.ReactDOMv16 = ReactDOM;
w.FluentUIReactv940 = FluentUI;

const registered = new Map<string, ControlConstructor>();
let onRegistered: ((name: string) => void) | undefined;
w.ComponentFramework = {
  registerControl(name: string, ctor: ControlConstructor): void {
    registered.set(name, ctor);
    onRegistered?.(name);
  },
};

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`dev host: #${id} missing`);
  return el as T;
};

function log(message: string, kind: "info" | "error" = "info"): void {
  const list = document.getElementById("host-log");
  if (!list) return;
  const li = document.createElement("li");
  li.textContent = `${new Date().toISOString().slice(11, 23)} ${message}`;
  if (kind === "error") li.className = "error";
  list.prepend(li);
  while (list.childElementCount > 200) list.lastElementChild?.remove();
}

async function fetchText(path: string): Promise<string> {
  const r = await fetch(path, { cache: "no-store" });
  if (!r.ok) throw new Error(`GET ${path} → ${r.status}`);
  return r.text();
}

// ------------------------------------------------------------------ manifest and resources

interface Manifest {
  name: string;
  properties: ManifestProperty[];
  css: string[];
  resx: string[];
  controlType: string;
}

function parseManifest(xml: string): Manifest {
  const doc = new DOMParser().parseFromString(xml, "application/xml");
  const control = doc.querySelector("manifest > control");
  if (!control) throw new Error("ControlManifest.xml has no <control>");
  const properties = Array.from(control.querySelectorAll(":scope > property")).map((p) => ({
    name: p.getAttribute("name") ?? "",
    ofType: p.getAttribute("of-type") ?? (p.getAttribute("of-type-group") ? "SingleLine.Text" : ""),
    usage: p.getAttribute("usage") ?? "input",
    defaultValue: p.getAttribute("default-value"),
    required: p.getAttribute("required") === "true",
  }));
  const byOrder = (a: Element, b: Element) => Number(a.getAttribute("order") ?? 0) - Number(b.getAttribute("order") ?? 0);
  const css = Array.from(control.querySelectorAll("resources > css"))
    .sort(byOrder)
    .map((e) => e.getAttribute("path") ?? "")
    .filter(Boolean);
  const resx = Array.from(control.querySelectorAll("resources > resx"))
    .map((e) => e.getAttribute("path") ?? "")
    .filter(Boolean);
  return {
    name: `${control.getAttribute("namespace")}.${control.getAttribute("constructor")}`,
    properties,
    css,
    resx,
    controlType: control.getAttribute("control-type") ?? "standard",
  };
}

function parseResx(xml: string): Map<string, string> {
  const doc = new DOMParser().parseFromString(xml, "application/xml");
  const strings = new Map<string, string>();
  for (const data of Array.from(doc.querySelectorAll("root > data"))) {
    const name = data.getAttribute("name");
    const value = data.querySelector("value")?.textContent;
    if (name && value !== undefined && value !== null) strings.set(name, value);
  }
  return strings;
}

function loadCss(path: string): Promise<void> {
  return new Promise((resolve) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = CONTROLS_BASE + path;
    link.onload = () => resolve();
    link.onerror = () => {
      log(`css ${path} failed to load`, "error");
      resolve();
    };
    document.head.appendChild(link);
  });
}

function loadBundle(name: string): Promise<ControlConstructor> {
  return new Promise((resolve, reject) => {
    onRegistered = (registeredName) => {
      if (registeredName === name) resolve(registered.get(name) as ControlConstructor);
    };
    const script = document.createElement("script");
    script.src = `${CONTROLS_BASE}bundle.js`;
    script.onload = () => {
      if (!registered.has(name)) reject(new Error(`bundle.js ran but did not register '${name}'`));
    };
    script.onerror = () => reject(new Error("bundle.js failed to load (run `npm run build:dev`)"));
    document.head.appendChild(script);
  });
}

// ------------------------------------------------------------------ parameters

function typedValue(ofType: string, raw: string | number | boolean | null): unknown {
  if (raw === null || raw === undefined || raw === "") return null;
  switch (ofType) {
    case "Whole.None":
    case "FP":
    case "Decimal":
    case "Currency": {
      const n = typeof raw === "number" ? raw : Number(raw);
      return Number.isFinite(n) ? n : null;
    }
    case "TwoOptions":
      return raw === true || raw === "true" || raw === "1" || raw === 1;
    default:
      return String(raw);
  }
}

function makeParameter(p: ManifestProperty, raw: string | number | null): Record<string, unknown> {
  const value = typedValue(p.ofType, raw);
  return {
    raw: value,
    formatted: value === null ? "" : String(value),
    type: p.ofType,
    error: false,
    errorMessage: "",
    attributes: { LogicalName: p.name, DisplayName: p.name, RequiredLevel: p.required ? 2 : 0 },
    security: { editable: true, readable: true, secured: false },
  };
}

// ------------------------------------------------------------------ formatting

function makeFormatting(): Record<string, unknown> {
  const nf = (digits?: number) =>
    new Intl.NumberFormat("en-US", digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return {
    formatCurrency: (value: number, precision = 2, symbol = "$") => `${symbol}${nf(precision).format(value)}`,
    formatDecimal: (value: number, precision = 2) => nf(precision).format(value),
    formatInteger: (value: number) => nf(0).format(value),
    formatLanguage: (value: number) => (value === 1033 ? "English" : String(value)),
    formatTime: (value: Date) => value.toLocaleTimeString("en-US"),
    formatDateShort: (value: Date) => value.toLocaleDateString("en-US"),
    formatDateLong: (value: Date) => value.toLocaleDateString("en-US", { dateStyle: "full" }),
    formatDateLongAbbreviated: (value: Date) => value.toLocaleDateString("en-US", { dateStyle: "medium" }),
    formatDateYearMonth: (value: Date) => value.toLocaleDateString("en-US", { year: "numeric", month: "long" }),
    formatUserDateTimeToUTC: (value: Date) => value.toISOString(),
    formatUTCDateTimeToUserDate: (value: number) => new Date(value),
    getWeekOfYear: (value: Date) => {
      const start = new Date(value.getFullYear(), 0, 1);
      return Math.ceil(((value.getTime() - start.getTime()) / 86400000 + start.getDay() + 1) / 7);
    },
    parseDateFromInput: (value: string) => new Date(value),
    formatDateAsFilterStringInUTC: (value: Date) => value.toISOString(),
  };
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const status = $("host-status");
  const root = $<HTMLDivElement>("control-root");
  const frame = $<HTMLDivElement>("frame");
  const stage = $<HTMLDivElement>("stage");
  const widthInput = $<HTMLInputElement>("width-input");
  const heightInput = $<HTMLInputElement>("height-input");

  status.textContent = "loading manifest…";
  const manifest = parseManifest(await fetchText(`${CONTROLS_BASE}ControlManifest.xml`));
  const strings = new Map<string, string>();
  for (const path of manifest.resx) {
    for (const [k, v] of parseResx(await fetchText(CONTROLS_BASE + path))) strings.set(k, v);
  }
  await Promise.all(manifest.css.map(loadCss));
  document.title = `${strings.get("Control_DisplayName") ?? manifest.name} — dev host`;

  const apiBase = `${location.origin}/api/data/v9.2/`;
  // The platform's WebApi hands 429/5xx to the caller; the control's repository owns retries. ?webApiRetries=N
  // makes the host's client retry too (DataverseHttpClient honours Retry-After).
  const retries = Number(query.get("webApiRetries") ?? 0);
  const client = new DataverseHttpClient({
    baseUrl: apiBase,
    maxRetries: Number.isFinite(retries) && retries >= 0 ? retries : 0,
    onRequest: (e) => {
      const path = decodeURIComponent(e.url.replace(apiBase, "")).slice(0, 140);
      log(
        `${e.method} ${path} → ${e.status || "network error"}${e.retryInMs !== undefined ? ` (retry in ${e.retryInMs} ms)` : ""}`,
        e.status >= 400 || e.status === 0 ? "error" : "info",
      );
    },
  });
  const entitySetNames = (await fetch("/host/entity-sets.json")
    .then((r) => (r.ok ? r.json() : undefined))
    .catch(() => undefined)) as Record<string, string> | undefined;
  const webAPI = new HostWebApi({ client, entitySetNames });

  status.textContent = "WhoAmI…";
  let userId = "{00000000-0000-0000-0000-000000000000}";
  let userName = "Developer";
  try {
    const me = await client.whoAmI();
    userId = `{${me.UserId.toUpperCase()}}`;
    const user = await client.retrieve<{ fullname?: string }>("systemusers", me.UserId, "?$select=fullname").catch(() => undefined);
    if (user?.fullname) userName = user.fullname;
  } catch (e) {
    log(`WhoAmI failed: ${(e as Error).message}`, "error");
  }
  // context.utils.hasEntityPrivilege answers from the user's roles in the stand-in (RetrieveUserPrivileges).
  const privilegeDepth = new Map<string, number>();
  const DEPTHS: Record<string, number> = { Basic: 0, Local: 1, Deep: 2, Global: 3 };
  const RIGHTS = ["", "Create", "Read", "Write", "Delete", "Assign", "Share", "Append", "AppendTo"];
  const STEMS: Record<string, string> = { account: "Account", territory: "Territory", systemuser: "User" };
  try {
    const r = await client.send({
      method: "GET",
      url: `systemusers(${userId.slice(1, -1)})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`,
      idempotent: true,
    });
    for (const p of ((await r.json()) as { RolePrivileges?: { PrivilegeName: string; Depth: string }[] }).RolePrivileges ?? [])
      privilegeDepth.set(p.PrivilegeName.toLowerCase(), DEPTHS[p.Depth] ?? 3);
  } catch (e) {
    log(`RetrieveUserPrivileges failed: ${(e as Error).message}`, "error");
  }
  const hasEntityPrivilege = (entity: string, type: number, depth: number): boolean =>
    (privilegeDepth.get(`prv${RIGHTS[type] ?? ""}${STEMS[entity] ?? entity}`.toLowerCase()) ?? -1) >= Math.max(0, depth);

  // Parameters: manifest defaults, overridden by ?name=value; the bound planState starts from ?planState or empty.
  const rawValues = new Map<string, string | number | null>();
  for (const p of manifest.properties) {
    rawValues.set(p.name, query.has(p.name) ? query.get(p.name) : p.usage === "bound" ? null : p.defaultValue);
  }
  const parameters: Record<string, unknown> = {};
  const rebuildParameters = () => {
    for (const p of manifest.properties) parameters[p.name] = makeParameter(p, rawValues.get(p.name) ?? null);
    renderParameterTable(manifest.properties, rawValues);
  };
  rebuildParameters();

  // Size of the frame the control is allocated; -1 until the control asks to track it (as on the platform).
  let width = Number(query.get("width")) || Math.max(320, stage.clientWidth - 32);
  let height = Number(query.get("height")) || Math.max(240, stage.clientHeight - 32);
  let tracking = false;
  const mode = {
    get allocatedWidth() {
      return tracking ? width : -1;
    },
    get allocatedHeight() {
      return tracking ? height : -1;
    },
    isControlDisabled: query.get("disabled") === "true",
    // The record a form shows (?recordId=&recordTable=), as model-driven forms provide it.
    contextInfo: {
      entityId: query.get("recordId") ?? "",
      entityTypeName: query.get("recordTable") ?? "",
      entityRecordName: "",
    },
    isVisible: true,
    label: "Territory Map",
    setControlState: () => true,
    setFullScreen: (value: boolean) => {
      frame.classList.toggle("fullscreen", value);
    },
    trackContainerResize: (value: boolean) => {
      tracking = value;
    },
  };

  let control: AnyControl | undefined = undefined;
  let renderQueued = false;
  const updatedProperties: string[] = [];
  const context = {
    parameters,
    mode,
    client: {
      disableScroll: false,
      getClient: () => "Web",
      getFormFactor: () => 1,
      isOffline: () => false,
      isNetworkAvailable: () => true,
    },
    device: {},
    factory: { requestRender: () => scheduleRender(), getPopupService: () => ({}) },
    formatting: makeFormatting(),
    navigation: {
      openAlertDialog: async (s: { text?: string }) => {
        log(`alert: ${s.text ?? ""}`);
      },
      openConfirmDialog: async () => ({ confirmed: true }),
      openErrorDialog: async (o: { message?: string }) => {
        log(`error dialog: ${o.message ?? ""}`, "error");
      },
      openUrl: (url: string) => {
        log(`openUrl blocked in dev host: ${url}`);
      },
      openWebResource: () => undefined,
      // The platform opens the record's form; the host has no forms, so it records and logs the call.
      openForm: async (options: { entityName?: string; entityId?: string }) => {
        openedForms.push({ entityName: options?.entityName, entityId: options?.entityId });
        log(`openForm ${options?.entityName ?? "?"} ${options?.entityId ?? "(new)"} (the dev host opens no form)`);
        return { savedEntityReference: [] };
      },
    },
    resources: {
      getString: (id: string) => strings.get(id) ?? "",
      getResource: (_id: string, _success: (data: string) => void, failure: () => void) => failure(),
    },
    userSettings: {
      userId,
      userName,
      languageId: 1033,
      isRTL: false,
      securityRoles: [] as string[],
      dateFormattingInfo: {},
      numberFormattingInfo: { numberDecimalSeparator: ".", numberGroupSeparator: ",", currencySymbol: "$", currencyDecimalDigits: 2 },
      getTimeZoneOffsetMinutes: (date?: Date) => -(date ?? new Date()).getTimezoneOffset(),
    },
    utils: {
      getEntityMetadata: async (entityName: string) => ({ LogicalName: entityName, EntitySetName: await webAPI.setName(entityName) }),
      hasEntityPrivilege,
      lookupObjects: async () => [],
    },
    webAPI,
    updatedProperties,
    events: {},
    fluentDesignLanguage: { tokenTheme: FluentUI.webLightTheme, brand: {}, isDarkTheme: false },
    copilot: {},
  };

  const renderNow = () => {
    renderQueued = false;
    if (!control) return;
    frame.style.width = `${width}px`;
    frame.style.height = `${height}px`;
    widthInput.value = String(width);
    heightInput.value = String(height);
    const element = control.updateView(context);
    updatedProperties.length = 0;
    if (manifest.controlType === "virtual" && element) {
      ReactDOM.render(
        React.createElement(FluentUI.FluentProvider, { theme: FluentUI.webLightTheme, style: { width: "100%", height: "100%" } }, element),
        root,
      );
    }
  };
  function scheduleRender(...changed: string[]): void {
    for (const c of changed) if (!updatedProperties.includes(c)) updatedProperties.push(c);
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(renderNow);
  }

  const resize = (w2: number, h2: number) => {
    width = Math.max(200, Math.round(w2));
    height = Math.max(150, Math.round(h2));
    frame.style.width = `${width}px`;
    frame.style.height = `${height}px`;
    scheduleRender("layout");
  };

  const notifyOutputChanged = () => {
    const outputs = control?.getOutputs?.() ?? {};
    $("output-panel").textContent = JSON.stringify(
      outputs,
      (_k, v) => {
        if (typeof v === "string" && v.startsWith("{")) {
          try {
            return JSON.parse(v) as unknown;
          } catch {
            return v;
          }
        }
        return v;
      },
      2,
    );
    // A form writes outputs to the bound column and calls updateView with the new value.
    for (const p of manifest.properties) {
      if (p.usage === "bound" && p.name in outputs) {
        const value = outputs[p.name];
        rawValues.set(p.name, value === undefined || value === null ? null : (value as string | number));
        parameters[p.name] = makeParameter(p, rawValues.get(p.name) ?? null);
        scheduleRender(p.name);
      }
    }
    $("output-count").textContent = String(Number($("output-count").textContent ?? "0") + 1);
  };

  // Resize: width/height inputs, a drag handle, window resize in "fit" mode.
  const applyInputs = () => resize(Number(widthInput.value) || width, Number(heightInput.value) || height);
  widthInput.addEventListener("change", applyInputs);
  heightInput.addEventListener("change", applyInputs);
  $("fit-button").addEventListener("click", () => resize(stage.clientWidth - 32, stage.clientHeight - 32));
  const handle = $("resize-handle");
  handle.addEventListener("pointerdown", (down: PointerEvent) => {
    down.preventDefault();
    handle.setPointerCapture(down.pointerId);
    const startX = down.clientX;
    const startY = down.clientY;
    const startW = width;
    const startH = height;
    const move = (e: PointerEvent) => resize(startW + e.clientX - startX, startH + e.clientY - startY);
    const up = () => {
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", up);
    };
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", up);
  });

  status.textContent = "loading bundle.js…";
  const ctor = await loadBundle(manifest.name);
  control = new ctor();
  control.init(context, notifyOutputChanged, {}, root);
  frame.style.width = `${width}px`;
  frame.style.height = `${height}px`;
  renderNow();
  status.textContent = `${manifest.name} · user ${userName}`;

  w.tmapHost = {
    resize,
    setParameter: (name, raw) => {
      rawValues.set(name, raw);
      rebuildParameters();
      scheduleRender(name);
    },
    outputs: () => control?.getOutputs?.() ?? {},
    openedForms,
    ready: true,
  };
  // pagehide, not beforeunload: a control may ask before leaving (unsaved changes) and the user may stay.
  window.addEventListener("pagehide", () => control?.destroy());
}

function renderParameterTable(properties: ManifestProperty[], values: Map<string, string | number | null>): void {
  const table = document.getElementById("parameter-table");
  if (!table) return;
  table.innerHTML = "";
  for (const p of properties) {
    const tr = document.createElement("tr");
    const name = document.createElement("th");
    name.textContent = p.name;
    name.title = `${p.ofType} · ${p.usage}`;
    const value = document.createElement("td");
    const v = values.get(p.name);
    value.textContent = v === null || v === undefined ? "—" : String(v).slice(0, 200);
    tr.append(name, value);
    table.appendChild(tr);
  }
}

main().catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  const status = document.getElementById("host-status");
  if (status) {
    status.textContent = `dev host failed: ${message}`;
    status.className = "error";
  }
  log(message, "error");
  console.error(e);
});
