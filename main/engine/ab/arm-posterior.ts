import { sampleGamma, type Rng } from '../util/random';
import { TiltedArms, type ArmPosteriorInput } from './log-share-grid';

export type { ArmPosteriorInput } from './log-share-grid';

/*
 * P(best) and expected loss of the joint model (docs/ab-statistics.md, "The joint rule") for the arms still in
 * the test. Arm j's pick weight is X_j ~ Gamma(α_j, 1), independent (the Dirichlet(α) of the pick shares); its
 * served tasks add the factor σ(η + λ log X_j)^{a_j} σ(−η − λ log X_j)^{r_j} with a flat prior on the level η.
 * Given η the arms stay independent, so with t = log X:
 *   P(best)_i = ∫ dη w(η) ∫ dt g_i(t | η) ∏_{j≠i} G_j(t | η),   w(η) ∝ ∏_j Z_j(η),
 * g_j the tilted density of t_j, G_j its CDF and Z_j its mass. η is integrated by Gauss–Hermite around the mode of
 * w, t by Gauss–Legendre panels with running integrals for G_j. Without served information (fewer than two arms
 * with served tasks, or no acceptance or no rejection at all) the factor is flat in the arms' comparison and the
 * posterior is the plain Dirichlet, integrated on the same grid with no η. The numerics are in log-share-grid.ts.
 * Expected loss is on the log scale: loss_i = E[max_j log X_j] − E[log X_i], the expected log-ratio of the best
 * arm's pick share to arm i's (0.10 ≈ the best arm is picked about 10% more often).
 */

export interface ArmSummary {
  pBest: number[];
  expectedLoss: number[];
  /** Whether served outcomes entered (the two-dimensional integral) or not (the plain Dirichlet). */
  tilted: boolean;
  /** Thompson draws from this posterior, reusing its quadrature (see armSampler). */
  draw: (rng: Rng) => number;
}

function validate(arms: readonly ArmPosteriorInput[], slope: number): void {
  if (arms.length === 0) throw new RangeError('need at least one arm');
  if (!(slope >= 0 && Number.isFinite(slope))) throw new RangeError(`served slope must be >= 0, got ${slope}`);
  arms.forEach((a, i) => {
    if (!(a.alpha > 0 && Number.isFinite(a.alpha))) throw new RangeError(`arm ${i}: alpha must be > 0`);
    if (!(a.accepted >= 0 && a.rejected >= 0 && Number.isFinite(a.accepted + a.rejected))) {
      throw new RangeError(`arm ${i}: served counts must be >= 0`);
    }
  });
}

/** Whether served outcomes carry information about the comparison (else the flat-η factor is constant). */
export function servedInformative(arms: readonly ArmPosteriorInput[], slope: number): boolean {
  const withServed = arms.filter((a) => a.accepted + a.rejected > 0).length;
  const accepted = arms.reduce((s, a) => s + a.accepted, 0);
  const rejected = arms.reduce((s, a) => s + a.rejected, 0);
  return slope > 0 && withServed >= 2 && accepted > 0 && rejected > 0;
}

/**
 * Thompson sampling from the same posterior: returns a function that draws the arms' log pick weights and
 * returns the index of the largest. η is drawn from its Gauss–Hermite nodes with their posterior weights (the
 * quadrature's discrete version of w(η)); each t_j by inverting its CDF on the grid.
 */
export function armSampler(arms: readonly ArmPosteriorInput[], slope: number): (rng: Rng) => number {
  validate(arms, slope);
  if (arms.length === 1) return () => 0;
  return servedInformative(arms, slope) ? new TiltedArms(arms, slope).sampler() : gammaDraw(arms);
}

const gammaDraw =
  (arms: readonly ArmPosteriorInput[]) =>
  (rng: Rng): number =>
    arms.reduce(
      (best, a, i) => {
        const x = sampleGamma(rng, a.alpha);
        return x > best.x ? { x, i } : best;
      },
      { x: -1, i: 0 },
    ).i;

export function armPosterior(arms: readonly ArmPosteriorInput[], slope: number): ArmSummary {
  validate(arms, slope);
  if (arms.length === 1) return { pBest: [1], expectedLoss: [0], tilted: false, draw: () => 0 };
  const tilt = servedInformative(arms, slope);
  const model = new TiltedArms(arms, tilt ? slope : 0);
  if (!tilt) return { ...model.untilted(), tilted: false, draw: gammaDraw(arms) };
  const summary = model.integrateOverLevel();
  let draw: ((rng: Rng) => number) | null = null;
  return { ...summary, tilted: true, draw: (rng) => (draw ??= model.sampler())(rng) };
}
