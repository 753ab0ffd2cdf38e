/** Plain-text tables and figures for the terminal. */
import { formatNps } from '../domain/nps.js';
import type { ResultLine } from '../db/results-repo.js';

/** Left-aligned columns separated by two spaces. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const pct = (value: number | null) => (value === null ? 'n/a' : `${value}%`);

/** Result lines as a table a person can read. */
export function resultsTable(lines: ResultLine[], groupTitle: string): string {
  return table(
    [groupTitle, 'NPS', '±', 'promoters', 'passives', 'detractors', 'responses', 'delivered', 'response rate'],
    lines.map((l) => [
      l.label,
      formatNps(l.nps),
      l.marginOfError === null ? 'n/a' : String(l.marginOfError),
      String(l.promoters),
      String(l.passives),
      String(l.detractors),
      String(l.responses),
      String(l.delivered),
      pct(l.responseRate),
    ]),
  );
}
