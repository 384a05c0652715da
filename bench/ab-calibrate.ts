import { defaultAbSettings, type AbSettings } from '../main/engine/ab/joint-rule';
import { allScenarios } from './ab-scenarios';
import { flag } from './args';
import { runJobs } from './ab-pool';
import type { RuleSummary } from './ab-sim';

const pct = (x: number | null): string => (x === null ? '—' : (100 * x).toFixed(1));

/**
 * `--calibrate`: the joint rule's winning threshold against the error rates it must keep. Every-vote looks
 * make P(best) ≥ c stop falsely more often than a single look would; the default is the smallest c whose A/A
 * false-winner rate stays at or below --alpha (3%) in every A/A variant, read off this seeded simulation.
 */
export async function runCalibration(sessions: number, seed: string, workers: number): Promise<void> {
  const alpha = Number(flag('alpha') ?? 0.03);
  const grid = (flag('grid') ?? '0.975,0.98,0.985,0.99,0.995').split(',').map(Number);
  const scenarios = allScenarios();
  const picked = scenarios
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.served === 'flat' && (s.prior === 'flat' || s.prior === 'wrong') && !s.none && !s.skip);
  const jobs = grid.flatMap((c) => {
    const settings: AbSettings = { ...defaultAbSettings, decisionConfidence: c };
    return picked.map(({ i }) => ({ scenario: i, rule: 'new' as const, sessions, seed, settings }));
  });
  const results = await runJobs(jobs, workers);
  console.log(`\ncalibration of decision_confidence (every vote from min_votes ${defaultAbSettings.minVotes}), ${sessions} sessions each`);
  const short = (name: string): string =>
    name
      .replace(' · served flat, prior ', ':')
      .replace(/\/0\.\d\d\/0\.20/, '')
      .replace('0.40/0.35/0.25 near tie', 'tie')
      .replace('A/A 1/3 each', 'A/A');
  const header = ['c', ...picked.map(({ s }) => short(s.name))];
  console.log(header.join(' | '));
  let chosen: number | null = null;
  grid.forEach((c, g) => {
    const rows: RuleSummary[] = picked.map((_, p) => results[g * picked.length + p]);
    const cells = rows.map((r) =>
      r.correct === null ? `false ${pct(r.wrongDecided)}%` : `ok ${pct(r.correct)}% wrong ${pct(r.wrongDecided)}% p50 ${r.votes[0]}`,
    );
    console.log([String(c), ...cells].join(' | '));
    const aaFlat = rows.filter((r, p) => r.correct === null && picked[p].s.prior === 'flat');
    if (chosen === null && aaFlat.every((r) => r.wrongDecided <= alpha)) chosen = c;
  });
  console.log(`smallest c with A/A (prior flat) false winners ≤ ${pct(alpha)}%: ${chosen ?? 'none in the grid'}`);
}
