import { describe, expect, it } from 'vitest';
import { defaultDecisionSettings } from '../ab/decision';
import { votesToDecision } from './votes-to-decision';

const tally = (picks: number[], none = 0) => ({ picks, none, elapsedDays: 1 });

describe('votesToDecision', () => {
  it('is small when one arm clearly leads and large when the votes are split', () => {
    const clear = votesToDecision(tally([0, 1, 9]), defaultDecisionSettings)!;
    const split = votesToDecision(tally([5, 5, 5]), defaultDecisionSettings)!;
    expect(clear).toBeGreaterThan(0);
    expect(clear).toBeLessThanOrEqual(10);
    expect(split).toBeGreaterThan(clear);
  });

  it('never goes past the planned number of votes, and is null once it is reached', () => {
    expect(votesToDecision(tally([0, 0, 0]), defaultDecisionSettings)).toBeLessThanOrEqual(50);
    expect(votesToDecision(tally([20, 20, 10]), defaultDecisionSettings)).toBeNull();
  });

  it('answers the same for the same tally', () => {
    expect(votesToDecision(tally([2, 1, 5]), defaultDecisionSettings)).toBe(votesToDecision(tally([2, 1, 5]), defaultDecisionSettings));
  });
});
