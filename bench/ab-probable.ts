// `node bin/run-ts.mjs bench/ab-probable.ts [--sessions 1000] [--seed tinyarms] [--only REGEX] [--offline-weight W]
//   [--drop-below D] [--decision-confidence C] [--grid 0.7,0.75,0.8] [--json FILE] [--from FILE,FILE]`
// The end-of-test "probable winner" threshold against the targets it trades between. The label changes nothing
// before a test ends, so one seeded run per scenario keeps each session's final posterior, and every candidate
// threshold is scored on the same sessions (--json keeps them, --from scores kept ones again).
import { readFileSync, writeFileSync } from 'node:fs';
import { jointPosterior, type JointEvidence, type JointModelSettings, type JointPosterior } from '../main/engine/ab/joint-model';
import { defaultAbSettings, type AbSettings } from '../main/engine/ab/joint-rule';
import { createRng } from '../main/engine/util/random';
import { jointRule } from './ab-rules';
import { allScenarios, bestArm, type Scenario } from './ab-scenarios';
import { runSession } from './ab-sim';
import { flag } from './args';

/** A finished session: a confident winner or none, and the P(best) of the posterior it ended on. */
export interface EndState {
  winner: number | null;
  votes: number;
  pBest: number[];
}

type Kept = Record<string, { best: number | null; states: EndState[] }>;

export function endStates(sc: Scenario, n: number, runSeed: string, settings: AbSettings = defaultAbSettings): EndState[] {
  let last: JointPosterior | null = null;
  const capture = (e: JointEvidence, m: JointModelSettings): JointPosterior => (last = jointPosterior(e, m));
  // probable_confidence 1: the test ends exactly as under any threshold, and never with a probable label.
  const rule = jointRule({ ...settings, probableConfidence: 1 }, { posterior: capture });
  const rng = createRng(`${runSeed}|${sc.name}|new (joint)`);
  return Array.from({ length: n }, () => {
    last = null;
    const r = runSession(sc, rule, rng);
    const p = last as JointPosterior | null;
    return { winner: r.outcome === 'winner' ? r.arm : null, votes: r.votes, pBest: p ? [...p.pBest] : [] };
  });
}

/** The arm a session ends with when probable winners need P(best) ≥ c (decide()'s rule: no tie, min_votes met). */
export function endArm(s: EndState, c: number, minVotes = defaultAbSettings.minVotes): number | null {
  if (s.winner !== null) return s.winner;
  if (s.votes < minVotes || s.pBest.length === 0) return null;
  const order = s.pBest.map((_, i) => i).sort((a, b) => s.pBest[b] - s.pBest[a] || a - b);
  const top = s.pBest[order[0]];
  return top - s.pBest[order[1]] >= 1e-9 && top >= c ? order[0] : null;
}

const pct = (x: number): string => (100 * x).toFixed(1);

/** One row per threshold: the 0.50/0.30/0.20 target (worst variant) beside the wrong-prior error rates it trades with. */
export function printThresholds(kept: Kept, grid: readonly number[]): void {
  const names = Object.keys(kept);
  const rate = (name: string, c: number, test: (arm: number | null, best: number | null) => boolean): number => {
    const { best, states } = kept[name];
    return states.filter((s) => test(endArm(s, c), best)).length / states.length;
  };
  const wrong = (arm: number | null, best: number | null): boolean => arm !== null && arm !== best;
  const group = (re: RegExp): string[] => names.filter((n) => re.test(n));
  const fifty = group(/^0\.50/);
  const columns: [string, string[]][] = [
    ['0.50 prior wrong: wrong+prob % agree/flat/disagree', group(/^0\.50.*prior wrong$/)],
    ['near tie prior wrong: wrong+prob % agree/flat/disagree', group(/^0\.40.*prior wrong$/)],
    ['A/A prior wrong / flat / skips / none: prob+wrong %', [...group(/^A\/A.*prior wrong$/), ...group(/^A\/A.*prior flat/)]],
  ];
  const header = ['probable_confidence', `0.50/0.30/0.20 best chosen %, worst of ${fifty.length}`, ...columns.map(([h]) => h)];
  console.log(`\n| ${header.join(' | ')} |`);
  console.log(`|${' --- |'.repeat(2 + columns.length)}`);
  for (const c of grid) {
    const worst = fifty.length ? Math.min(...fifty.map((n) => rate(n, c, (arm, best) => arm === best))) : Number.NaN;
    const cells = columns.map(([, group]) => group.map((n) => pct(rate(n, c, wrong))).join(' / ') || '—');
    console.log(`| ${c} | ${pct(worst)} | ${cells.join(' | ')} |`);
  }
}

if (process.argv[1]?.endsWith('ab-probable.ts')) {
  const grid = (flag('grid') ?? '0.7,0.72,0.75,0.78,0.8,0.85').split(',').map(Number);
  const from = flag('from');
  let kept: Kept = {};
  if (from) {
    for (const file of from.split(',')) kept = { ...kept, ...(JSON.parse(readFileSync(file, 'utf8')) as Kept) };
  } else {
    const sessions = Number(flag('sessions') ?? 1000);
    const seed = flag('seed') ?? 'tinyarms';
    const only = new RegExp(flag('only') ?? '^(0\\.50|0\\.40|A/A)');
    const offlineWeight = Number(flag('offline-weight') ?? defaultAbSettings.model.offlineWeight);
    const dropBelow = Number(flag('drop-below') ?? defaultAbSettings.dropBelow);
    const decisionConfidence = Number(flag('decision-confidence') ?? defaultAbSettings.decisionConfidence);
    const model = { ...defaultAbSettings.model, offlineWeight };
    const settings: AbSettings = { ...defaultAbSettings, dropBelow, decisionConfidence, model };
    const shown = `offline_weight ${offlineWeight}, drop_below ${dropBelow}, decision_confidence ${decisionConfidence}`;
    console.log(`seed ${JSON.stringify(seed)}, ${sessions} sessions per scenario, ${shown}`);
    for (const sc of allScenarios().filter((s) => only.test(s.name))) {
      kept[sc.name] = { best: bestArm(sc.shares), states: endStates(sc, sessions, seed, settings) };
    }
    const file = flag('json');
    if (file) writeFileSync(file, JSON.stringify(kept));
  }
  printThresholds(kept, grid);
}
