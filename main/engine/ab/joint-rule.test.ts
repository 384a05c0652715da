import { describe, expect, it } from 'vitest';
import { decide } from './decision';
import type { ArmEvidence } from './joint-model';
import { decideSession, defaultAbSettings, dirichletAbSettings, shownArms, type SessionEvidence } from './joint-rule';

const arm = (picks: number, served = 0, accepted = 0): ArmEvidence => ({ picks, served, accepted, fitness: null, fitnessSamples: null });
const evidence = (picks: number[], extra: Partial<SessionEvidence> = {}): SessionEvidence => ({
  arms: picks.map((p) => arm(p)),
  active: null,
  none: 0,
  skips: 0,
  elapsedDays: 1,
  ...extra,
});

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
    for (const picks of [
      [7, 0, 0],
      [10, 0, 0],
      [10, 2, 3],
      [21, 3, 5],
      [17, 17, 16],
    ]) {
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

/*
 * Fixed inputs → the rule's numbers, with the default settings (prior_votes 1, offline_weight 0.05, served_slope
 * 0.25, decision_confidence 0.985, drop_below 0.01). The expected values were computed independently of this code,
 * with the model of docs/ab-statistics.md on trapezoid grids (t ∈ [−40, 6] by 0.001; η' ∈ [−30, 30] by 0.02).
 */
describe('the joint rule on pinned cases', () => {
  const A = (
    picks: number,
    served = 0,
    accepted = 0,
    fitness: number | null = null,
    fitnessSamples: number | null = null,
  ): ArmEvidence => ({ picks, served, accepted, fitness, fitnessSamples });
  const cases: {
    name: string;
    evidence: SessionEvidence;
    alpha: number[];
    pBest: number[];
    loss: number[];
    kind: string;
    votes: number;
    shown: number[];
  }[] = [
    {
      name: 'picks only, 10 votes: no winner yet, every arm still shown',
      evidence: { arms: [A(7), A(1), A(2)], active: null, none: 0, skips: 2, elapsedDays: 1 },
      alpha: [8, 2, 3],
      pBest: [0.93060771, 0.0167846, 0.05260769],
      loss: [0.018382, 1.611239, 1.111239],
      kind: 'continue',
      votes: 10,
      shown: [0, 1, 2],
    },
    {
      name: 'picks only, 15 votes: a winner, and B (P(best) 0.0001) leaves the rounds',
      evidence: { arms: [A(12), A(0), A(3)], active: null, none: 0, skips: 0, elapsedDays: 1 },
      alpha: [13, 1, 4],
      pBest: [0.98926279, 0.00010906, 0.01062815],
      loss: [0.001843, 3.105054, 1.271721],
      kind: 'winner',
      votes: 15,
      shown: [0, 2],
    },
    {
      name: 'offline scores 0.75 / 0.60 / 0.60 on 80 examples: 4 pseudo-votes, most to A',
      evidence: { arms: [A(5, 0, 0, 0.75, 80), A(2, 0, 0, 0.6, 80), A(3, 0, 0, 0.6, 80)], active: null, none: 0, skips: 0, elapsedDays: 1 },
      alpha: [7.988748, 4.005626, 5.005626],
      pBest: [0.74270659, 0.0845085, 0.17278492],
      loss: [0.082396, 0.838825, 0.589176],
      kind: 'continue',
      votes: 10,
      shown: [0, 1, 2],
    },
    {
      name: 'served tasks accepted 6 of 7, 1 of 2, 1 of 3 tilt the picks 8 / 2 / 2',
      evidence: { arms: [A(8, 7, 6), A(2, 2, 1), A(2, 3, 1)], active: null, none: 0, skips: 0, elapsedDays: 1 },
      alpha: [9, 3, 3],
      pBest: [0.95501253, 0.02447685, 0.02051062],
      loss: [0.01026, 1.285201, 1.349021],
      kind: 'continue',
      votes: 12,
      shown: [0, 1, 2],
    },
    {
      name: 'every signal, B out of the test: its picks and served tasks drop out; "none" counts as a vote',
      evidence: {
        arms: [A(10, 7, 6, 0.72, 100), A(1, 4, 2, 0.6, 100), A(2, 3, 1, 0.6, 100)],
        active: [0, 2],
        none: 1,
        skips: 0,
        elapsedDays: 1,
      },
      alpha: [13.299424, 3.350288, 4.350288],
      pBest: [0.99126503, 0, 0.00873497],
      loss: [0.001439, Number.NaN, 1.282612],
      kind: 'winner',
      votes: 14,
      shown: [0, 2],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const { decision, posterior } = decideSession(c.evidence);
      c.alpha.forEach((a, i) => expect(posterior!.alpha[i]).toBeCloseTo(a, 5));
      c.pBest.forEach((p, i) => expect(posterior!.pBest[i]).toBeCloseTo(p, 6));
      c.loss.forEach((l, i) => {
        if (Number.isNaN(l)) expect(posterior!.expectedLoss[i]).toBeNaN();
        else expect(posterior!.expectedLoss[i]).toBeCloseTo(l, 5);
      });
      expect(decision.kind).toBe(c.kind);
      expect(decision.votes).toBe(c.votes);
      if (c.kind === 'winner') expect(decision.arm).toBe(0);
      expect(decision.pBest).toEqual(posterior!.pBest);
      expect(shownArms(posterior!, defaultAbSettings.dropBelow)).toEqual(c.shown);
    });
  }
});
