import { describe, it, expect } from 'vitest';
import { createRng, pickWeighted, randomInt, sampleBeta, sampleGamma, sampleNormal, shuffle } from './random';

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs: number[]): number => {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};
const draw = (n: number, f: () => number): number[] => Array.from({ length: n }, f);

describe('createRng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng('skill-1');
    const b = createRng('skill-1');
    const c = createRng('skill-2');
    const xs = draw(5, () => a.next());
    expect(draw(5, () => b.next())).toEqual(xs);
    expect(draw(5, () => c.next())).not.toEqual(xs);
    expect(draw(3, () => createRng(42).next())).toEqual(draw(3, () => createRng('42').next()));
  });

  it('yields uniform numbers in [0, 1)', () => {
    const rng = createRng(1);
    const xs = draw(100_000, () => rng.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 2);
    expect(variance(xs)).toBeCloseTo(1 / 12, 2);
    const buckets = new Array(10).fill(0);
    for (const x of xs) buckets[Math.floor(x * 10)]++;
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('randomInt stays in range', () => {
    const rng = createRng(3);
    const seen = new Set(draw(1000, () => randomInt(rng, 4)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });
});

describe('samplers', () => {
  it('sampleNormal has mean 0 and variance 1', () => {
    const rng = createRng(4);
    const xs = draw(100_000, () => sampleNormal(rng));
    expect(Math.abs(mean(xs))).toBeLessThan(0.02);
    expect(variance(xs)).toBeCloseTo(1, 1);
  });

  it.each([0.3, 1, 2.5, 40])('sampleGamma(%s) has mean and variance equal to the shape', (shape) => {
    const rng = createRng(`gamma-${shape}`);
    const xs = draw(100_000, () => sampleGamma(rng, shape));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.abs(mean(xs) - shape) / shape).toBeLessThan(0.02);
    expect(Math.abs(variance(xs) - shape) / shape).toBeLessThan(0.05);
  });

  it('sampleGamma rejects a non-positive shape', () => {
    expect(() => sampleGamma(createRng(1), 0)).toThrow(RangeError);
    expect(() => sampleGamma(createRng(1), Number.NaN)).toThrow(RangeError);
  });

  it('sampleBeta matches the Beta mean and variance', () => {
    const rng = createRng(5);
    const [a, b] = [3, 7];
    const xs = draw(100_000, () => sampleBeta(rng, a, b));
    expect(mean(xs)).toBeCloseTo(a / (a + b), 2);
    expect(variance(xs)).toBeCloseTo((a * b) / ((a + b) ** 2 * (a + b + 1)), 3);
  });
});

describe('shuffle', () => {
  it('returns a new permutation and leaves the input alone', () => {
    const items = [1, 2, 3, 4, 5];
    const out = shuffle(createRng(6), items);
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(out).not.toBe(items);
    expect([...out].sort()).toEqual(items);
  });

  it('puts each item first about equally often', () => {
    const rng = createRng(7);
    const firsts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) firsts[shuffle(rng, [0, 1, 2])[0]]++;
    for (const count of firsts) expect(Math.abs(count - 10_000)).toBeLessThan(400);
  });
});

describe('pickWeighted', () => {
  it('picks in proportion to the weights and never picks weight 0', () => {
    const rng = createRng(8);
    const items = [
      { value: 'a', weight: 1 },
      { value: 'b', weight: 0 },
      { value: 'c', weight: 3 },
    ];
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 40_000; i++) counts[pickWeighted(rng, items)]++;
    expect(counts.b).toBe(0);
    expect(counts.a / 40_000).toBeCloseTo(0.25, 1);
  });

  it('rejects empty, all-zero and negative weights', () => {
    const rng = createRng(9);
    expect(() => pickWeighted(rng, [])).toThrow(RangeError);
    expect(() => pickWeighted(rng, [{ value: 1, weight: 0 }])).toThrow(RangeError);
    expect(() => pickWeighted(rng, [{ value: 1, weight: -1 }])).toThrow(RangeError);
  });
});
