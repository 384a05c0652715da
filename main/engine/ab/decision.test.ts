import { describe, it, expect } from 'vitest';
import { decide, defaultDecisionSettings, millerBoundary, type VoteTally } from './decision';
import { probabilityBest } from './dirichlet';

const tally = (picks: number[], extra: Partial<VoteTally> = {}): VoteTally => ({ picks, none: 0, skips: 0, elapsedDays: 1, ...extra });

describe('millerBoundary', () => {
  it('is 2.25·√N', () => {
    expect(millerBoundary(50)).toBeCloseTo(15.91, 2);
    expect(millerBoundary(100)).toBe(22.5);
  });
});

describe('decide', () => {
  it('continues before the first look and says when it is', () => {
    const d = decide(tally([7, 0, 0]));
    expect(d.kind).toBe('continue');
    expect(d.arm).toBeNull();
    expect(d.votes).toBe(7);
    expect(d.nextLookAt).toBe(10);
    expect(d.reason).toContain('first look is at 10');
  });

  it('declares a winner at a look when P(best) reaches 0.97', () => {
    const picks = [10, 0, 0];
    expect(probabilityBest(picks)[0]).toBeGreaterThan(0.97);
    const d = decide(tally(picks));
    expect(d).toMatchObject({ kind: 'winner', arm: 0, leader: 0, votes: 10, nextLookAt: null });
    expect(d.reason).toMatch(/^P\(best\) 0\.9\d\d ≥ 0\.97 at 10 votes$/);
    expect(d.expectedLoss[0]).toBeLessThan(d.expectedLoss[1]);
  });

  it('does not decide between looks even when confident', () => {
    const d = decide(tally([2, 11, 0]));
    expect(d.pBest[1]).toBeGreaterThan(0.97);
    expect(d.kind).toBe('continue');
    expect(d.leader).toBe(1);
    expect(d.nextLookAt).toBe(15);
    expect(d.reason).not.toContain('<');
  });

  it('continues at a look below the threshold and names the next look', () => {
    const d = decide(tally([10, 2, 3]));
    expect(d.pBest[0]).toBeGreaterThan(0.95);
    expect(d.pBest[0]).toBeLessThan(0.97);
    expect(d).toMatchObject({ kind: 'continue', votes: 15, nextLookAt: 20 });
    expect(d.reason).toMatch(/^P\(best\) 0\.96\d < 0\.97 at 15 votes; next look at 20$/);
  });

  it('counts "none" votes but never skips', () => {
    const d = decide(tally([3, 2, 1], { none: 4, skips: 9 }));
    expect(d.votes).toBe(10);
    expect(d.kind).toBe('continue');
    expect(d.pBest).toEqual(probabilityBest([3, 2, 1]));
  });

  it('applies the Miller boundary from vote 30 when P(best) is not yet enough', () => {
    const settings = { ...defaultDecisionSettings, decisionConfidence: 0.999999 };
    const d = decide(tally([21, 3, 5], { none: 1 }), settings);
    expect(d.pBest[0]).toBeLessThan(0.999999);
    expect(d).toMatchObject({ kind: 'winner', arm: 0, boundary: millerBoundary(50) });
    expect(d.reason).toBe('Ahead by 16 votes (boundary 15.9) at 30 votes');
    expect(decide(tally([20, 4, 6]), settings).kind).toBe('continue');
  });

  it('ignores the Miller boundary before vote 30', () => {
    const settings = { ...defaultDecisionSettings, decisionConfidence: 0.999999 };
    expect(decide(tally([20, 2, 3]), settings).kind).toBe('continue');
  });

  it('ends at maxVotes at any count, with a probable winner or none', () => {
    const probable = decide(tally([21, 13, 12], { none: 5 }));
    expect(probable.votes).toBe(51);
    expect(probable.pBest[0]).toBeGreaterThanOrEqual(0.8);
    expect(probable).toMatchObject({ kind: 'probable_winner', arm: 0, nextLookAt: null });
    expect(probable.reason).toMatch(/^Test ended at 51 votes: P\(best\) 0\.\d{3} ≥ 0\.8, a probable winner$/);

    const unclear = decide(tally([17, 17, 16]));
    expect(unclear).toMatchObject({ kind: 'no_clear_winner', arm: null, nextLookAt: null });
    expect(unclear.reason).toContain('no clear winner');
  });

  it('ends after maxDurationDays even between looks, still allowing a confident winner', () => {
    const confident = decide(tally([12, 0, 1], { elapsedDays: 7 }));
    expect(confident).toMatchObject({ kind: 'winner', arm: 0, votes: 13 });
    const weak = decide(tally([2, 1, 0], { elapsedDays: 8 }));
    expect(weak.kind).toBe('no_clear_winner');
    expect(weak.reason).toMatch(/^Test ended after 7 days at 3 votes/);
  });

  it('gives no winner, not even a probable one, when time runs out before min_votes', () => {
    const few = decide(tally([6, 0, 0], { elapsedDays: 7 }));
    expect(few.pBest[0]).toBeGreaterThan(0.8);
    expect(few).toMatchObject({ kind: 'no_clear_winner', arm: null });
    expect(few.reason).toMatch(/fewer than 10 votes/);
  });

  it('never declares a winner on tied P(best)', () => {
    const d = decide(tally([25, 25, 0]));
    expect(d.pBest[0]).toBeCloseTo(d.pBest[1], 9);
    expect(d.kind).toBe('no_clear_winner');
    const relaxed = { ...defaultDecisionSettings, probableConfidence: 0.4 };
    expect(decide(tally([25, 25, 0]), relaxed).kind).toBe('no_clear_winner');
  });

  it('caps the next look at maxVotes', () => {
    const settings = { ...defaultDecisionSettings, maxVotes: 22 };
    expect(decide(tally([8, 6, 6]), settings).nextLookAt).toBe(22);
  });

  it('writes reasons as one sentence without a final period (callers append to them)', () => {
    for (const picks of [
      [3, 0, 0],
      [10, 0, 0],
      [10, 2, 3],
      [17, 17, 16],
    ]) {
      const reason = decide(tally(picks)).reason;
      expect(reason).not.toMatch(/\.$/);
      expect(reason.length).toBeLessThan(90);
    }
  });

  it('uses an injected posterior', () => {
    const d = decide(tally([5, 5, 5]), defaultDecisionSettings, () => ({ pBest: [0.1, 0.88, 0.02], expectedLoss: [0, 0, 0] }));
    expect(d).toMatchObject({ kind: 'continue', leader: 1 });
  });

  it('rejects bad tallies and settings', () => {
    expect(() => decide(tally([3]))).toThrow(RangeError);
    expect(() => decide(tally([1, -1, 0]))).toThrow(RangeError);
    expect(() => decide(tally([1.5, 0, 0]))).toThrow(RangeError);
    expect(() => decide(tally([1, 1]), { ...defaultDecisionSettings, lookEvery: 0 })).toThrow(RangeError);
  });
});
