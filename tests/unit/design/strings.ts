import { RESX_STRINGS } from "../../support/resx";

export { installResizeObserver } from "../../support/resx";

/** The real resx strings, so tests read like the UI; unknown keys fail loudly. */
export const getString = (key: string): string => {
  const v = RESX_STRINGS.get(key);
  if (v === undefined) throw new Error(`resx has no string "${key}"`);
  return v;
};
