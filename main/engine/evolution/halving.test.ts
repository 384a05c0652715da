import { describe, expect, it } from 'vitest';
import { DEFAULT_HALVING, FULL_RANKING, halvingCost, halvingRungs, survivors, type HalvingPolicy } from './halving';

const HALVES: HalvingPolicy = { ...DEFAULT_HALVING, eta: 2 };

describe('successive halving for the final ranking', () => {
  it('halves the units while doubling the examples until the kept ones met them all', () => {
    const rungs = halvingRungs(20, 96, 3, HALVES);
    expect(rungs).toEqual([
      { examples: 12, units: 20 },
      { examples: 24, units: 10 },
      { examples: 48, units: 5 },
      { examples: 96, units: 3 },
    ]);
    // Each unit pays only for examples it has not met; the current prompt (protected) runs every rung.
    expect(halvingCost(rungs, 1)).toBe(20 * 12 + 10 * 12 + 5 * 24 + 3 * 48 + 96);
    expect(halvingCost(halvingRungs(20, 96, 3, FULL_RANKING), 1)).toBe(21 * 96);
    // The default keeps a third: 20 → 7 → 3 on 12, 36 and 96 examples.
    expect(halvingRungs(20, 96, 3, DEFAULT_HALVING)).toEqual([
      { examples: 12, units: 20 },
      { examples: 36, units: 7 },
      { examples: 96, units: 3 },
    ]);
    expect(halvingCost(halvingRungs(20, 96, 3, DEFAULT_HALVING), 1)).toBe(20 * 12 + 7 * 24 + 3 * 60 + 96);
  });

  it('degenerates to one rung when the pool or the population is small', () => {
    expect(halvingRungs(6, 6, 3, DEFAULT_HALVING)).toEqual([{ examples: 6, units: 6 }]);
    expect(halvingRungs(3, 96, 3, DEFAULT_HALVING)).toEqual([{ examples: 96, units: 3 }]);
    expect(halvingRungs(0, 96, 3, DEFAULT_HALVING)).toEqual([]);
  });

  it('keeps the best by score, ties by the tie-break, then by order', () => {
    const items = [
      { id: 'a', s: 0.5, t: 0 },
      { id: 'b', s: 0.7, t: 0 },
      { id: 'c', s: 0.5, t: 1 },
      { id: 'd', s: 0.5, t: 1 },
    ];
    expect(
      survivors(
        items,
        3,
        (x) => x.s,
        (x) => x.t,
      ).map((x) => x.id),
    ).toEqual(['b', 'c', 'd']);
  });
});
