import { describe, expect, it } from 'vitest';
import { createRng } from '../util/random';
import { posteriorSummary } from './dirichlet';
import { jointPosterior, offlinePseudoVotes, thompsonActive, type ArmEvidence, type JointModelSettings } from './joint-model';

// The settings of the worked examples in docs/ab-statistics.md (the defaults of config.yaml).
const S: JointModelSettings = { priorVotes: 1, offlineWeight: 0.05, servedSlope: 0.25 };
const arm = (
  picks: number,
  served = 0,
  accepted = 0,
  fitness: number | null = null,
  fitnessSamples: number | null = null,
): ArmEvidence => ({ picks, served, accepted, fitness, fitnessSamples });

describe('jointPosterior: the worked examples of docs/ab-statistics.md', () => {
  it('example 1: picks only, every arm in the test, is Dirichlet(1 + picks)', () => {
    const p = jointPosterior({ arms: [arm(7), arm(1), arm(2)], active: null }, S);
    expect(p.alpha).toEqual([8, 2, 3]);
    [0.93060775, 0.01678459, 0.05260766].forEach((x, i) => expect(p.pBest[i]).toBeCloseTo(x, 7));
    [0.01838165, 1.61123879, 1.11123879].forEach((x, i) => expect(p.expectedLoss[i]).toBeCloseTo(x, 6));
    expect(p.tilted).toBe(false);
  });

  it('example 2: offline scores as pseudo-votes', () => {
    const arms = [arm(4, 0, 0, 0.7, 100), arm(1, 0, 0, 0.6, 100), arm(2, 0, 0, 0.62, 100)];
    // f̃ = (100 f + ½)/101, odds f̃/(1 − f̃) = 70.5/30.5, 60.5/40.5, 62.5/38.5; B = 0.05 · 100 = 5 split by the odds.
    const odds = [70.5 / 30.5, 60.5 / 40.5, 62.5 / 38.5];
    const votes = odds.map((o) => (5 * o) / (odds[0] + odds[1] + odds[2]));
    const p = jointPosterior({ arms, active: null }, S);
    p.offlineVotes.forEach((v, i) => expect(v).toBeCloseTo(votes[i], 12));
    p.alpha.forEach((a, i) => expect(a).toBeCloseTo(1 + votes[i] + [4, 1, 2][i], 12));
    const reference = posteriorSummary(p.alpha, 1e-300).pBest;
    p.pBest.forEach((x, i) => expect(x).toBeCloseTo(reference[i], 7));
  });

  it('example 3: served outcomes tilt the Dirichlet (a double integral)', () => {
    const p = jointPosterior({ arms: [arm(6, 6, 5), arm(1, 3, 1), arm(2, 4, 2)], active: null }, S);
    expect(p.alpha).toEqual([7, 2, 3]);
    expect(p.tilted).toBe(true);
    [0.91197929, 0.01951937, 0.06850133].forEach((x, i) => expect(p.pBest[i]).toBeCloseTo(x, 5));
  });

  it('example 4: an arm out of the test drops out of the comparison exactly', () => {
    const p = jointPosterior({ arms: [arm(9), arm(1), arm(4)], active: [0, 2] }, S);
    // X_0 ~ Gamma(10), X_2 ~ Gamma(5): P(X_0 > X_2) = P(Beta(10, 5) > ½) = P(Binomial(14, ½) ≤ 9) = 14913/16384.
    expect(p.pBest[0]).toBeCloseTo(14913 / 16384, 8);
    expect(p.pBest[1]).toBe(0);
    expect(p.expectedLoss[1]).toBeNaN();
    expect(p.active).toEqual([0, 2]);
  });
});

describe('offlinePseudoVotes', () => {
  it('needs scores for two arms; an unscored arm gets the mean logit of the others', () => {
    expect(offlinePseudoVotes([arm(0, 0, 0, 0.7, 100), arm(0), arm(0)], S)).toEqual([0, 0, 0]);
    const votes = offlinePseudoVotes([arm(0, 0, 0, 0.7, 100), arm(0, 0, 0, 0.5, 100), arm(0)], S);
    expect(votes.reduce((s, v) => s + v, 0)).toBeCloseTo(5, 12);
    expect(votes[0]).toBeGreaterThan(votes[2]);
    expect(votes[2]).toBeGreaterThan(votes[1]);
    expect(offlinePseudoVotes([arm(0, 0, 0, 0.7, 100), arm(0, 0, 0, 0.5, 100)], { ...S, offlineWeight: 0 })).toEqual([0, 0]);
  });

  it('weighs by the smallest sample behind the scores', () => {
    const votes = offlinePseudoVotes([arm(0, 0, 0, 0.7, 40), arm(0, 0, 0, 0.5, 100)], S);
    expect(votes[0] + votes[1]).toBeCloseTo(0.05 * 40, 12);
  });
});

describe('thompsonActive', () => {
  it('serves only arms in the test, the likely best most often', () => {
    const p = jointPosterior({ arms: [arm(1), arm(12), arm(3)], active: [1, 2] }, S);
    const rng = createRng('serve');
    const counts = [0, 0, 0];
    for (let i = 0; i < 2000; i++) counts[thompsonActive(p, rng)]++;
    expect(counts[0]).toBe(0);
    expect(counts[1]).toBeGreaterThan(counts[2] * 5);
  });
});

describe('jointPosterior input checks', () => {
  it('rejects inconsistent evidence', () => {
    expect(() => jointPosterior({ arms: [arm(1.5), arm(0)], active: null }, S)).toThrow(/picks/);
    expect(() => jointPosterior({ arms: [arm(1, 2, 3), arm(0)], active: null }, S)).toThrow(/accepted/);
    expect(() => jointPosterior({ arms: [arm(1), arm(0)], active: [0, 0] }, S)).toThrow(/distinct/);
    expect(() => jointPosterior({ arms: [arm(1), arm(0)], active: [2] }, S)).toThrow(/indices/);
    expect(() => jointPosterior({ arms: [arm(1, 0, 0, 1.5, 10), arm(0)], active: null }, S)).toThrow(/fitness/);
  });
});

describe('jointPosterior: teammates\' weighted picks (README "Teams")', () => {
  it("enter as extra picks: weight 1 is the same posterior as the picks being one's own; weight ½ counts them half", () => {
    const own = jointPosterior({ arms: [arm(7), arm(1), arm(2)], active: null }, S);
    const arms = [
      { ...arm(4), peerPicks: 3 },
      { ...arm(1), peerPicks: 0 },
      { ...arm(1), peerPicks: 1 },
    ];
    const pooled = jointPosterior({ arms, active: null }, S);
    expect(pooled.alpha).toEqual(own.alpha);
    pooled.pBest.forEach((x, i) => expect(x).toBeCloseTo(own.pBest[i], 12));
    const half = jointPosterior({ arms: [{ ...arm(4), peerPicks: 1.5 }, arm(1), { ...arm(1), peerPicks: 0.5 }], active: null }, S);
    expect(half.alpha).toEqual([6.5, 2, 2.5]);
    const reference = posteriorSummary(half.alpha, 1e-300).pBest;
    half.pBest.forEach((x, i) => expect(x).toBeCloseTo(reference[i], 7));
    expect(() => jointPosterior({ arms: [{ ...arm(1), peerPicks: -1 }, arm(0)], active: null }, S)).toThrow(/peer picks/);
  });
});
