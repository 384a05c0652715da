/** Prints a markdown table with padded columns (what the README copies). */
export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const width = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${headers.map((_, c) => (cells[c] ?? '').padEnd(width[c])).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

export { median, quantile } from 'simple-statistics';
