import type { AbSessions } from '../ab/sessions';
import type { SessionRow } from '../ab/session-types';
import { usageError } from '../util/errors';
import type { Promotion, VersionChange } from './promotion';

export interface HandPromotionDeps {
  sessions: Pick<AbSessions, 'require' | 'active' | 'latest' | 'variant' | 'complete' | 'markPromoted'>;
  promotion: Pick<Promotion, 'locked' | 'promote'>;
  /** Credits cross-skill learning with what the session decided. */
  creditLearning: () => void;
  /** Passes a result through after sharing this member's votes and versions with the team (when in one). */
  shared: <T>(result: T) => T;
}

/** The person promotes an arm by hand: from the skill's running session, or the latest finished one. */
export function promoteByHand(
  deps: HandPromotionDeps,
  skill: string,
  armRef: string,
  options: { sessionId?: string } = {},
): { change: VersionChange; session: SessionRow } {
  const { sessions } = deps;
  // Every check under the skill's change lock, so two promotions by hand cannot both pass them.
  return deps.promotion.locked(skill, () => {
    const session = options.sessionId ? sessions.require(options.sessionId) : (sessions.active(skill) ?? sessions.latest(skill));
    if (!session || session.skill !== skill) throw usageError(`${skill} has no A/B session to promote from`, 'unknown_session');
    if (session.status === 'cancelled') throw usageError(`A/B session ${session.id} was cancelled`, 'session_closed');
    if (session.outcome === 'promoted') throw usageError(`A/B session ${session.id} already promoted a variant`, 'already_promoted');
    const variant = sessions.variant(session.id, armRef);
    if (variant.source === 'current') throw usageError(`variant ${variant.variant_letter} is the current prompt`, 'same_version');
    const accuracy = variant.served > 0 ? variant.accepted / variant.served : null;
    const change = deps.promotion.promote({
      skill,
      prompt: variant.prompt_template,
      source: `A/B session ${session.id} (variant ${variant.variant_letter}, promoted by hand)`,
      sessionId: session.id,
      accuracy,
      // Why the outgoing version ended, as the automatic path words it; "by hand" is already in the new one's source.
      reason: session.trigger_reason === 'accuracy_drop' ? 'Accuracy drop' : 'Replaced by hand',
      inCommit: () => {
        const now = sessions.require(session.id);
        if (now.status === 'active') {
          sessions.complete(session.id, {
            decision: 'manual',
            reason: `variant ${variant.variant_letter} promoted by hand`,
            winnerVariantId: variant.id,
            outcome: 'promoted',
          });
        } else {
          sessions.markPromoted(session.id, variant.id);
        }
      },
    });
    deps.creditLearning();
    return deps.shared({ change, session: sessions.require(session.id) });
  });
}
