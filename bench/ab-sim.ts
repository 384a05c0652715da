import { decide, defaultDecisionSettings, type DecisionSettings, type PosteriorFn } from '../main/engine/ab/decision';
import { integrateVector, logGamma, posteriorSummary, regularizedGammaP, type PosteriorSummary } from '../main/engine/ab/dirichlet';
import { createRng, pickWeighted, sampleBeta, type Rng } from '../main/engine/util/random';

/** True behaviour of simulated users: pick shares over the arms, then the share of "none" and of skips. */
export interface Scenario {
  name: string;
  shares: readonly number[];
  none?: number;
  skip?: number;
}

export const scenarios: readonly Scenario[] = [
  { name: '0.67/0.13/0.20', shares: [0.67, 0.13, 0.2] },
  { name: '0.50/0.30/0.20', shares: [0.5, 0.3, 0.2] },
  { name: '0.40/0.35/0.25 near tie', shares: [0.4, 0.35, 0.25] },
  { name: 'A/A 1/3 each', shares: [1 / 3, 1 / 3, 1 / 3] },
  { name: '0.67/0.13/0.20 + 20% skips', shares: [0.67, 0.13, 0.2], skip: 0.2 },
  { name: '0.67/0.13/0.20 + 10% none', shares: [0.67, 0.13, 0.2], none: 0.1 },
];

/** The truly best arm, or null when the top share is tied (A/A). */
export function bestArm(scenario: Scenario): number | null {
  const top = Math.max(...scenario.shares);
  const leaders = scenario.shares.flatMap((s, i) => (s === top ? [i] : []));
  return leaders.length === 1 ? leaders[0] : null;
}

const SKIP = -2;
const NONE = -1;

/** One round shown to the user: an arm index, NONE or SKIP. */
export function nextVote(scenario: Scenario, rng: Rng): number {
  if (scenario.skip && rng.next() < scenario.skip) return SKIP;
  if (scenario.none && rng.next() < scenario.none) return NONE;
  return pickWeighted(rng, scenario.shares.map((weight, value) => ({ value, weight })));
}

export type Outcome = 'winner' | 'probable' | 'none';

export interface SessionResult {
  outcome: Outcome;
  arm: number | null;
  votes: number;
  rounds: number;
}

export interface Rule {
  name: string;
  run(scenario: Scenario, rng: Rng): SessionResult;
}

/** P(best) depends on the picks only up to order, so one quadrature per sorted count vector serves every session. */
export function cachedPosterior(compute: PosteriorFn = posteriorSummary): PosteriorFn {
  const cache = new Map<string, PosteriorSummary>();
  return (picks) => {
    const order = picks.map((_, i) => i).sort((a, b) => picks[a] - picks[b]);
    const key = order.map((i) => picks[i]).join(',');
    let sorted = cache.get(key);
    if (!sorted) {
      sorted = compute(order.map((i) => picks[i]));
      cache.set(key, sorted);
    }
    const pBest = new Array<number>(picks.length);
    const expectedLoss = new Array<number>(picks.length);
    order.forEach((arm, rank) => {
      pBest[arm] = sorted.pBest[rank];
      expectedLoss[arm] = sorted.expectedLoss[rank];
    });
    return { pBest, expectedLoss };
  };
}

/** Rule 1: `decide` after every counted vote (the sim never runs out of days). */
export function oursRule(settings: DecisionSettings = defaultDecisionSettings, posterior: PosteriorFn = cachedPosterior()): Rule {
  return {
    name: 'ours',
    run(scenario, rng) {
      const picks = scenario.shares.map(() => 0);
      let none = 0;
      let skips = 0;
      for (;;) {
        const vote = nextVote(scenario, rng);
        if (vote === SKIP) {
          skips++;
          continue;
        }
        if (vote === NONE) none++;
        else picks[vote]++;
        const d = decide({ picks, none, skips, elapsedDays: 0 }, settings, posterior);
        if (d.kind === 'continue') continue;
        const outcome: Outcome = d.kind === 'winner' ? 'winner' : d.kind === 'probable_winner' ? 'probable' : 'none';
        return { outcome, arm: d.arm, votes: d.votes, rounds: d.votes + skips };
      }
    },
  };
}

