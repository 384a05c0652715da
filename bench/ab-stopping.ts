// `node bin/run-ts.mjs bench/ab-stopping.ts [--sessions 1000] [--seed tinyarms] [--only REGEX] [--grid 0.985,0.99]
//   [--set 'dropBelow=0.01,0.05;model.offlineWeight=0.05,0.1'] [--favourite 0.95,0.05]`
// The joint rule's winning threshold (decision_confidence) for every other setting at once: each session runs to
// the end without stopping and keeps its P(best) after every vote, so "a winner at the first look with
// P(best) ≥ c" is read off for every c on the same sessions. Which arms a round shows and which arm serves do not
// depend on c, so a session stopped at that look is exactly the session the rule with threshold c would run.
// --favourite c',m tries a rule that is not built: the arm the offline prior favours (its pseudo-votes lead the
// runner-up's by at least m of their total) wins already at P(best) ≥ c'.
import { jointPosterior, type JointEvidence, type JointModelSettings, type JointPosterior } from '../main/engine/ab/joint-model';
import { defaultAbSettings, type AbSettings } from '../main/engine/ab/joint-rule';
import { createRng } from '../main/engine/util/random';
import { quantileSorted } from 'simple-statistics';
import { jointRule } from './ab-rules';
import { allScenarios, bestArm, type Scenario } from './ab-scenarios';
import { runSession } from './ab-sim';
import { flag } from './args';

/** The leader and its P(best) after each counted vote (index = votes), and the number of votes at the end. */
export interface Trajectory {
  top: number[];
  leader: number[];
  votes: number;
  /** The offline pseudo-votes per arm. */
  offline: number[];
}

/** A lower winning threshold for the arm the offline prior favours by at least `margin` of its pseudo-votes. */
export interface Favourite {
  confidence: number;
  margin: number;
}

function favouriteOf(t: Trajectory, margin: number): number | null {
  const order = t.offline.map((_, i) => i).sort((a, b) => t.offline[b] - t.offline[a]);
  const total = t.offline.reduce((sum, x) => sum + x, 0);
  return total > 0 && (t.offline[order[0]] - t.offline[order[1]]) / total >= margin ? order[0] : null;
}

export function trajectories(sc: Scenario, n: number, runSeed: string, settings: AbSettings): Trajectory[] {
  let path: Trajectory = { top: [], leader: [], votes: 0, offline: [] };
  const capture = (e: JointEvidence, m: JointModelSettings): JointPosterior => {
    const p = jointPosterior(e, m);
    const votes = e.arms.reduce((t, a) => t + a.picks, 0) + ((e as { none?: number }).none ?? 0);
    const order = p.pBest.map((_, i) => i).sort((a, b) => p.pBest[b] - p.pBest[a] || a - b);
    // A tie in P(best) never wins.
    path.top[votes] = p.pBest[order[0]] - p.pBest[order[1]] < 1e-9 ? 0 : p.pBest[order[0]];
    path.leader[votes] = order[0];
    path.offline = [...p.offlineVotes];
    return p;
  };
  const rule = jointRule({ ...settings, decisionConfidence: 1, probableConfidence: 1 }, { posterior: capture });
  const rng = createRng(`${runSeed}|${sc.name}|new (joint)`);
  return Array.from({ length: n }, () => {
    path = { top: [], leader: [], votes: 0, offline: [] };
    path.votes = runSession(sc, rule, rng).votes;
    return path;
  });
}

/** Where a session with winning threshold c stops: the first look with P(best) ≥ c, else the end. */
export function stopAt(t: Trajectory, c: number, s: AbSettings, favourite?: Favourite): { votes: number; winner: number | null } {
  const fav = favourite ? favouriteOf(t, favourite.margin) : null;
  for (let n = s.minVotes; n <= t.votes; n++) {
    const threshold = fav !== null && t.leader[n] === fav ? favourite!.confidence : c;
    if ((n - s.minVotes) % s.lookEvery === 0 && (t.top[n] ?? 0) >= threshold) return { votes: n, winner: t.leader[n] };
  }
  return { votes: t.votes, winner: null };
}

function settingsGrid(spec: string): AbSettings[] {
  let out: AbSettings[] = [defaultAbSettings];
  for (const part of spec.split(';').filter(Boolean)) {
    const [key, values] = part.split('=');
    out = out.flatMap((s) =>
      values.split(',').map((v) => {
        if (key.startsWith('model.')) return { ...s, model: { ...s.model, [key.slice(6)]: Number(v) } };
        return { ...s, [key]: Number(v) };
      }),
    );
  }
  return out;
}

if (process.argv[1]?.endsWith('ab-stopping.ts')) {
  const sessions = Number(flag('sessions') ?? 1000);
  const seed = flag('seed') ?? 'tinyarms';
  const only = new RegExp(flag('only') ?? '^(0\\.67.*served agree, prior right$|A/A.*served flat, prior (flat|wrong)$)');
  const grid = (flag('grid') ?? '0.985,0.99,0.993,0.995').split(',').map(Number);
  const picked = allScenarios().filter((s) => only.test(s.name));
  const favFlag = flag('favourite')?.split(',').map(Number);
  const favourite = favFlag ? { confidence: favFlag[0], margin: favFlag[1] ?? 0 } : undefined;
  if (favourite) console.log(`the prior's favourite wins at P(best) ≥ ${favourite.confidence} (margin ${favourite.margin})`);
  const columns = 'winners % (right, wrong), median votes, right by vote 12; A/A: false winners %';
  console.log(`seed ${JSON.stringify(seed)}, ${sessions} sessions per scenario: ${columns}`);
  for (const settings of settingsGrid(flag('set') ?? '')) {
    const runs = picked.map((sc) => ({ sc, paths: trajectories(sc, sessions, seed, settings) }));
    const { dropBelow, minVotes, model } = settings;
    const changed = `dropBelow ${dropBelow}, minVotes ${minVotes}, offlineWeight ${model.offlineWeight}, servedSlope ${model.servedSlope}`;
    console.log(`\n${changed}`);
    for (const c of grid) {
      const cells = runs.map(({ sc, paths }) => {
        const ends = paths.map((t) => stopAt(t, c, settings, favourite));
        const best = bestArm(sc.shares);
        const rate = (test: (e: { winner: number | null; votes: number }) => boolean): string =>
          ((100 * ends.filter(test).length) / ends.length).toFixed(1);
        if (best === null) return `false ${rate((e) => e.winner !== null)}`;
        const votes = ends.map((e) => e.votes).sort((a, b) => a - b);
        const right = (e: { winner: number | null }): boolean => e.winner === best;
        const by12 = rate((e) => right(e) && e.votes <= 12);
        return `winner ${rate(right)} wrong ${rate((e) => e.winner !== null && !right(e))} p50 ${quantileSorted(votes, 0.5)} by 12 ${by12}`;
      });
      console.log(`  c ${c}: ${cells.join(' | ')}`);
    }
  }
}
