import { describe, expect, it } from 'vitest';
import { createRng, sampleGamma } from '../util/random';
import { armPosterior, armSampler, servedInformative, type ArmPosteriorInput } from './arm-posterior';
import { posteriorSummary } from './dirichlet';

const plain = (alpha: number[]): ArmPosteriorInput[] => alpha.map((a) => ({ alpha: a, accepted: 0, rejected: 0 }));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * An independent check of the tilted posterior: self-normalized importance sampling with the Dirichlet
 * (independent Gammas) as proposal and a wide normal proposal for the level η, weighted by the served likelihood.
 */
function importanceSampled(arms: ArmPosteriorInput[], slope: number, draws: number, seed: string): number[] {
  const rng = createRng(seed);
  const wins = new Array<number>(arms.length).fill(0);
  let total = 0;
  for (let d = 0; d < draws; d++) {
    const t = arms.map((a) => Math.log(sampleGamma(rng, a.alpha)));
    // η uniform on [−12, 12]: flat prior, constant proposal density, so the weight is the likelihood alone.
    const eta = -12 + 24 * rng.next();
    let logW = 0;
    arms.forEach((a, j) => {
      const q = sigmoid(eta + slope * t[j]);
      logW += a.accepted * Math.log(q) + a.rejected * Math.log(1 - q);
    });
    const w = Math.exp(logW);
    total += w;
    wins[t.indexOf(Math.max(...t))] += w;
  }
  return wins.map((x) => x / total);
}

describe('armPosterior without served information', () => {
  it('is the exact Dirichlet P(best) of dirichlet.ts', () => {
    for (const alpha of [
      [8, 2, 3],
      [2, 2],
      [1, 1, 1, 1],
      [21, 14, 16],
      [5.5, 1.2, 3.3],
    ]) {
      const ours = armPosterior(plain(alpha), 0.25);
      const reference = posteriorSummary(alpha.map((a) => a - 1)).pBest;
      expect(ours.tilted).toBe(false);
      ours.pBest.forEach((p, i) => expect(p).toBeCloseTo(reference[i], 8));
    }
  });

  it('has the log-scale loss of closed forms: ln 2 for two flat arms, 0 for the sure winner', () => {
    // log(X_1/X_2) for X_i ~ Exp(1) is standard logistic, and E[max(L, 0)] = ln 2.
    const flat = armPosterior(plain([1, 1]), 0.25);
    expect(flat.pBest[0]).toBeCloseTo(0.5, 10);
    expect(flat.expectedLoss[0]).toBeCloseTo(Math.LN2, 6);
    expect(armPosterior(plain([400, 1]), 0.25).expectedLoss[0]).toBeLessThan(1e-9);
  });

  it('ignores served outcomes that say nothing about the comparison', () => {
    const one = [
      { alpha: 4, accepted: 5, rejected: 1 },
      { alpha: 2, accepted: 0, rejected: 0 },
    ];
    const allAccepted = [
      { alpha: 4, accepted: 5, rejected: 0 },
      { alpha: 2, accepted: 3, rejected: 0 },
    ];
    for (const arms of [one, allAccepted]) {
      expect(servedInformative(arms, 0.25)).toBe(false);
      expect(armPosterior(arms, 0.25).pBest).toEqual(armPosterior(plain([4, 2]), 0.25).pBest);
    }
    expect(
      servedInformative(
        [
          { alpha: 4, accepted: 5, rejected: 0 },
          { alpha: 2, accepted: 0, rejected: 3 },
        ],
        0.25,
      ),
    ).toBe(true);
  });
});

describe('armPosterior with served outcomes', () => {
  it('matches a fine brute-force double integral on fixed inputs (docs/ab-statistics.md, example 3)', () => {
    // Reference: trapezoid rule on a 60,001 × 3,001 grid over (t, η), run once, independent of this code.
    const arms = [
      { alpha: 7, accepted: 5, rejected: 1 },
      { alpha: 2, accepted: 1, rejected: 2 },
      { alpha: 3, accepted: 2, rejected: 2 },
    ];
    const r = armPosterior(arms, 0.25);
    expect(r.tilted).toBe(true);
    [0.91197929, 0.01951937, 0.06850133].forEach((p, i) => expect(r.pBest[i]).toBeCloseTo(p, 5));
    [0.02520832, 1.62705098, 1.05238354].forEach((l, i) => expect(r.expectedLoss[i]).toBeCloseTo(l, 5));
  });

  it('agrees with importance sampling of the same model', () => {
    const arms = [
      { alpha: 3, accepted: 2, rejected: 6 },
      { alpha: 4, accepted: 9, rejected: 1 },
    ];
    const exact = armPosterior(arms, 1);
    const sampled = importanceSampled(arms, 1, 200_000, 'served');
    exact.pBest.forEach((p, i) => expect(p).toBeCloseTo(sampled[i], 2));
    // Accepting arm 1's outputs far more often moves P(best) towards it, against the picks alone.
    expect(exact.pBest[1]).toBeGreaterThan(armPosterior(plain([3, 4]), 1).pBest[1] + 0.1);
  });

  it('draws Thompson samples with the frequencies of P(best)', () => {
    const arms = [
      { alpha: 6, accepted: 4, rejected: 2 },
      { alpha: 3, accepted: 1, rejected: 3 },
      { alpha: 4, accepted: 3, rejected: 1 },
    ];
    const p = armPosterior(arms, 0.5).pBest;
    const draw = armSampler(arms, 0.5);
    const rng = createRng('thompson');
    const counts = [0, 0, 0];
    for (let i = 0; i < 20_000; i++) counts[draw(rng)]++;
    counts.forEach((c, i) => expect(c / 20_000).toBeCloseTo(p[i], 1));
  });

  it('rejects bad inputs', () => {
    expect(() => armPosterior([], 0.25)).toThrow(RangeError);
    expect(() =>
      armPosterior(
        [
          { alpha: 0, accepted: 0, rejected: 0 },
          { alpha: 1, accepted: 0, rejected: 0 },
        ],
        0.25,
      ),
    ).toThrow(/alpha/);
    expect(() => armPosterior(plain([1, 1]), -1)).toThrow(/slope/);
  });
});
