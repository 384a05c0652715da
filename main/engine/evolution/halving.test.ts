import { describe, expect, it } from 'vitest';
import { DEFAULT_HALVING, FULL_RANKING, halvingCost, halvingRungs, survivors, type HalvingPolicy } from './halving';

const HALVES: HalvingPolicy = { rule: 'halving', eta: 2, minExamples: 12 };

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
    // The default keeps a fifth, and the kept units stop at 48 examples: 20 → 4 → 3 on 4, 20 and 48 examples.
    expect(halvingRungs(20, 96, 3, DEFAULT_HALVING)).toEqual([
      { examples: 4, units: 20 },
      { examples: 20, units: 4 },
      { examples: 48, units: 3 },
    ]);
    expect(halvingCost(halvingRungs(20, 96, 3, DEFAULT_HALVING), 1)).toBe(21 * 4 + 5 * 16 + 4 * 28);
  });

  it('stops the kept units at keptExamples, never below the rung before, and ignores it for a full ranking', () => {
    const thirds: HalvingPolicy = { rule: 'halving', eta: 3, minExamples: 12, keptExamples: 24 };
    // 20 on 12, 7 on 36: the kept three cannot meet fewer than the 36 their rung before had.
    expect(halvingRungs(20, 96, 3, thirds).map((r) => r.examples)).toEqual([12, 36, 36]);
    expect(halvingRungs(20, 96, 3, { ...thirds, keptExamples: 60 }).map((r) => r.examples)).toEqual([12, 36, 60]);
    expect(halvingRungs(20, 96, 3, { ...thirds, keptExamples: 0 }).map((r) => r.examples)).toEqual([12, 36, 96]);
    expect(halvingRungs(20, 30, 3, { ...thirds, keptExamples: 48 }).at(-1)).toEqual({ examples: 30, units: 7 });
    // Units that all go on to the A/B test meet only keptExamples.
    expect(halvingRungs(3, 96, 3, { ...thirds, keptExamples: 48 })).toEqual([{ examples: 48, units: 3 }]);
    expect(halvingRungs(20, 96, 3, { ...FULL_RANKING, keptExamples: 48 })).toEqual([{ examples: 96, units: 20 }]);
  });

  it('degenerates to one rung when the pool or the population is small', () => {
    expect(halvingRungs(6, 6, 3, HALVES)).toEqual([{ examples: 6, units: 6 }]);
    expect(halvingRungs(3, 96, 3, HALVES)).toEqual([{ examples: 96, units: 3 }]);
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
