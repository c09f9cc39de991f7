/** Formatting helpers for resx templates ("Loaded {0} of {1} accounts"). */

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** Formats a count with grouping separators in the user's locale (19412 → "19,412" in en-US). */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** Replaces {0}, {1}… in a resx template with the arguments (numbers are formatted as counts). */
export function formatTemplate(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    if (value === undefined) return match;
    return typeof value === "number" ? formatCount(value) : value;
  });
}
