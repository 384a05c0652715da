import { mean, quantileSorted } from 'simple-statistics';
import { DEFAULT_PROBABLE_PROMOTION_CONFIDENCE, DEFAULT_PROMOTION_CONFIDENCE, promotionGuard } from '../main/engine/promotion/guard';
import { createRng, pickWeighted, type Rng } from '../main/engine/util/random';
import { bestArm, type Scenario } from './ab-scenarios';

/*
 * One simulated A/B session, task by task, as the engine runs it: each task is a vote round with probability
 * show_probability (the design's 50%), otherwise one arm serves it and the person accepts it or not. The rule
 * decides after every counted vote; at the end its winner (or probable winner) goes through the accuracy guard.
 */

export const SHOW_PROBABILITY = 0.5;
/** Tasks behind the old prompt's measured accuracy (the monitor's window). */
export const BASE_SAMPLES = 30;

export interface SimContext {
  k: number;
  /** Measured offline fitness per arm, and the held-out examples behind it. */
  fitness: number[];
  fitnessSamples: number;
}

/** A counted answer: the arm picked (null for "none is good"), and for best–worst rounds the second best. */
export interface SimAnswer {
  shown: readonly number[];
  best: number | null;
  second: number | null;
}

export type SimOutcome = 'winner' | 'probable' | 'none';
export interface SimDecision {
  outcome: SimOutcome;
  arm: number | null;
}

/** Every task of each arm with feedback, vote picks included: what prompt_variants.served/accepted count. */
export interface ArmFeedback {
  served: readonly number[];
  accepted: readonly number[];
}

export interface SimSession {
  shown(): number[];
  serve(rng: Rng, feedback: ArmFeedback): number;
  vote(answer: SimAnswer, rng: Rng): void;
  served(arm: number, accepted: boolean): void;
  /** Null to go on; called after every counted vote. */
  decide(): SimDecision | null;
}

export interface SimRule {
  name: string;
  /** With three or more options, the person also marks the worst (one more click), giving a full ranking. */
  bestWorst?: boolean;
  start(ctx: SimContext): SimSession;
}

export interface GuardSettings {
  minServed: number;
  minImprovement: number;
  /** For a winner, and for a probable winner. */
  confidence: number;
  probableConfidence: number;
}
/** The accuracy guard before issue 14, and with its posterior check (learning.promotion_confidence). */
export const todayGuard: GuardSettings = { minServed: 5, minImprovement: 0.05, confidence: 0, probableConfidence: 0 };
export const newGuard: GuardSettings = {
  ...todayGuard,
  confidence: DEFAULT_PROMOTION_CONFIDENCE,
  probableConfidence: DEFAULT_PROBABLE_PROMOTION_CONFIDENCE,
};

export interface SessionResult {
  outcome: SimOutcome;
  arm: number | null;
  votes: number;
  rounds: number;
  clicks: number;
  /** The arm promoted through the guard before issue 14, and through the new one; null for none. */
  promotedBefore: number | null;
  promoted: number | null;
}

const binomial = (rng: Rng, n: number, p: number): number => {
  let x = 0;
  for (let i = 0; i < n; i++) if (rng.next() < p) x++;
  return x;
};

const luce = (rng: Rng, shares: readonly number[], arms: readonly number[]): number =>
  pickWeighted(
    rng,
    arms.map((value) => ({ value, weight: shares[value] })),
  );

