import { describe, expect, it } from 'vitest';
import { betaCdf } from '../main/engine/ab/beta';
import { posteriorSummary } from '../main/engine/ab/dirichlet';
import { createRng } from '../main/engine/util/random';
import { BASES, BASE_ACCEPTANCE, bestArm, makeScenario, allScenarios } from './ab-scenarios';
import { cachedPosterior, fixedChiSquareRule, independentBetaPBest, jointRule, makeRule, seedRule } from './ab-rules';
import { runScenario } from './ab-sim';
import { bestWorstRule } from './ab-best-worst';
import { defaultAbSettings } from '../main/engine/ab/joint-rule';

const SESSIONS = 200;
const [clear, , tie, aa] = BASES;
const flat = (base: (typeof BASES)[number], extra: { skip?: number; none?: number } = {}) => makeScenario(base, 'flat', 'flat', extra);

describe('scenarios', () => {
  it('cross every base with served and prior signals, then skips and none', () => {
    const all = allScenarios();
    expect(all).toHaveLength(37);
    expect(new Set(all.map((s) => s.name)).size).toBe(37);
    const aaVariants = all.filter((s) => s.base === aa.name).map((s) => `${s.served}/${s.prior}`);
    expect(aaVariants).toEqual(['flat/flat', 'flat/wrong', 'flat/flat', 'flat/flat']);
  });

  it('know the best arm, and keep A/A variants no better than the old prompt', () => {
    expect(bestArm(clear.shares)).toBe(0);
    expect(bestArm(aa.shares)).toBeNull();
    expect(makeScenario(aa, 'flat', 'wrong').acceptance).toEqual([BASE_ACCEPTANCE, BASE_ACCEPTANCE, BASE_ACCEPTANCE]);
    const agree = makeScenario(clear, 'agree', 'right');
    expect(agree.acceptance[0]).toBeGreaterThan(agree.acceptance[2]);
    expect(agree.fitness[0]).toBeGreaterThan(agree.fitness[1]);
    const wrong = makeScenario(clear, 'disagree', 'wrong');
    expect(wrong.acceptance[0]).toBeLessThan(wrong.acceptance[1]);
    expect(wrong.fitness[1]).toBeGreaterThan(wrong.fitness[0]);
  });
});

describe('simulation helpers', () => {
  it('cache the Dirichlet posterior by sorted counts without changing it', () => {
    const posterior = cachedPosterior();
    for (const picks of [
      [3, 1, 2],
      [2, 3, 1],
      [4, 4, 0],
    ]) {
      const direct = posteriorSummary(picks);
      posterior(picks).pBest.forEach((p, i) => expect(p).toBeCloseTo(direct.pBest[i], 12));
    }
  });

  it('compute Beta CDFs and P(best) over independent Betas', () => {
    expect(betaCdf(0.3, 2, 3)).toBeCloseTo(1 - 0.7 ** 4 - 4 * 0.3 * 0.7 ** 3, 12);
    expect(betaCdf(0.5, 7, 7)).toBeCloseTo(0.5, 12);
    expect(independentBetaPBest([1, 0], [0, 0])[0]).toBeCloseTo(2 / 3, 8);
  });
});

describe('rules on simulated sessions', () => {
  it('the joint rule finds a clear winner and drops the arm that lost', () => {
    const [row] = runScenario(flat(clear), [makeRule('new')], SESSIONS, 'test');
    expect(row.correct).toBeGreaterThan(0.95);
    expect(row.votes[0]).toBeLessThanOrEqual(25);
    // One session, vote by vote: the arm nobody picks leaves once its P(best) is below 1%, for good.
    const session = jointRule().start({ k: 3, fitness: [0.6, 0.6, 0.6], fitnessSamples: 100 });
    const shown: number[][] = [];
    for (const best of [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]) {
      shown.push(session.shown());
      session.vote({ shown: shown[shown.length - 1], best, second: null }, createRng(best));
    }
    expect(shown[0]).toEqual([0, 1, 2]);
    expect(session.shown()).toEqual([0, 2]);
  });

  it('the joint rule seldom declares a winner in an A/A test, and its guard seldom promotes one', () => {
    const [today, joint] = runScenario(flat(aa), [makeRule('today'), makeRule('new')], SESSIONS, 'test');
    expect(joint.correct).toBeNull();
    expect(joint.wrongDecided).toBeLessThan(0.08);
    expect(joint.promotedNotBetter[1]).toBeLessThan(0.1);
    expect(today.promotedNotBetter[0]).toBeGreaterThan(joint.promotedNotBetter[1] / 2);
  });

  it('skips cost rounds and clicks but not votes', () => {
    const [row] = runScenario(flat(clear, { skip: 0.2 }), [makeRule('new')], SESSIONS, 'test');
    expect(row.rounds[0]).toBeGreaterThan(row.votes[0]);
    expect(row.clicks).toEqual(row.rounds);
  });

  it('best–worst rounds cost two clicks', () => {
    const rules = [bestWorstRule(defaultAbSettings, false), bestWorstRule(defaultAbSettings, true)];
    const [best, both] = runScenario(flat(tie), rules, 60, 'test');
    expect(best.clicks).toEqual(best.rounds);
    expect(both.clicks[0]).toBeGreaterThan(both.rounds[0]);
  });

  it('the seed rule read as "every unpicked variant fails" stops falsely far more often in A/A', () => {
    const [written, unpicked] = runScenario(flat(aa), [seedRule('as-written'), seedRule('all-unpicked-fail')], SESSIONS, 'test');
    expect(written.wrongDecided).toBeLessThan(0.08);
    expect(unpicked.wrongDecided).toBeGreaterThan(0.15);
    expect(written.wrongDecided + written.wrongProbable).toBe(1);
  });

  it('the fixed test always takes 50 votes', () => {
    const [row] = runScenario(flat(aa), [fixedChiSquareRule()], SESSIONS, 'test');
    expect(row.votes).toEqual([50, 50]);
    expect(row.wrongDecided).toBeLessThan(0.12);
  });

  it('is deterministic for a seed', () => {
    const run = () => runScenario(makeScenario(BASES[1], 'agree', 'right'), [makeRule('new')], 30, 'same');
    expect(run()).toEqual(run());
  });
});
