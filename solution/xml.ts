/** Minimal XML writer (elements, attributes, escaped text) and a stable GUID helper for generated ids. */
import { createHash } from "node:crypto";

export interface XmlElement {
  name: string;
  attrs: Record<string, string | number | undefined>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;
type Child = XmlNode | null | undefined | false | Child[];

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function flatten(children: Child[], out: XmlNode[] = []): XmlNode[] {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) flatten(c, out);
    else out.push(c);
  }
  return out;
}

/** x('a', {href: 'b'}, 'text', x('b')) */
export function x(name: string, attrs: XmlElement["attrs"] | null = null, ...children: Child[]): XmlElement {
  return { name, attrs: attrs ?? {}, children: flatten(children) };
}

/** Element with a single text child (number/boolean rendered as is). */
export function t(name: string, value: string | number, attrs: XmlElement["attrs"] | null = null): XmlElement {
  return x(name, attrs, String(value));
}

function attrText(attrs: XmlElement["attrs"]): string {
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join("");
}

export function render(node: XmlNode, indent = ""): string {
  if (typeof node === "string") return indent + escapeXml(node);
  const open = `<${node.name}${attrText(node.attrs)}`;
  if (node.children.length === 0) return `${indent}${open} />`;
  if (node.children.length === 1 && typeof node.children[0] === "string") {
    return `${indent}${open}>${escapeXml(node.children[0])}</${node.name}>`;
  }
  const inner = node.children.map((c) => render(c, `${indent}  `)).join("\n");
  return `${indent}${open}>\n${inner}\n${indent}</${node.name}>`;
}

export function document(root: XmlElement): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${render(root)}\n`;
}

/** Deterministic GUID (name-based, SHA-1, RFC 4122 v5 layout) so generated components keep their ids across builds. */
export function stableGuid(key: string): string {
  const h = createHash("sha1").update(`territorymap/${key}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export const braces = (guid: string): string => `{${guid}}`;
