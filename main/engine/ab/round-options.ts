import { shownArms } from './joint-rule';
import type { RoundStatus, SessionResults } from './session-types';

/** One option of a vote round as stored in vote_rounds.options: its blind label, the arm behind it, its output. */
export interface StoredOption {
  label: string;
  variant_id: string;
  output: string;
}

/**
 * The options an open round shows now. Under the joint rule, only the arms the next round would show (P(best) at
 * least drop_below among the arms still in the test, at least two), so a round opened before an arm lost, or
 * before a newer round left it out, no longer shows it. Labels stay as stored: a vote sent from a window that
 * still showed the lost arm goes to the arm the person saw, or is refused when it was the lost one.
 * Answered rounds and the dirichlet rule (no posterior) show what was stored.
 */
export function visibleOptions(
  options: readonly StoredOption[],
  status: RoundStatus,
  results: Pick<SessionResults, 'arms' | 'posterior'>,
  dropBelow: number,
): StoredOption[] {
  if (status !== 'open' || !results.posterior) return [...options];
  const shown = new Set(shownArms(results.posterior, dropBelow).map((i) => results.arms[i].variantId));
  return options.filter((o) => shown.has(o.variant_id));
}
