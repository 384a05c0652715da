import { posteriorSummary, type PosteriorSummary } from './dirichlet';

export interface DecisionSettings {
  decisionConfidence: number;
  probableConfidence: number;
  minVotes: number;
  lookEvery: number;
  maxVotes: number;
  maxDurationDays: number;
  boundaryFromVote: number;
}

export const defaultDecisionSettings: DecisionSettings = {
  decisionConfidence: 0.97,
  probableConfidence: 0.8,
  minVotes: 10,
  lookEvery: 5,
  maxVotes: 50,
  maxDurationDays: 7,
  boundaryFromVote: 30,
};

export interface VoteTally {
  picks: readonly number[];
  none: number;
  skips: number;
  elapsedDays: number;
}

export type DecisionKind = 'continue' | 'winner' | 'probable_winner' | 'no_clear_winner';

export interface Decision {
  kind: DecisionKind;
  arm: number | null;
  reason: string;
  votes: number;
  pBest: number[];
  expectedLoss: number[];
  leader: number;
  nextLookAt: number | null;
  boundary: number;
}

/** Posterior of the arms' picks; injectable so simulations can cache it. */
export type PosteriorFn = (picks: readonly number[]) => PosteriorSummary;

/**
 * Evan Miller's simple sequential test, two-sided 5%: stop once the leader is 2.25·√N votes ahead,
 * N being the planned number of votes. A backup to P(best) that does not depend on the prior.
 */
export function millerBoundary(plannedVotes: number): number {
  return 2.25 * Math.sqrt(plannedVotes);
}

const isCount = (n: number): boolean => Number.isInteger(n) && n >= 0;

function validate(tally: VoteTally, s: DecisionSettings): void {
  if (tally.picks.length < 2) throw new RangeError('a test needs at least two arms');
  if (![...tally.picks, tally.none, tally.skips].every(isCount)) throw new RangeError('vote counts must be integers >= 0');
  if (!(tally.elapsedDays >= 0)) throw new RangeError('elapsedDays must be >= 0');
  const confidences = [s.decisionConfidence, s.probableConfidence];
  if (!confidences.every((c) => c > 0 && c <= 1)) throw new RangeError('confidences must be in (0, 1]');
  if (!(s.minVotes >= 1 && s.lookEvery >= 1 && s.maxVotes >= 1 && s.maxDurationDays > 0)) {
    throw new RangeError('minVotes, lookEvery, maxVotes and maxDurationDays must be positive');
  }
}

// Floor, not round, so a shown "0.970" is never below the 0.97 it is compared with.
const fmt = (p: number): string => (Math.floor(p * 1000 + 1e-9) / 1000).toFixed(3);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function decide(
  tally: VoteTally,
  settings: DecisionSettings = defaultDecisionSettings,
  posterior: PosteriorFn = posteriorSummary,
): Decision {
  const s = settings;
  validate(tally, s);
  const picks = tally.picks;
  const votes = picks.reduce((sum, c) => sum + c, 0) + tally.none;
  const { pBest, expectedLoss } = posterior(picks);
  const boundary = millerBoundary(s.maxVotes);

  const order = pBest.map((_, i) => i).sort((a, b) => pBest[b] - pBest[a] || a - b);
  const leader = order[0];
  const topP = pBest[leader];
  const tied = topP - pBest[order[1]] < 1e-9;
  const lead = picks[leader] - Math.max(...picks.filter((_, i) => i !== leader));

  const confident = !tied && topP >= s.decisionConfidence;
  const pastBoundary = votes >= s.boundaryFromVote && lead >= boundary;
  const isLook = votes >= s.minVotes && (votes - s.minVotes) % s.lookEvery === 0;
  const endedByVotes = votes >= s.maxVotes;
  const ended = endedByVotes || tally.elapsedDays >= s.maxDurationDays;

  const base = { votes, pBest, expectedLoss, leader, boundary };
  const at = `at ${plural(votes, 'vote')}`;
  const end = endedByVotes ? `Test ended ${at}` : `Test ended after ${plural(s.maxDurationDays, 'day')} ${at}`;

  // No decision of any kind before min_votes, even when the days run out: a few lucky picks prove nothing.
  if (ended && votes < s.minVotes) {
    const reason = `${end}: fewer than ${s.minVotes} votes, no clear winner`;
    return { ...base, kind: 'no_clear_winner', arm: null, reason, nextLookAt: null };
  }
  if ((isLook || ended) && (confident || pastBoundary)) {
    const reason = confident
      ? `P(best) ${fmt(topP)} ≥ ${s.decisionConfidence} ${at}`
      : `Ahead by ${plural(lead, 'vote')} (boundary ${boundary.toFixed(1)}) ${at}`;
    return { ...base, kind: 'winner', arm: leader, reason, nextLookAt: null };
  }
  if (ended) {
    if (!tied && topP >= s.probableConfidence) {
      const reason = `${end}: P(best) ${fmt(topP)} ≥ ${s.probableConfidence}, a probable winner`;
      return { ...base, kind: 'probable_winner', arm: leader, reason, nextLookAt: null };
    }
    const reason = `${end}: best P(best) ${fmt(topP)} < ${s.probableConfidence}, no clear winner`;
    return { ...base, kind: 'no_clear_winner', arm: null, reason, nextLookAt: null };
  }

  const nextLookAt =
    votes < s.minVotes
      ? Math.min(s.minVotes, s.maxVotes)
      : Math.min(s.minVotes + s.lookEvery * (Math.floor((votes - s.minVotes) / s.lookEvery) + 1), s.maxVotes);
  const reason =
    votes < s.minVotes
      ? `${plural(votes, 'vote')} so far; the first look is at ${nextLookAt}`
      : isLook
        ? `P(best) ${fmt(topP)} < ${s.decisionConfidence} ${at}; next look at ${nextLookAt}`
        : `P(best) ${fmt(topP)} ${at}; next look at ${nextLookAt}`;
  return { ...base, kind: 'continue', arm: null, reason, nextLookAt };
}
