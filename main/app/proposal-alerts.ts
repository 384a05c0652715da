import type { AppStateView } from '../../contract/api';
import { createAlertThrottle } from './alert-throttle';

export interface ProposalAlert {
  title: string;
  body: string;
  proposalId: string;
}

export interface ProposalAlertPolicy {
  /** The alert to show for this state, or null: off, nothing new, the popover already open, or too soon. */
  decide(state: AppStateView, context?: { popoverVisible?: boolean }): ProposalAlert | null;
}

/** Screenshots come in bursts: one notification per burst is enough, the popover lists the rest. */
export const DEFAULT_PROPOSAL_ALERT_INTERVAL_MS = 10 * 60_000;

/** When to say "a new file has a suggested name": once per new pending proposal, under the shared alert rule (alert-throttle.ts). */
export function createProposalAlertPolicy(options: { minIntervalMs?: number; now?: () => number } = {}): ProposalAlertPolicy {
  const throttle = createAlertThrottle({ minIntervalMs: options.minIntervalMs ?? DEFAULT_PROPOSAL_ALERT_INTERVAL_MS, now: options.now });
  return {
    decide(state, context = {}) {
      const pending = state.proposals.filter((p) => p.status === 'pending');
      const fresh = throttle.fresh(pending, (p) => p.id, !state.preferences.notifications || context.popoverVisible === true);
      if (!fresh) return null;
      const p = fresh[0];
      const suggestion =
        p.kind === 'vote'
          ? `which of ${p.options.length} names fits best?`
          : p.proposed
            ? `rename to ${p.proposed}?`
            : 'no usable name; edit it?';
      return {
        title: pending.length === 1 ? 'tinyArms: a new file can be renamed' : `tinyArms: ${pending.length} files can be renamed`,
        body: `${p.name}: ${suggestion}`,
        proposalId: p.id,
      };
    },
  };
}