/** Regularized incomplete beta I_x(a, b) (Numerical Recipes' continued fraction). */
export function betaCdf(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - (front * betaFraction(1 - x, b, a)) / b;
  return (front * betaFraction(x, a, b)) / a;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m < 10_000; m++) {
    for (const num of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** P(variant best) over independent Beta(s + 1, f + 1) posteriors: the limit of the seed's Monte Carlo. */
export function independentBetaPBest(s: readonly number[], f: readonly number[]): number[] {
  const k = s.length;
  const a = s.map((x) => x + 1);
  const b = f.map((x) => x + 1);
  const logNorm = a.map((ai, i) => logGamma(ai + b[i]) - logGamma(ai) - logGamma(b[i]));
  const integrand = (x: number): Float64Array => {
    const cdf = a.map((ai, i) => betaCdf(x, ai, b[i]));
    const out = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let v = Math.exp(logNorm[i] + (a[i] - 1) * Math.log(x) + (b[i] - 1) * Math.log(1 - x));
      for (let j = 0; j < k; j++) if (j !== i) v *= cdf[j];
      out[i] = v;
    }
    return out;
  };
  const raw = integrateVector(integrand, k, 0, 1, new Array<number>(k).fill(1), 1e-9);
  const mass = raw.reduce((t, p) => t + p, 0);
  return raw.map((p) => p / mass);
}

/**
 * Rule 2, the seed's: a Beta(s + 1, f + 1) per variant; each vote Thompson-draws a "chosen" variant and
 * scores the user's pick against it. "None is good" (not specified by the seed) fails every variant.
 * `as-written` follows the seed's pseudo-code (a pick of the chosen variant fails nobody);
 * `all-unpicked-fail` follows its worked example, where every variant not picked gets a failure.
 */
export type SeedUpdate = 'as-written' | 'all-unpicked-fail';

export function seedRule(update: SeedUpdate = 'as-written', checkEvery = 5, threshold = 0.95, maxVotes = 50): Rule {
  const cache = new Map<string, number[]>();
  const pBest = (s: number[], f: number[]): number[] => {
    const key = `${s}|${f}`;
    let p = cache.get(key);
    if (!p) {
      p = independentBetaPBest(s, f);
      cache.set(key, p);
    }
    return p;
  };
  return {
    name: update === 'as-written' ? 'seed, as written' : 'seed, all unpicked fail',
    run(scenario, rng) {
      const k = scenario.shares.length;
      const s = new Array<number>(k).fill(0);
      const f = new Array<number>(k).fill(0);
      let votes = 0;
      let rounds = 0;
      for (;;) {
        rounds++;
        const vote = nextVote(scenario, rng);
        if (vote === SKIP) continue;
        votes++;
        const theta = s.map((si, i) => sampleBeta(rng, si + 1, f[i] + 1));
        const chosen = theta.indexOf(Math.max(...theta));
        if (vote === NONE) for (let i = 0; i < k; i++) f[i]++;
        else if (vote === chosen && update === 'as-written') s[chosen]++;
        else for (let i = 0; i < k; i++) (i === vote ? s : f)[i]++;
        if (votes % checkEvery === 0) {
          const p = pBest(s, f);
          const top = Math.max(...p);
          if (top > threshold) return { outcome: 'winner', arm: p.indexOf(top), votes, rounds };
        }
        if (votes >= maxVotes) {
          const means = s.map((si, i) => (si + 1) / (si + f[i] + 2));
          return { outcome: 'probable', arm: means.indexOf(Math.max(...means)), votes, rounds };
        }
      }
    },
  };
}

/** Rule 3: a fixed-horizon test; chi-square goodness of fit of the picks against equal shares. */
export function fixedChiSquareRule(votesPlanned = 50, alpha = 0.05): Rule {
  return {
    name: `fixed ${votesPlanned} + chi-square`,
    run(scenario, rng) {
      const picks = scenario.shares.map(() => 0);
      let votes = 0;
      let rounds = 0;
      while (votes < votesPlanned) {
        rounds++;
        const vote = nextVote(scenario, rng);
        if (vote === SKIP) continue;
        votes++;
        if (vote !== NONE) picks[vote]++;
      }
      const total = picks.reduce((t, c) => t + c, 0);
      const expected = total / picks.length;
      const stat = picks.reduce((t, c) => t + (c - expected) ** 2 / expected, 0);
      const pValue = total > 0 ? 1 - regularizedGammaP((picks.length - 1) / 2, stat / 2) : 1;
      const top = Math.max(...picks);
      const unique = picks.filter((c) => c === top).length === 1;
      if (pValue < alpha && unique) return { outcome: 'winner', arm: picks.indexOf(top), votes, rounds };
      return { outcome: 'none', arm: null, votes, rounds };
    },
  };
}

export interface RuleSummary {
  rule: string;
  sessions: number;
  decided: number;
  probable: number;
  correct: number | null;
  wrongDecided: number;
  wrongProbable: number;
  votesMedian: number;
  votesP90: number;
  roundsMedian: number;
  roundsP90: number;
}

const quantile = (sorted: number[], q: number): number => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];

/** Rates are fractions of all sessions; a winner is wrong when it is not the best arm (any winner in A/A). */
export function summarize(rule: string, results: readonly SessionResult[], best: number | null): RuleSummary {
  const n = results.length;
  const rate = (test: (r: SessionResult) => boolean): number => results.filter(test).length / n;
  const wrong = (r: SessionResult): boolean => r.arm !== null && r.arm !== best;
  const votes = results.map((r) => r.votes).sort((a, b) => a - b);
  const rounds = results.map((r) => r.rounds).sort((a, b) => a - b);
  return {
    rule,
    sessions: n,
    decided: rate((r) => r.outcome === 'winner'),
    probable: rate((r) => r.outcome === 'probable'),
    correct: best === null ? null : rate((r) => r.arm === best),
    wrongDecided: rate((r) => r.outcome === 'winner' && wrong(r)),
    wrongProbable: rate((r) => r.outcome === 'probable' && wrong(r)),
    votesMedian: quantile(votes, 0.5),
    votesP90: quantile(votes, 0.9),
    roundsMedian: quantile(rounds, 0.5),
    roundsP90: quantile(rounds, 0.9),
  };
}

/** Runs `sessions` sessions of each rule on one scenario, each rule on its own seeded stream. */
export function runScenario(scenario: Scenario, rules: readonly Rule[], sessions: number, seed: number | string): RuleSummary[] {
  return rules.map((rule) => {
    const rng = createRng(`${seed}|${scenario.name}|${rule.name}`);
    const results = Array.from({ length: sessions }, () => rule.run(scenario, rng));
    return summarize(rule.name, results, bestArm(scenario));
  });
}
