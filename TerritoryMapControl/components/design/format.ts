/** Number formatting shared by the design components (user's locale). */
const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 2 });

export function formatMeasure(v: number): string {
  return whole.format(v);
}

export function formatPercent(v: number): string {
  return percent.format(v);
}

/** "1,234 accounts · revenue 5,600,000 · workload 45" style summary from a template per part. */
export function totalsSummary(count: number, measures: readonly number[], labels: readonly string[], countTemplate: string): string {
  const parts = [countTemplate.replace("{0}", whole.format(count))];
  measures.forEach((v, m) => parts.push(`${labels[m] ?? ""} ${whole.format(v)}`.trim()));
  return parts.join(" · ");
}
