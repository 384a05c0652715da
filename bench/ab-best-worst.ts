import { armPosterior } from '../main/engine/ab/arm-posterior';
import { decide } from '../main/engine/ab/decision';
import { offlinePseudoVotes } from '../main/engine/ab/joint-model';
import { defaultAbSettings, shownArms, type AbSettings } from '../main/engine/ab/joint-rule';
import { createRng, sampleGamma } from '../main/engine/util/random';
import { type BASES, makeScenario } from './ab-scenarios';
import { runScenario, type SimRule } from './ab-sim';

/*
 * Best–worst voting, measured and not shipped: with three options the person marks the best and then the worst,
 * a full ranking for one more click. The ranking b > s > w adds the factor p_s / (p_s + p_w) to the likelihood,
 * which the Dirichlet does not absorb, so P(best) here is self-normalized importance sampling from
 * Dirichlet(α) with those factors as weights (4,000 draws, a fixed seed). "Best only" runs the same rule on the
 * same picks model (served outcomes left out of both), so the two rows differ only in the second click.
 */

const DRAWS = 4000;

function bestWorstPosterior(alpha: readonly number[], active: readonly number[], pairs: Map<string, number>): number[] {
  const k = alpha.length;
  if (![...pairs.keys()].some((key) => key.split('>').every((arm) => active.includes(Number(arm))))) {
    const plain = armPosterior(
      active.map((i) => ({ alpha: alpha[i], accepted: 0, rejected: 0 })),
      1,
    ).pBest;
    const out = new Array<number>(k).fill(0);
    active.forEach((arm, r) => (out[arm] = plain[r]));
    return out;
  }
  const rng = createRng('tinyarms:best-worst');
  const wins = new Array<number>(k).fill(0);
  const x = new Array<number>(k).fill(0);
  // Rankings between an arm that left and one still in say nothing about the arms still in the test.
  const list = [...pairs]
    .map(([key, n]) => ({ s: Number(key.split('>')[0]), w: Number(key.split('>')[1]), n }))
    .filter((p) => active.includes(p.s) && active.includes(p.w));
  const logs = new Float64Array(DRAWS);
  const best = new Int32Array(DRAWS);
  for (let d = 0; d < DRAWS; d++) {
    for (const i of active) x[i] = sampleGamma(rng, alpha[i]);
    let lw = 0;
    for (const p of list) lw += p.n * Math.log(x[p.s] / (x[p.s] + x[p.w]));
    logs[d] = lw;
    best[d] = active.reduce((b, i) => (x[i] > x[b] ? i : b), active[0]);
  }
  const top = logs.reduce((m, v) => Math.max(m, v), -Infinity);
  let total = 0;
  for (let d = 0; d < DRAWS; d++) {
    const w = Math.exp(logs[d] - top);
    total += w;
    wins[best[d]] += w;
  }
  return wins.map((w) => w / total);
}

export function bestWorstRule(settings: AbSettings, bestWorst: boolean): SimRule {
  return {
    name: bestWorst ? 'new, best–worst' : 'new, best only (same model)',
    bestWorst,
    start(ctx) {
      const k = ctx.k;
      const scores = ctx.fitness.map((f) => ({ picks: 0, served: 0, accepted: 0, fitness: f, fitnessSamples: ctx.fitnessSamples }));
      const offline = offlinePseudoVotes(scores, settings.model);
      const picks = new Array<number>(k).fill(0);
      const pairs = new Map<string, number>();
      let active = Array.from({ length: k }, (_, i) => i);
      let none = 0;
      let pBest: number[] | null = null;
      const alpha = (): number[] => picks.map((c, i) => settings.model.priorVotes + offline[i] + c);
      const current = (): number[] => (pBest ??= bestWorstPosterior(alpha(), active, pairs));
      return {
        shown: () => shownArms({ active, pBest: current() }, settings.dropBelow),
        serve: (rng) => active.reduce((b, i) => (sampleGamma(rng, alpha()[i]) > sampleGamma(rng, alpha()[b]) ? i : b), active[0]),
        served: () => undefined,
        vote: (a) => {
          active = active.filter((i) => a.shown.includes(i));
          if (a.best === null) none++;
          else picks[a.best]++;
          if (a.best !== null && a.second !== null) {
            const worst = a.shown.find((i) => i !== a.best && i !== a.second)!;
            const key = `${a.second}>${worst}`;
            pairs.set(key, (pairs.get(key) ?? 0) + 1);
          }
          pBest = null;
        },
        decide: () => {
          const p = current();
          const tally = { picks, none, skips: 0, elapsedDays: 0 };
          const d = decide(tally, { ...settings, boundaryFromVote: Infinity }, () => ({ pBest: p, expectedLoss: p.map(() => 0) }));
          if (d.kind === 'continue') return null;
          return { outcome: d.kind === 'winner' ? 'winner' : d.kind === 'probable_winner' ? 'probable' : 'none', arm: d.arm };
        },
      };
    },
  };
}

export async function runBestWorst(sessions: number, seed: string, bases: typeof BASES): Promise<void> {
  const pct = (x: number | null): string => (x === null ? '—' : (100 * x).toFixed(1));
  console.log(`\nbest–worst voting (served flat, prior flat; ${sessions} sessions; the worst is marked whenever three options show)`);
  console.log('scenario                    rule                           correct%  wrong% win/prob  votes p50/p90  clicks p50/p90');
  for (const base of bases) {
    const sc = makeScenario(base, 'flat', 'flat');
    for (const bw of [false, true]) {
      const [r] = runScenario(sc, [bestWorstRule(defaultAbSettings, bw)], sessions, seed);
      const q = (xs: number[]): string => xs.map((x) => (Number.isInteger(x) ? String(x) : x.toFixed(1))).join('/');
      const wrong = `${pct(r.wrongDecided)}/${pct(r.wrongProbable)}`;
      const cells = [pct(r.correct).padStart(8), wrong.padStart(16), q(r.votes).padStart(13), q(r.clicks).padStart(14)];
      console.log(`${base.name.padEnd(27)} ${r.rule.padEnd(30)} ${cells.join('  ')}`);
    }
  }
}
