import { describe, expect, it } from 'vitest';
import { decide } from './decision';
import type { ArmEvidence } from './joint-model';
import { decideSession, defaultAbSettings, dirichletAbSettings, shownArms, type SessionEvidence } from './joint-rule';

const arm = (picks: number, served = 0, accepted = 0): ArmEvidence => ({ picks, served, accepted, fitness: null, fitnessSamples: null });
const evidence = (picks: number[], extra: Partial<SessionEvidence> = {}): SessionEvidence =>
  ({ arms: picks.map((p) => arm(p)), active: null, none: 0, skips: 0, elapsedDays: 1, ...extra });

describe('decideSession, joint rule (the defaults)', () => {
  it('waits for min_votes, then looks after every vote', () => {
    expect(decideSession(evidence([4, 0, 0])).decision).toMatchObject({ kind: 'continue', nextLookAt: 5 });
    const d = decideSession(evidence([6, 1, 1])).decision;
    expect(d.kind).toBe('continue');
    expect(d.nextLookAt).toBe(9);
  });

  it('declares a winner as soon as P(best) reaches decision_confidence', () => {
    // Dirichlet(10, 1, 2): P(best) of arm 0 is 0.993 after 10 votes.
    const { decision, posterior } = decideSession(evidence([9, 0, 1]));
    expect(decision).toMatchObject({ kind: 'winner', arm: 0, votes: 10 });
    expect(decision.pBest[0]).toBeGreaterThan(0.985);
    expect(decision.pBest).toEqual(posterior!.pBest);
    expect(decision.reason).toBe('P(best) 0.993 ≥ 0.985 at 10 votes');
  });

  it('ends at votes_required with a probable winner at P(best) ≥ probable_confidence, or none', () => {
    const probable = decideSession(evidence([22, 15, 13])).decision;
    expect(probable.pBest[0]).toBeGreaterThan(0.7);
    expect(probable).toMatchObject({ kind: 'probable_winner', arm: 0 });
    expect(decideSession(evidence([17, 17, 16])).decision.kind).toBe('no_clear_winner');
  });

  it('counts "none is good" as a vote but not in the comparison, and never uses the Miller boundary', () => {
    const d = decideSession(evidence([20, 3, 5], { none: 2 })).decision;
    expect(d.votes).toBe(30);
    expect(d.boundary).toBeCloseTo(15.9, 1);
    // 17 votes ahead at 30 would pass the Miller boundary under the dirichlet rule; here P(best) decides.
    const rule = decideSession(evidence([20, 3, 5], { none: 2 }), { ...defaultAbSettings, decisionConfidence: 0.999999 }).decision;
    expect(rule.kind).toBe('continue');
  });

  it('compares only the arms still in the test', () => {
    const { decision, posterior } = decideSession(evidence([9, 1, 4], { active: [0, 2] }));
    expect(posterior!.active).toEqual([0, 2]);
    expect(decision.pBest[1]).toBe(0);
    expect(decision.pBest[0]).toBeCloseTo(14913 / 16384, 8);
  });
});

describe('decideSession, dirichlet rule', () => {
  it('is the rule before issue 14, exactly', () => {
    for (const picks of [[7, 0, 0], [10, 0, 0], [10, 2, 3], [21, 3, 5], [17, 17, 16]]) {
      const outcome = decideSession(evidence(picks), dirichletAbSettings);
      expect(outcome.posterior).toBeNull();
      expect(outcome.decision).toEqual(decide({ picks, none: 0, skips: 0, elapsedDays: 1 }, dirichletAbSettings));
    }
  });
});

describe('shownArms', () => {
  const posterior = (active: number[], pBest: number[]) => ({ active, pBest });

  it('drops arms below drop_below from later rounds', () => {
    expect(shownArms(posterior([0, 1, 2], [0.9, 0.005, 0.095]), 0.01)).toEqual([0, 2]);
    expect(shownArms(posterior([0, 1, 2], [0.5, 0.2, 0.3]), 0.01)).toEqual([0, 1, 2]);
  });

  it('always shows two arms: the two most likely best, ties to the lower index', () => {
    expect(shownArms(posterior([0, 1, 2, 3], [0.995, 0.002, 0.002, 0.001]), 0.01)).toEqual([0, 1]);
    expect(shownArms(posterior([0, 2], [0.999, 0, 0.001]), 0.01)).toEqual([0, 2]);
  });

  it('never brings back an arm that left', () => {
    expect(shownArms(posterior([0, 2], [0.6, 0, 0.4]), 0.01)).toEqual([0, 2]);
  });
});
