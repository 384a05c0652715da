import type { Decision } from '../ab/decision';
import type { AbSessions } from '../ab/sessions';
import type { SessionOutcome, SessionResults, SessionRow } from '../ab/session-types';
import type { EngineContext } from '../context';
import type { Promotion, VersionChange } from './promotion';
import { isUserError } from '../util/errors';
import { percent } from '../util/format';
import { promotionGuard } from './guard';

export interface Conclusion {
  session: SessionRow;
  decision: Decision;
  outcome: SessionOutcome;
  /** One sentence for people: why the prompt changed or did not. */
  explanation: string;
  change: VersionChange | null;
}

/**
 * Closes a session whose decision is final. The winner is promoted automatically only when its measured
 * accuracy on served tasks beats the old prompt's by min_accuracy_improvement and (issue 14) is better than the old
 * prompt's with posterior probability promotion_confidence, probable_promotion_confidence for a probable winner
 * (guard.ts); otherwise it waits for the user, who can always promote by hand.
 */
export function concludeSession(
  ctx: EngineContext,
  deps: { sessions: AbSessions; promotion: Promotion },
  results: SessionResults,
): Conclusion {
  const { session, decision } = results;
  const learning = ctx.config.config.prompt_evolution.learning;
  const winner = decision.arm === null ? null : results.arms[decision.arm];
  const close = (outcome: SessionOutcome, explanation: string) => () =>
    deps.sessions.complete(session.id, {
      decision: decision.kind,
      reason: `${decision.reason}. ${explanation}`,
      winnerVariantId: winner?.variantId ?? null,
      outcome,
      peerVotes: results.team,
    });

  const finish = (outcome: SessionOutcome, explanation: string): Conclusion => ({
    session: close(outcome, explanation)(),
    decision,
    outcome,
    explanation,
    change: null,
  });

  if (!winner) return finish('kept', 'No clear winner: the current prompt stays.');
  if (winner.source === 'current') return finish('kept', `Variant ${winner.letter}, the current prompt, won: it stays.`);
  if (winner.brokenPins.length > 0) {
    const n = winner.brokenPins.length;
    return finish(
      'awaiting_manual',
      `Variant ${winner.letter} gets ${n} pinned example${n === 1 ? '' : 's'} wrong that the current prompt gets right ` +
        `(${winner.brokenPins.join(', ')}), so it is not promoted automatically; promote it by hand if you still want it.`,
    );
  }
  const base = session.base_accuracy;
  const guard = promotionGuard({
    served: winner.served,
    accepted: winner.accepted,
    baseAccuracy: base,
    baseSamples: session.base_samples,
    minServed: learning.min_served_tasks,
    minImprovement: learning.min_accuracy_improvement,
    confidence: decision.kind === 'probable_winner' ? learning.probable_promotion_confidence : learning.promotion_confidence,
  });
  if (guard.why === 'few_served') {
    return finish(
      'awaiting_manual',
      `Variant ${winner.letter} has ${winner.served} served task(s) with feedback; auto-promotion needs ${learning.min_served_tasks}. Promote it by hand if you like it.`,
    );
  }
  if (guard.why === 'no_base' || base === null) {
    return finish(
      'awaiting_manual',
      `The old prompt has no measured accuracy to compare with; promote variant ${winner.letter} by hand if you like it.`,
    );
  }
  if (guard.why === 'small_gain') {
    return finish(
      'awaiting_manual',
      `Variant ${winner.letter} scores ${percent(winner.accuracy)} against ${percent(base)}; auto-promotion needs +${percent(learning.min_accuracy_improvement)}.`,
    );
  }
  if (guard.why === 'not_confident') {
    const old = session.base_samples ? ` on ${session.base_samples} tasks` : '';
    const needed = decision.kind === 'probable_winner' ? learning.probable_promotion_confidence : learning.promotion_confidence;
    const sure = `${percent(guard.pBetter)} sure it is better; auto-promotion needs ${percent(needed)}`;
    const scores = `Variant ${winner.letter} scores ${percent(winner.accuracy)} on ${winner.served} tasks against ${percent(base)}${old}`;
    return finish('awaiting_manual', `${scores}: ${sure}.`);
  }
  const explanation = `Variant ${winner.letter} promoted: ${percent(winner.accuracy)} accuracy against ${percent(base)}.`;
  const change = deps.promotion.promote({
    skill: session.skill,
    prompt: winner.prompt,
    source: `A/B session ${session.id} (variant ${winner.letter})`,
    sessionId: session.id,
    accuracy: winner.accuracy,
    reason: session.trigger_reason === 'accuracy_drop' ? 'Accuracy drop' : 'A/B winner',
    inCommit: close('promoted', explanation),
  });
  return { session: deps.sessions.require(session.id), decision, outcome: 'promoted', explanation, change };
}

export interface ConcludeDeps {
  ctx: EngineContext;
  sessions: AbSessions;
  promotion: Promotion;
  /** Credits cross-skill learning with what the session decided. */
  creditLearning: () => void;
}

/**
 * Concludes an active session under the skill's change lock, with the tally read again there: of two processes
 * concluding one session at once, one decides and the other finds it closed (null).
 */
export function concludeLocked(deps: ConcludeDeps, results: SessionResults): Conclusion | null {
  return deps.promotion.locked(results.session.skill, () => {
    const fresh = deps.sessions.results(results.session.id);
    if (fresh.session.status !== 'active') return null;
    const conclusion = concludeSession(deps.ctx, deps, fresh);
    deps.creditLearning();
    return conclusion;
  });
}

/** concludeLocked from a just-computed tally; a UserError (e.g. config.yaml errors) is reported, not thrown. */
export function tryConclude(deps: ConcludeDeps, results: SessionResults): { conclusion: Conclusion | null; error: string | null } {
  try {
    return { conclusion: concludeLocked(deps, results), error: null };
  } catch (error) {
    if (!isUserError(error)) throw error;
    return { conclusion: null, error: error.message };
  }
}
