import type { FitnessEvaluator } from './fitness';
import { pairKey } from './fitness-cache';
import { halvingCost, halvingRungs, survivors, type HalvingPolicy } from './halving';
import { mean } from './population';
import type { RankedUnit } from './result';
import type { Example, Unit } from './types';

export interface FinalRanking {
  /** Deepest rung first (the kept units met every example), then by fitness. */
  ranking: RankedUnit[];
  /** Held-out examples the kept units met (the budget may allow fewer than the pool). */
  examples: number;
}

export interface FinalRankingInput {
  evaluator: FitnessEvaluator;
  /** The population, without the current prompt. */
  candidates: readonly Unit[];
  /** The current prompt: the baseline, scored in every rung. */
  current: Unit;
  pool: readonly Example[];
  keep: number;
  policy: HalvingPolicy;
  /** Model calls left for the ranking. */
  budget: number;
  /** The tournament estimate (train examples), reported and used to break ties. */
  estimate: (unit: Unit) => { mean: number | null; n: number };
}

/**
 * Ranks the population on held-out examples by successive halving (or every unit on every example with rule
 * 'full'): as many examples as the budget allows, the current prompt alongside every rung as the baseline.
 */
export async function rankFinal(o: FinalRankingInput): Promise<FinalRanking> {
  const candidates = o.candidates.filter((u) => u.hash !== o.current.hash);
  const examples = affordableExamples(o, candidates);
  const rungs = halvingRungs(candidates.length, examples, o.keep, o.policy);
  const met = new Map<string, { fitness: number | null; samples: number }>();
  let alive = [...candidates];
  for (const [i, rung] of rungs.entries()) {
    alive = alive.slice(0, rung.units);
    const shown = o.pool.slice(0, rung.examples);
    const scores = await o.evaluator.score([...alive, o.current].flatMap((unit) => shown.map((example) => ({ unit, example }))));
    for (const unit of [...alive, o.current]) {
      met.set(unit.hash, { fitness: mean(shown.map((e) => scores.get(pairKey(unit.hash, e.id)) ?? 0)), samples: shown.length });
    }
    const next = rungs[i + 1]?.units ?? alive.length;
    alive = survivors(
      alive,
      next,
      (u) => met.get(u.hash)?.fitness ?? -1,
      (u) => o.estimate(u).mean ?? -1,
    );
  }
  const ranking: RankedUnit[] = [...candidates, o.current].map((unit) => {
    const train = o.estimate(unit);
    const final = met.get(unit.hash) ?? { fitness: null, samples: 0 };
    return { unit, fitness: final.fitness, finalSamples: final.samples, trainFitness: train.mean, trainSamples: train.n };
  });
  ranking.sort(
    (a, b) => b.finalSamples - a.finalSamples || (b.fitness ?? -1) - (a.fitness ?? -1) || (b.trainFitness ?? -1) - (a.trainFitness ?? -1),
  );
  return { ranking, examples: rungs.at(-1)?.examples ?? examples };
}

/**
 * How many held-out examples the budget allows. Every unit on every example ('full') counts only uncached pairs;
 * halving counts its rungs as if nothing were cached (an upper bound).
 */
function affordableExamples(o: FinalRankingInput, candidates: readonly Unit[]): number {
  if (o.policy.rule === 'full') {
    const units = [...candidates, o.current];
    let left = o.budget;
    for (const [i, example] of o.pool.entries()) {
      const cost = units.filter((u) => !o.evaluator.isCached(u.hash, example.id)).length;
      if (cost > left) return i;
      left -= cost;
    }
    return o.pool.length;
  }
  for (let n = o.pool.length; n > 0; n--) {
    if (halvingCost(halvingRungs(candidates.length, n, o.keep, o.policy), 1) <= o.budget) return n;
  }
  return 0;
}
