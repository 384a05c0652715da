import type { Rng } from '../util/random';
import { armPosterior, type ArmPosteriorInput } from './arm-posterior';

/*
 * The joint model of docs/ab-statistics.md ("The joint rule"). Every arm has a pick share p_j, its quality:
 *   picks     a round showing the arms S is won by arm i with probability p_i / Σ_{j∈S} p_j (Luce's choice axiom);
 *   prior     p ~ Dirichlet(α⁰), α⁰_j = prior_votes + B·π_j: the offline scores count as B = offline_weight · n
 *             pseudo-votes (n: held-out examples behind them), split in proportion to the odds f̃_j/(1 − f̃_j);
 *   served    arm j's served tasks are accepted with probability σ(η + λ log p_j), a flat prior on the level η.
 * Arms leave the test when their P(best) falls below drop_below; every round shows every arm still in it, so the
 * shares of those arms relative to each other have the posterior Dirichlet(α⁰_j + picks_j) (the aggregation
 * property: picks of arms that left and the rounds' other options drop out exactly), tilted by served outcomes.
 */

export interface ArmEvidence {
  /** Rounds this arm won (all rounds; none-is-good and skips are not picks). */
  picks: number;
  /** Served tasks (not vote rounds) with feedback, and how many were accepted unchanged. */
  served: number;
  accepted: number;
  /** The evolution's offline score in [0, 1] and the held-out examples behind it; null when unknown. */
  fitness: number | null;
  fitnessSamples: number | null;
  /**
   * Teammates' picks of this arm, already weighted (team.peer_vote_weight · count; README "Teams"): extra picks in
   * the choice model, from their rounds that showed every arm still in the test here. 0 or absent without a team.
   */
  peerPicks?: number;
}

export interface JointEvidence {
  arms: readonly ArmEvidence[];
  /** Arms still in the test (shown in every round so far); null when all are. */
  active: readonly number[] | null;
}

export interface JointModelSettings {
  /** α⁰ before the offline scores: 1 is the flat Dirichlet. */
  priorVotes: number;
  /** Pseudo-votes per held-out example: the discount of the offline score. */
  offlineWeight: number;
  /** λ: served acceptance logit per unit of log pick share. */
  servedSlope: number;
}

export const defaultJointModelSettings: JointModelSettings = { priorVotes: 1, offlineWeight: 0.05, servedSlope: 0.25 };

export interface JointPosterior {
  active: number[];
  /** Dirichlet parameters α⁰_j + picks_j (+ weighted peer picks) of every arm (the arms out of the test included, for reference). */
  alpha: number[];
  /** The offline pseudo-votes B·π_j (0 without usable offline scores). */
  offlineVotes: number[];
  /** P(best) among the arms in the test; 0 for the others. */
  pBest: number[];
  /** E[max_j log p_j − log p_i] among the arms in the test; NaN for the others. */
  expectedLoss: number[];
  /** Whether served outcomes entered. */
  tilted: boolean;
  /** What the arms in the test contribute (in `active` order) and λ. */
  armInputs: ArmPosteriorInput[];
  slope: number;
  /** A Thompson draw from this posterior: the arm (index among all arms) with the largest sampled share. */
  draw: (rng: Rng) => number;
}

const logit = (p: number): number => Math.log(p / (1 - p));

function check(e: JointEvidence, s: JointModelSettings): void {
  const k = e.arms.length;
  if (k < 1) throw new RangeError('need at least one arm');
  if (!(s.priorVotes > 0 && s.offlineWeight >= 0 && s.servedSlope > 0)) {
    throw new RangeError('prior_votes and served_slope must be > 0, offline_weight >= 0');
  }
  e.arms.forEach((a, i) => {
    if (!(Number.isInteger(a.picks) && a.picks >= 0)) throw new RangeError(`arm ${i}: picks must be an integer >= 0`);
    if (!(Number.isFinite(a.served) && a.accepted >= 0 && a.served >= a.accepted)) {
      throw new RangeError(`arm ${i}: need 0 <= accepted <= served`);
    }
    if (a.fitness !== null && !(a.fitness >= 0 && a.fitness <= 1)) throw new RangeError(`arm ${i}: fitness must be in [0, 1]`);
    if (a.peerPicks !== undefined && !(Number.isFinite(a.peerPicks) && a.peerPicks >= 0)) {
      throw new RangeError(`arm ${i}: peer picks must be >= 0`);
    }
  });
  if (e.active) {
    if (e.active.length < 1 || new Set(e.active).size !== e.active.length) throw new RangeError('active arms must be distinct');
    if (e.active.some((i) => !Number.isInteger(i) || i < 0 || i >= k)) throw new RangeError('active arms must be arm indices');
  }
}

/**
 * B·π_j: the offline scores as pseudo-votes, B = offline_weight · n and π_j ∝ f̃_j/(1 − f̃_j). Needs scores for at
 * least two arms; an arm without one gets the mean logit of the others (no opinion). f̃ = (n_j f_j + ½)/(n_j + 1)
 * keeps the odds finite; n is the smallest sample among the scored arms.
 */
export function offlinePseudoVotes(arms: readonly ArmEvidence[], s: JointModelSettings): number[] {
  const scored = arms.map((a) => a.fitness !== null && a.fitnessSamples !== null && a.fitnessSamples >= 1);
  if (scored.filter(Boolean).length < 2 || s.offlineWeight === 0) return arms.map(() => 0);
  const n = Math.min(...arms.filter((_, i) => scored[i]).map((a) => a.fitnessSamples!));
  const logits = arms.map((a, i) => (scored[i] ? logit((a.fitnessSamples! * a.fitness! + 0.5) / (a.fitnessSamples! + 1)) : NaN));
  const known = logits.filter((l) => !Number.isNaN(l));
  const neutral = known.reduce((t, l) => t + l, 0) / known.length;
  const scaled = logits.map((l) => (Number.isNaN(l) ? neutral : l));
  const top = Math.max(...scaled);
  const weights = scaled.map((x) => Math.exp(x - top));
  const total = weights.reduce((t, w) => t + w, 0);
  return weights.map((w) => (s.offlineWeight * n * w) / total);
}

export function jointPosterior(e: JointEvidence, s: JointModelSettings = defaultJointModelSettings): JointPosterior {
  check(e, s);
  const k = e.arms.length;
  const active = e.active ? [...e.active].sort((a, b) => a - b) : e.arms.map((_, i) => i);
  const offlineVotes = offlinePseudoVotes(e.arms, s);
  const alpha = e.arms.map((a, i) => s.priorVotes + offlineVotes[i] + a.picks + (a.peerPicks ?? 0));
  const armInputs = active.map((i) => ({ alpha: alpha[i], accepted: e.arms[i].accepted, rejected: e.arms[i].served - e.arms[i].accepted }));
  const summary = armPosterior(armInputs, s.servedSlope);
  const pBest = new Array<number>(k).fill(0);
  const expectedLoss = new Array<number>(k).fill(Number.NaN);
  active.forEach((arm, r) => {
    pBest[arm] = summary.pBest[r];
    expectedLoss[arm] = summary.expectedLoss[r];
  });
  const draw = (rng: Rng): number => active[summary.draw(rng)];
  return { active, alpha, offlineVotes, pBest, expectedLoss, tilted: summary.tilted, armInputs, slope: s.servedSlope, draw };
}

/**
 * Thompson sampling among the arms in the test: one draw from the joint posterior (picks, offline prior and served
 * outcomes), the arm with the largest draw.
 */
export function thompsonActive(posterior: Pick<JointPosterior, 'draw'>, rng: Rng): number {
  return posterior.draw(rng);
}
