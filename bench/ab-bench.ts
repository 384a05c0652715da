// `npm run bench:ab -- [--sessions 4000] [--seed tinyarms] [--confidence 0.97] [--probable 0.8] [--sweep]`
import { defaultDecisionSettings, type DecisionSettings } from '../main/engine/ab/decision';
import { probabilityBest, probabilityBestMonteCarlo } from '../main/engine/ab/dirichlet';
import { createRng } from '../main/engine/util/random';
import {
  bestArm,
  cachedPosterior,
  fixedChiSquareRule,
  oursRule,
  runScenario,
  scenarios,
  seedRule,
  type RuleSummary,
  type Scenario,
} from './ab-sim';
import { flag } from './args';

const sessions = Number(flag('sessions') ?? 4000);
const seed = flag('seed') ?? 'tinyarms';
const settings: DecisionSettings = {
  ...defaultDecisionSettings,
  decisionConfidence: Number(flag('confidence') ?? defaultDecisionSettings.decisionConfidence),
  probableConfidence: Number(flag('probable') ?? defaultDecisionSettings.probableConfidence),
};
if (!(Number.isInteger(sessions) && sessions > 0)) throw new Error('--sessions must be a positive integer');

const pct = (x: number | null): string => (x === null ? '—' : (100 * x).toFixed(1));

function table(rows: readonly RuleSummary[]): string {
  const header = ['rule', 'decided%', 'probable%', 'correct%', 'wrong%', 'wrong:dec%', 'wrong:prob%', 'votes p50', 'p90', 'rounds p50', 'p90'];
  const body = rows.map((r) => [
    r.rule,
    pct(r.decided),
    pct(r.probable),
    pct(r.correct),
    pct(r.wrongDecided + r.wrongProbable),
    pct(r.wrongDecided),
    pct(r.wrongProbable),
    String(r.votesMedian),
    String(r.votesP90),
    String(r.roundsMedian),
    String(r.roundsP90),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}

const describe = (s: Scenario): string => {
  const best = bestArm(s);
  const extras = [s.skip ? `${pct(s.skip)}% skips` : '', s.none ? `${pct(s.none)}% "none is good"` : ''].filter(Boolean);
  return `${s.name}  (shares ${s.shares.map((x) => x.toFixed(2)).join('/')}${extras.length ? ', ' + extras.join(', ') : ''}; best arm: ${best ?? 'none'})`;
};

const started = performance.now();
const s = settings;
console.log('tinyArms A/B benchmark');
console.log(`seed ${JSON.stringify(seed)}, ${sessions} sessions per scenario and rule`);
console.log(
  `ours: Dirichlet(1 + picks) P(best) ≥ ${s.decisionConfidence} at looks n = ${s.minVotes}, ${s.minVotes + s.lookEvery}, …, ${s.maxVotes};` +
    ` Miller boundary ${(2.25 * Math.sqrt(s.maxVotes)).toFixed(1)} votes from n = ${s.boundaryFromVote};` +
    ` at n = ${s.maxVotes}: probable winner if P(best) ≥ ${s.probableConfidence}`,
);
console.log('seed: independent Beta(s+1, f+1) per arm, Thompson "chosen", P(best) > 0.95 every 5 votes (exact, the limit of its Monte Carlo), highest mean at 50 (= probable)');
console.log('fixed: 50 votes, chi-square against equal shares at α = 0.05, unique leader wins');
console.log('rates are % of all sessions; wrong = a winner that is not the best arm (in A/A every winner is wrong)');

const examples = [
  [10, 2, 3],
  [13, 1, 3],
];
const rng = createRng(`${seed}|cross-check`);
const show = (p: number[]): string => p.map((x) => x.toFixed(4)).join(' ');
console.log(`\ncross-check  exact P(best)  ${examples.map((c) => `[${c}]: ${show(probabilityBest(c))}`).join('   ')}`);
console.log(`             MC, 100k draws ${examples.map((c) => `[${c}]: ${show(probabilityBestMonteCarlo(c, rng, 100_000))}`).join('   ')}`);

const posterior = cachedPosterior();
const strictProbable = { ...oursRule({ ...settings, probableConfidence: 0.9 }, posterior), name: 'ours, probable ≥ 0.90' };
const rules = [oursRule(settings, posterior), strictProbable, seedRule('as-written'), seedRule('all-unpicked-fail'), fixedChiSquareRule()];
const results = new Map<string, RuleSummary[]>();
for (const scenario of scenarios) {
  const rows = runScenario(scenario, rules, sessions, seed);
  results.set(scenario.name, rows);
  console.log(`\n${describe(scenario)}\n${table(rows)}`);
}

const ours = (name: string): RuleSummary => results.get(name)![0];
const check = (ok: boolean, text: string): string => `${ok ? 'met   ' : 'MISSED'}  ${text}`;
const main = ours(scenarios[0].name);
const aa = ours('A/A 1/3 each');
const tie = ours('0.40/0.35/0.25 near tie');
const seedAa = results.get('A/A 1/3 each')!.slice(2, 4);
const strict = (name: string): RuleSummary => results.get(name)![1];
// A "winner" is the rule's confident call (P(best) ≥ decision_confidence or the Miller boundary). A "probable
// winner" at the end of a test is a weaker label: it is promoted only if the arm's measured accuracy also
// beats the old prompt by min_accuracy_improvement, so it is reported beside the targets, not inside them.
console.log('\ntargets (ours; winners = confident calls, probable winners shown beside)');
console.log(check(main.correct! >= 0.97, `0.67/0.13/0.20 correct ≥ 97%: ${pct(main.correct)}%`));
console.log(check(main.votesMedian <= 20, `0.67/0.13/0.20 median ≤ 20 votes: ${main.votesMedian}`));
console.log(check(aa.wrongDecided <= 0.05, `A/A confident false winners ≤ 5%: ${pct(aa.wrongDecided)}% (probable: ${pct(aa.wrongProbable)}%)`));
console.log(check(tie.wrongDecided <= 0.04, `near-tie wrong winners ≤ 4%: ${pct(tie.wrongDecided)}% (wrong probable winners: ${pct(tie.wrongProbable)}% at probable ≥ ${settings.probableConfidence}, ${pct(strict('0.40/0.35/0.25 near tie').wrongProbable)}% at ≥ 0.90)`));
console.log(`seed A/A confident false winners (expected ≈ 24%): ${seedAa.map((r) => `${r.rule} ${pct(r.wrongDecided)}%`).join(', ')}`);

if (process.argv.includes('--sweep')) {
  console.log('\nsweep: ours with other thresholds (confidence / probable)');
  const variants: [number, number][] = [[0.97, 0.8], [0.97, 0.85], [0.97, 0.9], [0.98, 0.9], [0.99, 0.9]];
  const picked = [scenarios[0], scenarios[2], scenarios[3]];
  const rows: RuleSummary[] = [];
  for (const [decisionConfidence, probableConfidence] of variants) {
    const rule = oursRule({ ...settings, decisionConfidence, probableConfidence }, posterior);
    for (const scenario of picked) {
      const [row] = runScenario(scenario, [rule], sessions, seed);
      rows.push({ ...row, rule: `${decisionConfidence}/${probableConfidence} ${scenario.name}` });
    }
  }
  console.log(table(rows));
}

console.log(`\nelapsed ${((performance.now() - started) / 1000).toFixed(1)} s`);
