import type { GoldExample } from '../gold/gold-file';
import type { Scorer } from '../skills/scorers';
import { shuffle, type Rng } from '../util/random';
import type { Example } from './types';

/*
 * Gold examples in every evaluation set (issue 15 §2): each tournament match and the final ranking's held-out pool
 * take a fixed share (prompt_evolution.gold.share) of their examples from the skill's gold examples, shipped and
 * pinned, so a prompt that fits this person's recent history by breaking canonical cases does not win. Gold examples
 * are canonical, not held out: the same ones can appear in tournaments and in the final ranking.
 */

/** A gold example as an evaluation example (the expected output is the answer; there is no past output). */
export const goldToExample = (g: GoldExample): Example => ({
  id: g.id,
  input: g.input,
  expected: g.expected,
  output: '',
  outcome: 'accepted',
});

/** Gold examples among n: round(n × share), at least one when share > 0, at most what there is. */
export function goldCount(n: number, share: number, available: number): number {
  if (share <= 0 || available === 0 || n <= 0) return 0;
  return Math.min(available, n, Math.max(1, Math.round(n * share)));
}

/** A tournament match's examples: n − k drawn from the history's training examples and k from the gold ones. */
export function sampleWithGold(rng: Rng, train: readonly Example[], gold: readonly Example[], n: number, share: number): Example[] {
  const k = train.length === 0 ? Math.min(n, gold.length) : goldCount(n, share, gold.length);
  return [...shuffle(rng, train).slice(0, n - k), ...shuffle(rng, gold).slice(0, k)];
}

/**
 * The final ranking's pool: the held-out examples with gold ones woven in at the share, so every prefix successive
 * halving cuts keeps it (share 0.2: one example in five). Gold runs out → the rest is history; history runs out → stop,
 * unless there is no history at all (then the gold examples are the pool).
 */
export function weaveGold(pool: readonly Example[], gold: readonly Example[], share: number): Example[] {
  if (share <= 0 || gold.length === 0) return [...pool];
  if (pool.length === 0) return [...gold];
  const woven: Example[] = [];
  let [p, g] = [0, 0];
  for (let i = 0; p < pool.length; i++) {
    const goldTurn = Math.floor((i + 1) * share) > Math.floor(i * share);
    if (goldTurn && g < gold.length) woven.push(gold[g++]);
    else woven.push(pool[p++]);
  }
  return woven;
}

export interface PinnedCheck {
  /** Pinned example ids the variant gets wrong while the prompt it would replace gets them right. */
  broken: string[];
  /** Pinned examples both get wrong (not the variant's fault; reported, not held against it). */
  bothWrong: number;
}

/**
 * Which pinned examples a variant breaks. "Right" is the scorer's success (what counts as accepted); an example
 * whose evaluation failed (no output) counts as wrong. Only regressions count: a pinned example no prompt gets
 * right on this model would otherwise block every automatic promotion.
 */
export function checkPinned(
  pinned: readonly Example[],
  outputs: { variant: ReadonlyMap<string, string>; current: ReadonlyMap<string, string> },
  scorer: Scorer,
): PinnedCheck {
  const right = (output: string | undefined, e: Example) => output !== undefined && scorer(output, e.expected).success;
  const broken: string[] = [];
  let bothWrong = 0;
  for (const e of pinned) {
    const [mine, theirs] = [right(outputs.variant.get(e.id), e), right(outputs.current.get(e.id), e)];
    if (!mine && theirs) broken.push(e.id);
    else if (!mine) bothWrong++;
  }
  return { broken, bothWrong };
}
