import { pickFrom, sampleBeta, type Rng } from '../util/random';

export interface Credit {
  wins: number;
  losses: number;
}

/**
 * Thompson sampling: one draw from each item's Beta(1 + wins, 1 + losses), the largest wins. With no credit at all
 * it is a uniform pick using the generator exactly as `pickFrom` does, so a library that learned nothing yet
 * replays the draws of a run without learning.
 */
export function thompsonPick<T>(rng: Rng, items: readonly T[], creditOf: (item: T) => Credit | undefined): T {
  const credits = items.map(creditOf);
  if (credits.every((c) => !c || c.wins + c.losses === 0)) return pickFrom(rng, items);
  let best = 0;
  let top = -1;
  credits.forEach((c, i) => {
    const draw = sampleBeta(rng, 1 + (c?.wins ?? 0), 1 + (c?.losses ?? 0));
    if (draw > top) [best, top] = [i, draw];
  });
  return items[best];
}

/** A weight multiplier from one Thompson draw: 2θ, so an entry with no credit keeps its weight on average. */
export const thompsonFactor = (rng: Rng, c: Credit | undefined): number =>
  !c || c.wins + c.losses === 0 ? 1 : 2 * sampleBeta(rng, 1 + c.wins, 1 + c.losses);
