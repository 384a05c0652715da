import { describe, it, expect } from 'vitest';
import { createRng, randomInt } from '../util/random';
import {
  expectedLoss,
  expectedLossMonteCarlo,
  logGamma,
  posteriorSummary,
  probabilityBest,
  probabilityBestMonteCarlo,
  regularizedGammaP,
} from './dirichlet';

/** Two arms with integer counts: P(p_0 > 1/2) for p_0 ~ Beta(a, b) is P(Binomial(a + b − 1, 1/2) <= a − 1). */
function twoArmExact(c0: number, c1: number): number {
  const [a, b] = [c0 + 1, c1 + 1];
  const n = a + b - 1;
  let binom = 1n;
  let sum = 0n;
  for (let j = 0; j < a; j++) {
    sum += binom;
    binom = (binom * BigInt(n - j)) / BigInt(j + 1);
  }
  const scale = 10n ** 15n;
  return Number((sum * scale) / 2n ** BigInt(n)) / 1e15;
}

const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);

describe('special functions', () => {
  it('logGamma matches factorials', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 9);
  });

  it('regularizedGammaP matches closed forms', () => {
    for (const x of [0.1, 1, 3, 20]) expect(regularizedGammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 13);
    // P(2, x) = 1 − e^{−x}(1 + x)
    for (const x of [0.5, 2, 9]) expect(regularizedGammaP(2, x)).toBeCloseTo(1 - Math.exp(-x) * (1 + x), 13);
    expect(regularizedGammaP(3, 0)).toBe(0);
    expect(regularizedGammaP(50, 1000)).toBe(1);
  });
});

describe('probabilityBest', () => {
  it.each([
    [0, 0],
    [1, 0],
    [10, 2],
    [7, 9],
    [150, 170],
    [200, 185],
  ])('matches the Beta tail for two arms %s vs %s', (c0, c1) => {
    const [p0, p1] = probabilityBest([c0, c1]);
    expect(Math.abs(p0 - twoArmExact(c0, c1))).toBeLessThan(1e-7);
    expect(Math.abs(p1 - twoArmExact(c1, c0))).toBeLessThan(1e-7);
  });

  it('gives equal P(best) to equal counts, and sums to 1', () => {
    for (const counts of [
      [0, 0, 0],
      [4, 4, 4],
      [9, 9, 2],
      [120, 120, 120, 120],
    ]) {
      const p = probabilityBest(counts);
      expect(sum(p)).toBeCloseTo(1, 12);
      const tiedTop = counts.filter((c) => c === counts[0]).length;
      for (let i = 1; i < tiedTop; i++) expect(p[i]).toBeCloseTo(p[0], 9);
      if (counts.every((c) => c === counts[0])) for (const x of p) expect(x).toBeCloseTo(1 / counts.length, 8);
    }
  });

  it('orders arms by their counts', () => {
    const p = probabilityBest([10, 2, 3]);
    expect(p[0]).toBeGreaterThan(p[2]);
    expect(p[2]).toBeGreaterThan(p[1]);
  });

  it('agrees with seeded Monte Carlo (100k draws) on random count vectors, counts up to 200', () => {
    const rng = createRng('dirichlet-mc');
    for (let t = 0; t < 30; t++) {
      const arms = 2 + randomInt(rng, 3);
      const top = [10, 50, 200][t % 3];
      const counts = Array.from({ length: arms }, () => randomInt(rng, top + 1));
      const exact = probabilityBest(counts);
      const mc = probabilityBestMonteCarlo(counts, rng, 100_000);
      for (let i = 0; i < arms; i++) expect(Math.abs(exact[i] - mc[i]), `${counts} arm ${i}`).toBeLessThan(0.01);
    }
  });

  it('handles a non-default prior', () => {
    const exact = probabilityBest([3, 1, 0], 0.5);
    const mc = probabilityBestMonteCarlo([3, 1, 0], createRng('half'), 100_000, 0.5);
    expect(sum(exact)).toBeCloseTo(1, 12);
    for (let i = 0; i < 3; i++) expect(Math.abs(exact[i] - mc[i])).toBeLessThan(0.01);
  });

  it('rejects bad input', () => {
    expect(() => probabilityBest([])).toThrow(RangeError);
    expect(() => probabilityBest([1, -1])).toThrow(RangeError);
    expect(() => probabilityBest([1, 2], 0)).toThrow(RangeError);
  });

  it('gives a single arm P(best) 1', () => {
    expect(probabilityBest([7])).toEqual([1]);
  });
});

describe('expectedLoss', () => {
  it('matches closed forms under the flat prior', () => {
    // Two uniform shares: E[max(p, 1 − p)] = 3/4. Three: E[max] = (1 + 1/2 + 1/3) / 3 = 11/18.
    for (const l of expectedLoss([0, 0])) expect(l).toBeCloseTo(0.25, 9);
    for (const l of expectedLoss([0, 0, 0])) expect(l).toBeCloseTo(11 / 18 - 1 / 3, 9);
  });

  it('is smallest for the leader and differs between arms by their mean shares', () => {
    const counts = [10, 2, 3];
    const loss = expectedLoss(counts);
    expect(loss[0]).toBeLessThan(loss[2]);
    // loss_i − loss_j = E[p_j] − E[p_i]
    expect(loss[1] - loss[0]).toBeCloseTo((11 - 3) / 18, 9);
  });

  it('agrees with seeded Monte Carlo', () => {
    const rng = createRng('loss-mc');
    for (const counts of [
      [10, 2, 3],
      [5, 5, 4],
      [40, 35, 25],
      [200, 190, 180],
      [0, 3],
    ]) {
      const exact = expectedLoss(counts);
      const mc = expectedLossMonteCarlo(counts, rng, 100_000);
      for (let i = 0; i < counts.length; i++) expect(Math.abs(exact[i] - mc[i]), `${counts} arm ${i}`).toBeLessThan(0.003);
    }
  });

  it('comes from the same pass as P(best)', () => {
    const summary = posteriorSummary([6, 1, 2]);
    expect(summary.pBest).toEqual(probabilityBest([6, 1, 2]));
    expect(summary.expectedLoss).toEqual(expectedLoss([6, 1, 2]));
  });
});
