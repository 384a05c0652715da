import { decide, type DecisionSettings } from '../ab/decision';
import { posteriorSummary, type PosteriorSummary } from '../ab/dirichlet';
import { createRng, type Rng } from '../util/random';

export interface VotesToDecisionOptions {
  /** Simulated futures; more is steadier and slower. */
  runs?: number;
  /** "Usually within": the share of simulated futures decided by the answer. */
  quantile?: number;
  seed?: number | string;
  /** Shared between calls so repeated tallies are integrated once. */
  posteriorCache?: Map<string, PosteriorSummary>;
}

/** A Gamma(k, 1) draw for a whole k ≥ 1: the sum of k exponential draws. */
function gammaWhole(rng: Rng, k: number): number {
  let sum = 0;
  for (let i = 0; i < k; i++) sum -= Math.log(1 - rng.next());
  return sum;
}

/** A Dirichlet(counts + 1) draw: the chance of each category. */
function dirichletDraw(rng: Rng, counts: readonly number[]): number[] {
  const g = counts.map((c) => gammaWhole(rng, c + 1));
  const total = g.reduce((a, b) => a + b, 0);
  return g.map((x) => x / total);
}

function pickCategory(rng: Rng, p: readonly number[]): number {
  let u = rng.next();
  for (let i = 0; i < p.length; i++) {
    u -= p[i];
    if (u < 0) return i;
  }
  return p.length - 1;
}

/**
 * How many more votes a running test usually needs before the decision rule ends it: futures are drawn from
 * what the votes so far say about the arms (and about "none is good"), each played vote by vote through the
 * engine's own decision rule at its looks, and the given quantile of the votes they needed is returned.
 * Null when the test cannot take more votes. Deterministic for a given tally and seed.
 */
export function votesToDecision(
  tally: { picks: readonly number[]; none: number; elapsedDays: number },
  settings: DecisionSettings,
  options: VotesToDecisionOptions = {},
): number | null {
  const runs = options.runs ?? 120;
  const quantile = options.quantile ?? 0.8;
  const cache = options.posteriorCache ?? new Map<string, PosteriorSummary>();
  const posterior = (picks: readonly number[]): PosteriorSummary => {
    const key = picks.join(',');
    let summary = cache.get(key);
    if (!summary) cache.set(key, (summary = posteriorSummary(picks)));
    return summary;
  };
  const votes = tally.picks.reduce((a, b) => a + b, 0) + tally.none;
  if (votes >= settings.maxVotes) return null;
  const rng = createRng(options.seed ?? `votes|${tally.picks.join(',')}|${tally.none}`);
  const needed: number[] = [];
  for (let run = 0; run < runs; run++) {
    const chance = dirichletDraw(rng, [...tally.picks, tally.none]);
    const picks = [...tally.picks];
    let none = tally.none;
    let cast = votes;
    while (cast < settings.maxVotes) {
      const category = pickCategory(rng, chance);
      if (category === picks.length) none++;
      else picks[category]++;
      cast++;
      const isLook = cast >= settings.minVotes && (cast - settings.minVotes) % settings.lookEvery === 0;
      if (!isLook && cast < settings.maxVotes) continue;
      if (decide({ picks, none, skips: 0, elapsedDays: tally.elapsedDays }, settings, posterior).kind !== 'continue') break;
    }
    needed.push(cast - votes);
  }
  needed.sort((a, b) => a - b);
  return needed[Math.min(needed.length - 1, Math.ceil(quantile * needed.length) - 1)];
}
