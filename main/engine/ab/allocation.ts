import { sampleBeta, type Rng } from '../util/random';

/** Served tasks that got feedback, and how many of those were kept unchanged. */
export interface ArmServingStats {
  accepted: number;
  served: number;
}

/** Thompson sampling: one draw from each arm's Beta(1 + accepted, 1 + rejected) posterior, serve the argmax. */
export function thompsonServe(arms: readonly ArmServingStats[], rng: Rng): number {
  if (arms.length === 0) throw new RangeError('thompsonServe needs at least one arm');
  let best = 0;
  let bestDraw = -1;
  arms.forEach((arm, i) => {
    const { accepted, served } = arm;
    if (!(accepted >= 0 && served >= accepted && Number.isFinite(served))) {
      throw new RangeError(`arm ${i}: need 0 <= accepted <= served, got ${accepted}/${served}`);
    }
    const draw = sampleBeta(rng, 1 + accepted, 1 + served - accepted);
    if (draw > bestDraw) {
      bestDraw = draw;
      best = i;
    }
  });
  return best;
}
