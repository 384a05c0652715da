import { describe, expect, it } from 'vitest';
import { neymanPearsonPower } from './ab-bound';

describe('neymanPearsonPower', () => {
  it('is the power of the likelihood-ratio region, randomized to size α', () => {
    // One pick: each cell has null probability ⅓; told the labelling, the best cell is "arm 0 picked".
    expect(neymanPearsonPower(1, [0.67, 0.13, 0.2], 1 / 3, false)).toBeCloseTo(0.67, 12);
    expect(neymanPearsonPower(1, [0.67, 0.13, 0.2], 1 / 3, true)).toBeCloseTo(1 / 3, 12);
    expect(neymanPearsonPower(1, [0.67, 0.13, 0.2], 1 / 6, false)).toBeCloseTo(0.335, 12);
  });

  it('bounds a median of 12 votes at 3% A/A false winners (independently computed: 0.5093)', () => {
    expect(neymanPearsonPower(12, [0.67, 0.13, 0.2], 0.03, true)).toBeCloseTo(0.5093, 3);
    expect(neymanPearsonPower(12, [1 / 3, 1 / 3, 1 / 3], 0.03, true)).toBeCloseTo(0.03, 12);
  });
});
