import { betaCdf } from '../ab/beta';
import { integrateVector, logGamma } from '../ab/dirichlet';

/*
 * The accuracy guard between an A/B winner and an automatic promotion. The winner's measured accuracy on its
 * tasks must beat the old prompt's by min_accuracy_improvement, on at least min_served_tasks tasks, and (issue 14)
 * its acceptance rate must beat the old prompt's with posterior probability promotion_confidence:
 *   P(q_new > q_old) with q_new ~ Beta(1 + accepted, 1 + rejected) and q_old ~ Beta(1 + s, 1 + n − s),
 * s of n being the old prompt's accepted tasks in the window its accuracy was measured on (the point value
 * when n is unknown). A few lucky tasks, or an old prompt measured low by chance, no longer promote a prompt
 * that is not better. A probable winner (the weaker end-of-test label) must clear probable_promotion_confidence.
 */

/** learning.promotion_confidence and probable_promotion_confidence in defaults.yaml (a test keeps them in step). */
export const DEFAULT_PROMOTION_CONFIDENCE = 0.95;
export const DEFAULT_PROBABLE_PROMOTION_CONFIDENCE = 0.975;

export interface GuardInput {
  served: number;
  accepted: number;
  baseAccuracy: number | null;
  /** Tasks behind baseAccuracy; null treats it as exact. */
  baseSamples?: number | null;
  minServed: number;
  minImprovement: number;
  /** 0 turns the posterior check off (the guard before issue 14). */
  confidence: number;
}

export interface GuardVerdict {
  ok: boolean;
  why: 'few_served' | 'no_base' | 'small_gain' | 'not_confident' | null;
  /** P(q_new > q_old); null when the guard stopped before it or its check is off. */
  pBetter: number | null;
}

/** P(X > Y) for independent X ~ Beta(a1, b1), Y ~ Beta(a2, b2): ∫ f_X(x) F_Y(x) dx. */
export function betaExceeds(a1: number, b1: number, a2: number, b2: number): number {
  const logNorm = logGamma(a1 + b1) - logGamma(a1) - logGamma(b1);
  const integrand = (x: number): Float64Array =>
    Float64Array.of(Math.exp(logNorm + (a1 - 1) * Math.log(x) + (b1 - 1) * Math.log(1 - x)) * betaCdf(x, a2, b2));
  return Math.min(1, Math.max(0, integrateVector(integrand, 1, 0, 1, [1], 1e-10)[0]));
}

export function promotionGuard(g: GuardInput): GuardVerdict {
  if (g.served === 0 || g.served < g.minServed) return { ok: false, why: 'few_served', pBetter: null };
  if (g.baseAccuracy === null) return { ok: false, why: 'no_base', pBetter: null };
  if (g.accepted / g.served < g.baseAccuracy + g.minImprovement) return { ok: false, why: 'small_gain', pBetter: null };
  if (g.confidence <= 0) return { ok: true, why: null, pBetter: null };
  const [a, b] = [1 + g.accepted, 1 + g.served - g.accepted];
  const n = g.baseSamples ?? null;
  const pBetter =
    n !== null && n > 0 ? betaExceeds(a, b, 1 + g.baseAccuracy * n, 1 + (1 - g.baseAccuracy) * n) : 1 - betaCdf(g.baseAccuracy, a, b);
  return pBetter >= g.confidence ? { ok: true, why: null, pBetter } : { ok: false, why: 'not_confident', pBetter };
}
