/**
 * KML 2.2 export of a territory plan (OGC 07-147r2): one Style per territory (its colour), a Folder of territory
 * Placemarks with their Polygon / MultiGeometry outline, and a Folder with one Placemark per account (Point,
 * territory, rep, postal code in ExtendedData). Accounts without coordinates are still written — as Placemarks
 * without geometry (allowed by the schema) marked `placed = false` — so the account Placemarks always equal the
 * accounts and nothing is dropped silently.
 *
 * All text is XML-escaped; characters XML 1.0 forbids (control characters, lone surrogates) become U+FFFD.
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */
import type { MultiPolygon, Polygon, Position } from "geojson";

export interface KmlTerritory {
  name: string;
  /** "#rrggbb". */
  color: string;
  /** Rep display name or null. */
  rep: string | null;
  /** Outline (drawn or hull), or null when the territory has none. */
  geometry: Polygon | MultiPolygon | null;
}

export interface KmlAccounts {
  ids: readonly string[];
  names: readonly string[];
  /** Longitude / latitude in degrees; NaN or null when the account has no usable coordinates. */
  lon: ArrayLike<number | null>;
  lat: ArrayLike<number | null>;
  postalCodes?: readonly (string | null)[];
}

export interface KmlInput {
  /** Document name (the plan's name). */
  name: string;
  accounts: KmlAccounts;
  /** Territory index per account (-1 = unassigned). */
  assignment: ArrayLike<number>;
  territories: readonly KmlTerritory[];
  /** Labels written into the file (default English). */
  labels?: Partial<KmlLabels>;
}

export interface KmlLabels {
  territories: string;
  accounts: string;
  unassigned: string;
  territory: string;
  rep: string;
}

const DEFAULT_LABELS: KmlLabels = {
  territories: "Territories",
  accounts: "Accounts",
  unassigned: "Unassigned",
  territory: "Territory",
  rep: "Rep",
};
const UNASSIGNED_COLOR = "#8a8a8a";

/** XML text/attribute escaping; characters not allowed in XML 1.0 become U+FFFD. */
export function xmlEscape(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const ch = value[i];
    if (ch === "&") out += "&amp;";
    else if (ch === "<") out += "&lt;";
    else if (ch === ">") out += "&gt;";
    else if (ch === '"') out += "&quot;";
    else if (ch === "'") out += "&apos;";
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += ch + value[i + 1];
        i++;
      } else out += "\uFFFD";
    } else if ((c >= 0xdc00 && c <= 0xdfff) || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff)
      out += "\uFFFD";
    else out += ch;
  }
  return out;
}

/** "#rrggbb" → KML "aabbggrr". */
export function kmlColor(hex: string, alpha = 0xff): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  const [r, g, b] = m ? [m[1], m[2], m[3]] : ["8a", "8a", "8a"];
  return `${alpha.toString(16).padStart(2, "0")}${b}${g}${r}`.toLowerCase();
}

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e7) / 1e7);
}

function ringXml(ring: Position[]): string {
  const pts = ring.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (pts.length === 0) return "";
  const first = pts[0];
  const last = pts[pts.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) pts.push(first);
  return `<LinearRing><coordinates>${pts.map((p) => `${num(p[0])},${num(p[1])}`).join(" ")}</coordinates></LinearRing>`;
}

function polygonXml(rings: Position[][]): string {
  const [outer, ...holes] = rings;
  if (!outer || outer.length < 3) return "";
  return `<Polygon><outerBoundaryIs>${ringXml(outer)}</outerBoundaryIs>${holes
    .filter((h) => h.length >= 3)
    .map((h) => `<innerBoundaryIs>${ringXml(h)}</innerBoundaryIs>`)
    .join("")}</Polygon>`;
}

function geometryXml(g: Polygon | MultiPolygon): string {
  if (g.type === "Polygon") return polygonXml(g.coordinates);
  const parts = g.coordinates.map(polygonXml).filter((p) => p !== "");
  if (parts.length === 0) return "";
  return parts.length === 1 ? parts[0] : `<MultiGeometry>${parts.join("")}</MultiGeometry>`;
}

function data(name: string, value: string): string {
  return `<Data name="${xmlEscape(name)}"><value>${xmlEscape(value)}</value></Data>`;
}

/** The plan as a KML 2.2 document (UTF-8 text). */
export function planToKml(input: KmlInput): string {
  const labels = { ...DEFAULT_LABELS, ...input.labels };
  const { accounts, assignment, territories } = input;
  const parts: string[] = [];
  parts.push('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>');
  parts.push(`<name>${xmlEscape(input.name)}</name>`);
  const styleId = (t: number) => (t >= 0 && t < territories.length ? `t${t}` : "unassigned");
  territories.forEach((t, i) => {
    parts.push(
      `<Style id="t${i}"><IconStyle><color>${kmlColor(t.color)}</color><scale>0.6</scale></IconStyle>` +
        `<LineStyle><color>${kmlColor(t.color)}</color><width>2</width></LineStyle>` +
        `<PolyStyle><color>${kmlColor(t.color, 0x40)}</color></PolyStyle></Style>`,
    );
  });
  parts.push(`<Style id="unassigned"><IconStyle><color>${kmlColor(UNASSIGNED_COLOR)}</color><scale>0.6</scale></IconStyle></Style>`);

  parts.push(`<Folder><name>${xmlEscape(labels.territories)}</name>`);
  territories.forEach((t, i) => {
    const geom = t.geometry ? geometryXml(t.geometry) : "";
    parts.push(
      `<Placemark><name>${xmlEscape(t.name)}</name><styleUrl>#t${i}</styleUrl><ExtendedData>${data("territory", t.name)}${data("rep", t.rep ?? "")}</ExtendedData>${geom}</Placemark>`,
    );
  });
  parts.push("</Folder>");

  parts.push(`<Folder><name>${xmlEscape(labels.accounts)}</name>`);
  for (let i = 0; i < accounts.ids.length; i++) {
    const t = assignment[i];
    const territory = t >= 0 && t < territories.length ? territories[t] : null;
    const lon = accounts.lon[i];
    const lat = accounts.lat[i];
    const placed = typeof lon === "number" && typeof lat === "number" && Number.isFinite(lon) && Number.isFinite(lat);
    const territoryName = territory ? territory.name : labels.unassigned;
    const rep = territory?.rep ?? "";
    const description = `${labels.territory}: ${territoryName}${rep ? ` · ${labels.rep}: ${rep}` : ""}`;
    parts.push(
      `<Placemark id="a${i}"><name>${xmlEscape(accounts.names[i] || accounts.ids[i])}</name><description>${xmlEscape(description)}</description>` +
        `<styleUrl>#${styleId(t)}</styleUrl><ExtendedData>${data("accountId", accounts.ids[i])}${data("territory", territory ? territory.name : "")}` +
        `${data("rep", rep)}${data("postalCode", accounts.postalCodes?.[i] ?? "")}${data("placed", placed ? "true" : "false")}</ExtendedData>` +
        (placed ? `<Point><coordinates>${num(lon)},${num(lat)}</coordinates></Point>` : "") +
        "</Placemark>",
    );
  }
  parts.push("</Folder>\n</Document>\n</kml>\n");
  return parts.join("\n");
}
