import { callKind, type CallResult } from './calls';

/** One scenario's results over its trials. */
export interface ScenarioStats {
  id: string;
  title: string;
  trials: number;
  /** Trials with at least one violation of each kind. */
  broken: number;
  lost: number;
  duplicated: number;
  /** Trials with anything wrong: a violation of any kind or a failed call. */
  failedTrials: number;
  calls: number;
  failedCalls: number;
  refused: number;
  killed: number;
  /** Distinct findings (ids, numbers and details normalised away) with how often they occurred and one example. */
  findings: Map<string, { count: number; example: string }>;
}

export const emptyStats = (id: string, title: string): ScenarioStats => ({
  id,
  title,
  ...{ trials: 0, broken: 0, lost: 0, duplicated: 0, failedTrials: 0, calls: 0, failedCalls: 0, refused: 0, killed: 0 },
  findings: new Map(),
});

/** Ids, numbers, paths and parenthesised details normalised away, so one kind of finding counts as one. */
const findingKey = (text: string): string =>
  text
    .replace(/\s*\([^()]*\)/g, '')
    .replace(/\b(task|ses|var|ver|jrn|fp|ren|res|rnd)_[0-9a-f]+\b/g, '$1_…')
    .replace(/\/tmp\/\S+/g, '…')
    .replace(/\d+/g, 'N');

function bump(stats: ScenarioStats, text: string, key = findingKey(text)): void {
  const found = stats.findings.get(key);
  if (found) found.count += 1;
  else stats.findings.set(key, { count: 1, example: text });
}

export const noteViolation = (stats: ScenarioStats, kind: string, what: string): void => bump(stats, `${kind}: ${what}`);

/** A failed call, grouped by its command without arguments ("cli task record") and why it failed. */
export const noteFailedCall = (stats: ScenarioStats, call: CallResult, reason: string): void =>
  bump(stats, `failed call: ${call.label}: ${reason}`, findingKey(`failed call: ${callKind(call)}: ${reason}`));

const COLUMNS = ['trials', 'broken', 'lost', 'duplicated', 'failedCalls', 'calls', 'refused'] as const;

/** The bench's table (GitHub markdown): one row per scenario and a total. */
export function formatTable(rows: ScenarioStats[]): string {
  const header = ['scenario', 'trials', 'broken', 'lost', 'duplicated', 'failed calls', 'calls', 'clean refusals'];
  const body = rows.map((r) => [r.title, ...COLUMNS.map((k) => String(r[k]))]);
  const total = ['total', ...COLUMNS.map((k) => String(rows.reduce((n, r) => n + r[k], 0)))];
  const all = [header, ...body, total];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...body.map(line), line(total)].join('\n');
}
