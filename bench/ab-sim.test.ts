import { describe, it, expect } from 'vitest';
import { posteriorSummary } from '../main/engine/ab/dirichlet';
import { createRng } from '../main/engine/util/random';
import {
  bestArm,
  betaCdf,
  cachedPosterior,
  fixedChiSquareRule,
  independentBetaPBest,
  oursRule,
  runScenario,
  scenarios,
  seedRule,
  type Scenario,
} from './ab-sim';

const SESSIONS = 300;
const byName = (name: string): Scenario => scenarios.find((s) => s.name.startsWith(name))!;
const posterior = cachedPosterior();
const ours = oursRule(undefined, posterior);

describe('simulation helpers', () => {
  it('knows the best arm, and that A/A has none', () => {
    expect(bestArm(byName('0.67'))).toBe(0);
    expect(bestArm(byName('A/A'))).toBeNull();
  });

  it('caches the posterior by sorted counts without changing it', () => {
    for (const picks of [[3, 1, 2], [2, 3, 1], [4, 4, 0]]) {
      const cached = posterior(picks);
      const direct = posteriorSummary(picks);
      for (let i = 0; i < 3; i++) expect(cached.pBest[i]).toBeCloseTo(direct.pBest[i], 12);
    }
  });

  it('computes Beta CDFs and P(best) over independent Betas', () => {
    expect(betaCdf(0.3, 2, 3)).toBeCloseTo(1 - 0.7 ** 4 - 4 * 0.3 * 0.7 ** 3, 12);
    expect(betaCdf(0.5, 7, 7)).toBeCloseTo(0.5, 12);
    // X ~ Beta(2, 1), Y ~ Beta(1, 1): P(X > Y) = ∫ 2x · x dx = 2/3.
    expect(independentBetaPBest([1, 0], [0, 0])[0]).toBeCloseTo(2 / 3, 8);
    for (const p of independentBetaPBest([4, 4, 4], [6, 6, 6])) expect(p).toBeCloseTo(1 / 3, 8);
  });
});

describe('rules on simulated sessions', () => {
  it('ours finds a clear winner fast and rarely picks a wrong one', () => {
    const [row] = runScenario(byName('0.67/0.13/0.20'), [ours], SESSIONS, 'test');
    expect(row.correct).toBeGreaterThan(0.93);
    expect(row.wrongDecided + row.wrongProbable).toBeLessThan(0.02);
    expect(row.votesMedian).toBeLessThanOrEqual(25);
    expect(row.votesP90).toBeLessThanOrEqual(50);
  });

  it('ours seldom declares a confident winner in an A/A test', () => {
    const [row] = runScenario(byName('A/A'), [ours], SESSIONS, 'test');
    expect(row.correct).toBeNull();
    expect(row.wrongDecided).toBeLessThan(0.08);
    expect(row.votesMedian).toBe(50);
  });

  it('skips cost rounds but not votes, and "none" votes count', () => {
    const [skips] = runScenario(byName('0.67/0.13/0.20 + 20% skips'), [ours], SESSIONS, 'test');
    expect(skips.roundsMedian).toBeGreaterThan(skips.votesMedian);
    expect(skips.correct).toBeGreaterThan(0.93);
    const [none] = runScenario(byName('0.67/0.13/0.20 + 10% none'), [ours], SESSIONS, 'test');
    expect(none.correct).toBeGreaterThan(0.93);
    expect(none.roundsMedian).toBe(none.votesMedian);
  });

  it('the seed rule read as "every unpicked variant fails" stops falsely far more often in A/A', () => {
    const [written, unpicked] = runScenario(byName('A/A'), [seedRule('as-written'), seedRule('all-unpicked-fail')], SESSIONS, 'test');
    expect(written.wrongDecided).toBeLessThan(0.08);
    expect(unpicked.wrongDecided).toBeGreaterThan(0.15);
    expect(written.wrongDecided + written.wrongProbable).toBe(1);
  });

  it('the fixed test always takes 50 votes and keeps its 5% false-positive rate roughly', () => {
    const [aa] = runScenario(byName('A/A'), [fixedChiSquareRule()], SESSIONS, 'test');
    expect(aa.votesMedian).toBe(50);
    expect(aa.votesP90).toBe(50);
    expect(aa.wrongDecided).toBeLessThan(0.12);
    const [clear] = runScenario(byName('0.67/0.13/0.20'), [fixedChiSquareRule()], SESSIONS, 'test');
    expect(clear.correct).toBeGreaterThan(0.95);
  });

  it('is deterministic for a seed', () => {
    const run = () => runScenario(byName('0.50'), [oursRule(undefined, posterior)], 50, 'same');
    expect(run()).toEqual(run());
    const rng = createRng('x');
    expect(ours.run(byName('0.50'), rng).votes).toBeGreaterThanOrEqual(10);
  });
});
