import { has } from './args';
import { BASES, type Scenario } from './ab-scenarios';
import type { RuleName } from './ab-rules';
import type { RuleSummary } from './ab-sim';

const pct = (x: number | null): string => (x === null ? '—' : (100 * x).toFixed(1));
const q = (xs: readonly number[]): string => xs.map((x) => (Number.isInteger(x) ? String(x) : x.toFixed(1))).join(' / ');

/** Today's rule and the new one, one row per scenario: the key numbers for the README and the docs. */
function keyRows(scenarios: readonly Scenario[], results: Map<string, Map<RuleName, RuleSummary>>): string {
  const md = has('markdown');
  const header = [
    'scenario',
    'correct% today → new',
    'wrong% win/prob today → new',
    'votes p50/p90 today → new',
    'clicks p50/p90 today → new',
    'dialogs/wk p50/p90 today → new',
    'A/A promoted% today → new',
  ];
  const rows = scenarios.map((s) => {
    const t = results.get(s.name)!.get('today')!;
    const n = results.get(s.name)!.get('new')!;
    const aa = t.correct === null;
    return [
      s.name,
      aa ? '—' : `${pct(t.correct)} → ${pct(n.correct)}`,
      `${pct(t.wrongDecided)}/${pct(t.wrongProbable)} → ${pct(n.wrongDecided)}/${pct(n.wrongProbable)}`,
      `${q(t.votes)} → ${q(n.votes)}`,
      `${q(t.clicks)} → ${q(n.clicks)}`,
      `${q(t.rounds)} → ${q(n.rounds)}`,
      aa ? `${pct(t.promotedNotBetter[0])} → ${pct(n.promotedNotBetter[1])}` : '',
    ];
  });
  if (md) return [header, header.map(() => '---'), ...rows].map((c) => `| ${c.join(' | ')} |`).join('\n');
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [header, ...rows].map(line).join('\n');
}

export function printTargets(scenarios: readonly Scenario[], results: Map<string, Map<RuleName, RuleSummary>>): void {
  console.log('\nkey rows: today (dirichlet, guard before issue 14) → new (joint, new guard)');
  console.log(keyRows(scenarios, results));
  const nw = (s: Scenario): RuleSummary => results.get(s.name)!.get('new')!;
  const td = (s: Scenario): RuleSummary => results.get(s.name)!.get('today')!;
  const errors = (r: RuleSummary): number => r.wrongDecided + r.wrongProbable;
  const inBase = (i: number): Scenario[] => scenarios.filter((s) => s.base === BASES[i].name);
  const check = (label: string, list: readonly Scenario[], test: (s: Scenario) => boolean, show: (s: Scenario) => string): void => {
    const failed = list.filter((s) => !test(s));
    console.log(`${failed.length === 0 ? 'met   ' : 'MISSED'}  ${label}: ${list.length - failed.length} of ${list.length} variants`);
    for (const s of list) console.log(`          ${test(s) ? ' ' : '✗'} ${s.name.slice(s.base.length + 3) || 'base'}: ${show(s)}`);
  };
  console.log('\ntargets (issue 14), for the new rule, per variant');
  check(
    '0.67/0.13/0.20: median ≤ 12 votes at ≥ 98% correct',
    inBase(0),
    (s) => nw(s).votes[0] <= 12 && nw(s).correct! >= 0.98,
    (s) => `median ${nw(s).votes[0]} (today ${td(s).votes[0]}), correct ${pct(nw(s).correct)}%`,
  );
  check(
    'A/A: confident false winners ≤ 3%',
    inBase(3),
    (s) => nw(s).wrongDecided <= 0.03,
    (s) => `${pct(nw(s).wrongDecided)}% (today ${pct(td(s).wrongDecided)}%)`,
  );
  check(
    'A/A: promotions of a prompt that is not better ≤ 2% (end to end)',
    inBase(3),
    (s) => nw(s).promotedNotBetter[1] <= 0.02,
    (s) => `${pct(nw(s).promotedNotBetter[1])}% (today's rule and guard ${pct(td(s).promotedNotBetter[0])}%)`,
  );
  check(
    'near tie: wrong winners ≤ 4%',
    inBase(2),
    (s) => nw(s).wrongDecided <= 0.04,
    (s) =>
      `${pct(nw(s).wrongDecided)}% (+ ${pct(nw(s).wrongProbable)}% probable; ` +
      `today ${pct(td(s).wrongDecided)}% + ${pct(td(s).wrongProbable)}%)`,
  );
  const wrongPrior = scenarios.filter((s) => s.prior === 'wrong');
  check(
    "wrong offline prior: wrong winners at most today's + 1 point",
    wrongPrior,
    (s) => nw(s).wrongDecided <= td(s).wrongDecided + 0.01,
    (s) => `${pct(nw(s).wrongDecided)}% vs today ${pct(td(s).wrongDecided)}%`,
  );
  check(
    "wrong offline prior: wrong winners + probable at most today's + 1 point",
    wrongPrior,
    (s) => errors(nw(s)) <= errors(td(s)) + 0.01,
    (s) => `${pct(errors(nw(s)))}% vs today ${pct(errors(td(s)))}%`,
  );
  check(
    '0.50/0.30/0.20: best arm chosen (winner or probable) in ≥ 80% within 50 votes',
    inBase(1),
    (s) => nw(s).correct! >= 0.8,
    (s) => `${pct(nw(s).correct)}% (today ${pct(td(s).correct)}%)`,
  );
}
