import { describe, expect, it } from 'vitest';
import { decide } from '../main/engine/ab/decision';
import { defaultAbSettings } from '../main/engine/ab/joint-rule';
import { endArm } from './ab-probable';

describe('endArm', () => {
  it('labels a finished test as decide() does at any probable_confidence (winners kept, ties and thin evidence not)', () => {
    const cases = [
      { pBest: [0.72, 0.2, 0.08], votes: 50 },
      { pBest: [0.1, 0.79, 0.11], votes: 50 },
      { pBest: [0.45, 0.45, 0.1], votes: 50 },
      { pBest: [0, 0.3, 0.7], votes: 50 },
      { pBest: [0.9, 0.05, 0.05], votes: 4 },
    ];
    for (const { pBest, votes } of cases) {
      for (const c of [0.7, 0.75, 0.8]) {
        const settings = { ...defaultAbSettings, probableConfidence: c, boundaryFromVote: Number.POSITIVE_INFINITY };
        const tally = { picks: [votes, 0, 0], none: 0, skips: 0, elapsedDays: 7 };
        const d = decide(tally, settings, () => ({ pBest, expectedLoss: [0, 0, 0] }));
        expect(endArm({ winner: null, votes, pBest }, c)).toBe(d.kind === 'probable_winner' ? d.arm : null);
      }
    }
    expect(endArm({ winner: 2, votes: 17, pBest: [0, 0.01, 0.99] }, 0.8)).toBe(2);
  });
});
