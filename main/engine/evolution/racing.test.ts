import { describe, expect, it } from 'vitest';
import { createRng } from '../util/random';
import { DEFAULT_RACING, FULL_EVALUATION, raceStep, raceVerdict, type RacingPolicy } from './racing';

const EXACT: RacingPolicy = { ...DEFAULT_RACING, rule: 'exact' };

describe('racing a tournament', () => {
  it('full evaluation only decides once every example is scored', () => {
    expect(raceVerdict([1, 1, 1, 1, 1, 1, 1, 1, 1], 10, FULL_EVALUATION)).toBe('continue');
    expect(raceVerdict([1, -1, 0, 0, 0, 0, 0, 0, 0, 1], 10, FULL_EVALUATION)).toBe('a');
    expect(raceVerdict([1, -1, 0, 0, 0, 0, 0, 0, 0, 0], 10, FULL_EVALUATION)).toBe('tie');
  });

  it('the exact rule stops only when the remaining examples cannot change the winner', () => {
    expect(raceVerdict([1, 1, 1, 1, 1], 10, EXACT)).toBe('continue'); // 5 ahead, 5 left: B could still tie
    expect(raceVerdict([1, 1, 1, 1, 1, 1], 10, EXACT)).toBe('a'); // 6 ahead, 4 left
    expect(raceVerdict([-1, -1, -1, -0.5, -1, -1, -0.5], 10, EXACT)).toBe('b');
  });

  it('the exact rule always reaches the verdict of full evaluation (10,000 random matches)', () => {
    const rng = createRng('exact-race');
    for (let trial = 0; trial < 10_000; trial++) {
      const diffs = Array.from({ length: 10 }, () => [-1, -0.5, 0, 0, 0.5, 1][Math.floor(rng.next() * 6)]);
      let verdict = 'continue';
      for (let n = 2; n <= 10 && verdict === 'continue'; n += 2) verdict = raceVerdict(diffs.slice(0, n), 10, EXACT);
      expect(verdict).toBe(raceVerdict(diffs, 10, FULL_EVALUATION));
    }
  });

  it('the sequential rule calls a clear winner early, a dead heat as a tie, and waits when unsure', () => {
    expect(raceVerdict([1, 1], 10, DEFAULT_RACING)).toBe('continue'); // fewer than minSamples
    expect(raceVerdict([1, 1, 1], 10, DEFAULT_RACING)).toBe('a');
    expect(raceVerdict([-0.5, -1, 0, -1], 10, DEFAULT_RACING)).toBe('b');
    expect(raceVerdict([0, 0, 0], 10, DEFAULT_RACING)).toBe('continue'); // the prior spread: three equal results prove little
    expect(raceVerdict([0, 0, 0, 0, 0, 0], 10, DEFAULT_RACING)).toBe('tie');
    expect(raceVerdict([1, -1, 1, -1], 10, DEFAULT_RACING)).toBe('continue');
  });

  it('steps: everything at once for full evaluation, minSamples first then pairs when racing', () => {
    expect(raceStep(0, 10, FULL_EVALUATION)).toBe(10);
    expect(raceStep(0, 10, DEFAULT_RACING)).toBe(3);
    expect(raceStep(3, 10, DEFAULT_RACING)).toBe(2);
    expect(raceStep(9, 10, DEFAULT_RACING)).toBe(1);
    expect(raceStep(0, 10, EXACT)).toBe(2);
  });
});
