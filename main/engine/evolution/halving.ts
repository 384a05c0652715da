/**
 * Successive halving for the final ranking: every unit is scored on the first few held-out examples, the better
 * half goes on to twice as many, and so on until the `keep` best have met the last rung's examples. A unit far
 * behind is ruled out after a handful of examples instead of a hundred. The `keep` units all go to the A/B test, so
 * their last rung decides only their order (and the fitness reported with them): it stops at `keptExamples`.
 * Pure: the caller scores and ranks.
 */

export type RankingRule = 'full' | 'halving';

export interface HalvingPolicy {
  rule: RankingRule;
  /** Survivors per rung = ceil(units / eta); examples per rung × eta. */
  eta: number;
  /** Fewest examples of the first rung. */
  minExamples: number;
  /** Examples the kept units meet at most (the last rung; never fewer than the rung before it); 0 = every example. */
  keptExamples?: number;
}

export const FULL_RANKING: HalvingPolicy = { rule: 'full', eta: 2, minExamples: 0 };
/**
 * A fifth survives each rung and the kept units stop at 48 examples (20 units → 4 → 3 on 4, 20 and 48 examples: 276
 * calls with the current prompt). Chosen with bench:evolve's 24-seed comparison on the graded stand-in: the champion
 * as good as with a third surviving on 12, 36 and all 96 examples (684 calls); kept units on 24 examples lost 0.6 points.
 */
export const DEFAULT_HALVING: HalvingPolicy = { rule: 'halving', eta: 5, minExamples: 4, keptExamples: 48 };

export interface Rung {
  /** Held-out examples every unit of this rung has met once it is scored (cumulative). */
  examples: number;
  /** Units scored in this rung. */
  units: number;
}

/**
 * Rungs for ranking `units` candidates on `examples` held-out examples until `keep` remain. The last rung uses
 * every example, or `keptExamples` of them. 'full' is one rung: every unit on every example.
 */
export function halvingRungs(units: number, examples: number, keep: number, policy: HalvingPolicy): Rung[] {
  if (units <= 0 || examples <= 0) return [];
  const eta = Math.max(2, policy.eta);
  const target = Math.max(1, Math.min(keep, units));
  if (policy.rule === 'full') return [{ examples, units }];
  const kept = (policy.keptExamples ?? 0) > 0 ? Math.min(examples, policy.keptExamples!) : examples;
  if (units <= target) return [{ examples: kept, units }];
  const halvings = Math.ceil(Math.log(units / target) / Math.log(eta));
  const rungs: Rung[] = [];
  let n = Math.min(examples, Math.max(policy.minExamples, Math.ceil(examples / eta ** halvings)));
  let u = units;
  while (u > target && n < examples) {
    rungs.push({ examples: n, units: u });
    u = Math.max(target, Math.ceil(u / eta));
    n = Math.min(examples, n * eta);
  }
  rungs.push({ examples: Math.max(kept, rungs.at(-1)?.examples ?? 0), units: u });
  return rungs;
}

/** Model calls the rungs need (each unit pays only for the examples it has not met yet), plus `protectedUnits` that run every rung. */
export function halvingCost(rungs: readonly Rung[], protectedUnits = 0): number {
  let cost = 0;
  let before = 0;
  for (const rung of rungs) {
    cost += (rung.units + protectedUnits) * (rung.examples - before);
    before = rung.examples;
  }
  return cost;
}

/** The `count` best by score, ties by the tie-break, then by their order (stable). */
export function survivors<T>(items: readonly T[], count: number, score: (item: T) => number, tieBreak: (item: T) => number): T[] {
  return items
    .map((item, i) => ({ item, i, s: score(item), t: tieBreak(item) }))
    .sort((a, b) => b.s - a.s || b.t - a.t || a.i - b.i)
    .slice(0, count)
    .map((x) => x.item);
}
