import { describe, it, expect } from 'vitest';
import { createRng } from '../util/random';
import { thompsonServe, type ArmServingStats } from './allocation';

const shares = (arms: ArmServingStats[], seed: string, n = 20_000): number[] => {
  const rng = createRng(seed);
  const counts = new Array<number>(arms.length).fill(0);
  for (let i = 0; i < n; i++) counts[thompsonServe(arms, rng)]++;
  return counts.map((c) => c / n);
};

describe('thompsonServe', () => {
  it('serves arms without feedback about equally', () => {
    for (const share of shares(
      [
        { accepted: 0, served: 0 },
        { accepted: 0, served: 0 },
        { accepted: 0, served: 0 },
      ],
      'flat',
    )) {
      expect(share).toBeCloseTo(1 / 3, 1);
    }
  });

  it('serves an arm with the probability that it is best', () => {
    // Beta(2, 1) vs Beta(1, 1): P(first > second) = 2/3.
    const [first] = shares(
      [
        { accepted: 1, served: 1 },
        { accepted: 0, served: 0 },
      ],
      'two',
    );
    expect(Math.abs(first - 2 / 3)).toBeLessThan(0.015);
  });

  it('mostly serves a clearly better arm but keeps exploring an uncertain one', () => {
    const [good, bad, fresh] = shares(
      [
        { accepted: 80, served: 100 },
        { accepted: 20, served: 100 },
        { accepted: 1, served: 2 },
      ],
      'mixed',
    );
    expect(good).toBeGreaterThan(0.75);
    expect(bad).toBeLessThan(0.001);
    expect(fresh).toBeGreaterThan(0.05);
  });

  it('is deterministic for a seed', () => {
    const arms = [
      { accepted: 3, served: 5 },
      { accepted: 2, served: 5 },
    ];
    const run = (): number[] => {
      const rng = createRng('same');
      return Array.from({ length: 20 }, () => thompsonServe(arms, rng));
    };
    expect(run()).toEqual(run());
  });

  it('rejects no arms and accepted > served', () => {
    expect(() => thompsonServe([], createRng(1))).toThrow(RangeError);
    expect(() => thompsonServe([{ accepted: 3, served: 2 }], createRng(1))).toThrow(RangeError);
  });
});
