// jsdom (jest-environment-jsdom) lacks browser APIs the dialog relies on: TextEncoder/TextDecoder (drafts codec), ResizeObserver.
import { TextDecoder, TextEncoder } from "node:util";
const g = globalThis as unknown as Record<string, unknown>;
if (typeof g.TextDecoder === "undefined") g.TextDecoder = TextDecoder;
if (typeof g.TextEncoder === "undefined") g.TextEncoder = TextEncoder;
// Fluent's MessageBar observes its size (ResizeObserver, in every browser; not in jsdom): an observer that never fires.
if (typeof g.ResizeObserver === "undefined") {
  g.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}
