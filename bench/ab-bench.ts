// `npm run bench:ab -- [--sessions 4000] [--seed tinyarms] [--only REGEX] [--workers 2] [--guard W,P] [--calibrate] [--best-worst]
//   [--bound] [--markdown]`
import { defaultAbSettings, type AbSettings } from '../main/engine/ab/joint-rule';
import { allScenarios, BASES, type Scenario } from './ab-scenarios';
import { flag, has } from './args';
import { RULE_LABELS, RULES, type RuleName } from './ab-rules';
import { runJobs } from './ab-pool';
import { newGuard, SHOW_PROBABILITY, type RuleSummary } from './ab-sim';
import { printTargets } from './ab-targets';
import { runBestWorst } from './ab-best-worst';
import { runCalibration } from './ab-calibrate';
import { printBound } from './ab-bound';

const sessions = Number(flag('sessions') ?? 4000);
const seed = flag('seed') ?? 'tinyarms';
const workers = Number(flag('workers') ?? 2);
const only = new RegExp(flag('only') ?? '.');
const guardFlag = flag('guard');
const guard = guardFlag === undefined ? undefined : (guardFlag.split(',').map(Number) as [number, number]);
if (guard !== undefined && !(guard.length === 2 && guard.every((g) => g >= 0 && g <= 1))) {
  throw new Error('--guard takes two confidences in [0, 1]: winner,probable (e.g. 0.95,0.975)');
}
if (!(Number.isInteger(sessions) && sessions > 0)) throw new Error('--sessions must be a positive integer');
if (!(Number.isInteger(workers) && workers >= 0)) throw new Error('--workers must be an integer >= 0');

export const pct = (x: number | null): string => (x === null ? '—' : (100 * x).toFixed(1));
const q = (xs: readonly number[]): string => xs.map((x) => (Number.isInteger(x) ? String(x) : x.toFixed(1))).join(' / ');

export function table(rows: readonly { label: string; r: RuleSummary }[], markdown = false): string {
  const header = [
    'rule',
    'winner%',
    'probable%',
    'correct%',
    'wrong% win / prob',
    'votes p50 / p90',
    'clicks p50 / p90',
    'dialogs p50 / p90',
    'promoted best% before / new guard',
    'promoted not-better% before / new guard',
  ];
  const body = rows.map(({ label, r }) => [
    label,
    pct(r.decided),
    pct(r.probable),
    pct(r.correct),
    `${pct(r.wrongDecided)} / ${pct(r.wrongProbable)}`,
    q(r.votes),
    q(r.clicks),
    q(r.rounds),
    r.promotedBest ? `${pct(r.promotedBest[0])} / ${pct(r.promotedBest[1])}` : '—',
    `${pct(r.promotedNotBetter[0])} / ${pct(r.promotedNotBetter[1])}`,
  ]);
  if (markdown) return [header, header.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}

const fixed = (xs: readonly number[]): string => xs.map((x) => x.toFixed(2)).join('/');
const describe = (s: Scenario): string =>
  `${s.name}  (acceptance ${fixed(s.acceptance)} vs old ${s.baseAcceptance.toFixed(2)}; ` +
  `offline fitness ${fixed(s.fitness)} on ${s.fitnessSamples})`;

async function main(): Promise<void> {
  const started = performance.now();
  const settings: AbSettings = defaultAbSettings;
  console.log('tinyArms A/B benchmark');
  console.log(`seed ${JSON.stringify(seed)}, ${sessions} sessions per scenario and rule, ${workers} worker thread(s)`);
  console.log(`tasks: ${SHOW_PROBABILITY * 100}% vote rounds (dialogs), the rest served by one arm`);
  console.log('dialogs per test = dialogs per week at one test per skill per week (the cooldown)');
  console.log(`new: ${JSON.stringify({ ...settings, model: undefined })} model ${JSON.stringify(settings.model)}`);
  const g = guard ? { ...newGuard, confidence: guard[0], probableConfidence: guard[1] } : newGuard;
  console.log(
    `guards: before = ≥ ${g.minServed} served and +${g.minImprovement * 100}% accuracy; ` +
      `new = also P(acceptance > old) ≥ ${g.confidence} (probable winners ${g.probableConfidence})`,
  );
  console.log('rates are % of all sessions; wrong = a winner that is not the best arm (every winner in A/A); probable = end-of-test label');

  if (has('calibrate')) return runCalibration(sessions, seed, workers);
  if (has('bound')) return printBound(BASES[0].shares);

  const scenarios = allScenarios();
  const picked = scenarios.map((s, i) => ({ s, i })).filter(({ s }) => only.test(s.name));
  const jobs = picked.flatMap(({ i }) => RULES.map((rule) => ({ scenario: i, rule, sessions, seed, guard })));
  let last = 0;
  const summaries = await runJobs(jobs, workers, (done) => {
    const now = Math.floor((100 * done) / jobs.length);
    if (now >= last + 10) process.stderr.write(`  ${(last = now)}% of jobs\n`);
  });
  const byScenario = new Map<string, Map<RuleName, RuleSummary>>();
  jobs.forEach((job, n) => {
    const name = scenarios[job.scenario].name;
    if (!byScenario.has(name)) byScenario.set(name, new Map());
    byScenario.get(name)!.set(job.rule, summaries[n]);
  });
  for (const { s } of picked) {
    const rows = RULES.map((rule) => ({ label: RULE_LABELS[rule], r: byScenario.get(s.name)!.get(rule)! }));
    console.log(`\n${describe(s)}\n${table(rows, has('markdown'))}`);
  }
  if (picked.length === scenarios.length) printTargets(scenarios, byScenario);
  if (has('best-worst')) await runBestWorst(sessions, seed, BASES);
  console.log(`\nelapsed ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
