/** Progress output goes to stderr so stdout carries only the report. */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Bytes as decimal megabytes (10^6), one decimal. */
export function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/** An integer with thousands separators. */
export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Renders rows as an aligned text table; numeric-looking cells are right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = /^[-+]?[\d,.]+( ?[a-zA-Z%/x]+)?$|^-$/;
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i > 0 && numeric.test(c) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
