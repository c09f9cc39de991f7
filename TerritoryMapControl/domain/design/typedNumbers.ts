/** Numbers and positions as a manager types them into a form, parsed. */

/** A typed number: null when empty, NaN when it is not a number. */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (t === "") return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : Number.NaN;
}

/** Typed latitude / longitude texts → [longitude, latitude], or null when either is empty, not a number or out of range. */
export function parseTypedPoint(latText: string, lonText: string): [number, number] | null {
  if (latText.trim() === "" || lonText.trim() === "") return null;
  const lat = Number(latText);
  const lon = Number(lonText);
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? [lon, lat] : null;
}