export function runSession(sc: Scenario, rule: SimRule, rng: Rng, guard: GuardSettings = newGuard): SessionResult {
  const k = sc.shares.length;
  const fitness = sc.fitness.map((f) => binomial(rng, sc.fitnessSamples, f) / sc.fitnessSamples);
  const baseAccuracy = binomial(rng, BASE_SAMPLES, sc.baseAcceptance) / BASE_SAMPLES;
  const session = rule.start({ k, fitness, fitnessSamples: sc.fitnessSamples });
  // What the guard reads: every task of the arm with feedback, vote picks included (prompt_variants.served).
  const served = new Array<number>(k).fill(0);
  const accepted = new Array<number>(k).fill(0);
  let votes = 0;
  let rounds = 0;
  let clicks = 0;
  for (;;) {
    if (rng.next() >= SHOW_PROBABILITY) {
      const arm = session.serve(rng, { served, accepted });
      const ok = rng.next() < sc.acceptance[arm];
      served[arm]++;
      if (ok) accepted[arm]++;
      session.served(arm, ok);
      continue;
    }
    rounds++;
    clicks++;
    const shown = session.shown();
    if (sc.skip && rng.next() < sc.skip) continue;
    votes++;
    let best: number | null = null;
    let second: number | null = null;
    if (!(sc.none && rng.next() < sc.none)) {
      best = luce(rng, sc.shares, shown);
      if (rule.bestWorst && shown.length >= 3) {
        clicks++;
        second = luce(
          rng,
          sc.shares,
          shown.filter((i) => i !== best),
        );
      }
      // The picked output is the task's output; its keep-or-edit counts for the guard like a served task.
      served[best]++;
      if (rng.next() < sc.acceptance[best]) accepted[best]++;
    }
    session.vote({ shown, best, second }, rng);
    const d = session.decide();
    if (!d) continue;
    const through = (guard: GuardSettings): number | null => {
      if (d.arm === null) return null;
      const tasks = { served: served[d.arm], accepted: accepted[d.arm], baseAccuracy, baseSamples: BASE_SAMPLES };
      const confidence = d.outcome === 'probable' ? guard.probableConfidence : guard.confidence;
      return promotionGuard({ ...tasks, ...guard, confidence }).ok ? d.arm : null;
    };
    return { ...d, votes, rounds, clicks, promotedBefore: through(todayGuard), promoted: through(guard) };
  }
}

export interface RuleSummary {
  rule: string;
  sessions: number;
  decided: number;
  probable: number;
  correct: number | null;
  wrongDecided: number;
  wrongProbable: number;
  votes: [number, number];
  clicks: [number, number];
  rounds: [number, number];
  roundsMean: number;
  /** Promotions, of the best arm, and of an arm whose true acceptance is not above the old prompt's: [guard before, new guard]. */
  promoted: [number, number];
  promotedBest: [number, number] | null;
  promotedNotBetter: [number, number];
}

const p50p90 = (xs: number[]): [number, number] => {
  const sorted = xs.slice().sort((a, b) => a - b);
  return [quantileSorted(sorted, 0.5), quantileSorted(sorted, 0.9)];
};

/** Rates are fractions of all sessions; a winner is wrong when it is not the best arm (any winner in A/A). */
export function summarize(rule: string, results: readonly SessionResult[], sc: Scenario): RuleSummary {
  const best = bestArm(sc.shares);
  const n = results.length;
  const rate = (test: (r: SessionResult) => boolean): number => results.filter(test).length / n;
  const wrong = (r: SessionResult): boolean => r.arm !== null && r.arm !== best;
  const notBetter = (arm: (r: SessionResult) => number | null): number =>
    rate((r) => arm(r) !== null && sc.acceptance[arm(r)!] <= sc.baseAcceptance);
  return {
    rule,
    sessions: n,
    decided: rate((r) => r.outcome === 'winner'),
    probable: rate((r) => r.outcome === 'probable'),
    correct: best === null ? null : rate((r) => r.arm === best),
    wrongDecided: rate((r) => r.outcome === 'winner' && wrong(r)),
    wrongProbable: rate((r) => r.outcome === 'probable' && wrong(r)),
    votes: p50p90(results.map((r) => r.votes)),
    clicks: p50p90(results.map((r) => r.clicks)),
    rounds: p50p90(results.map((r) => r.rounds)),
    roundsMean: mean(results.map((r) => r.rounds)),
    promoted: [rate((r) => r.promotedBefore !== null), rate((r) => r.promoted !== null)],
    promotedBest: best === null ? null : [rate((r) => r.promotedBefore === best), rate((r) => r.promoted === best)],
    promotedNotBetter: [notBetter((r) => r.promotedBefore), notBetter((r) => r.promoted)],
  };
}

/** Runs `sessions` sessions of each rule on one scenario, each rule on its own seeded stream. */
export function runScenario(
  sc: Scenario,
  rules: readonly SimRule[],
  sessions: number,
  seed: number | string,
  guard: GuardSettings = newGuard,
): RuleSummary[] {
  return rules.map((rule) => {
    const rng = createRng(`${seed}|${sc.name}|${rule.name}`);
    const results = Array.from({ length: sessions }, () => runSession(sc, rule, rng, guard));
    return summarize(rule.name, results, sc);
  });
}
