import type { AppStateView } from '../../preload/contract';

export interface ProposalAlert {
  title: string;
  body: string;
  proposalId: string;
}

export interface ProposalAlertPolicy {
  /** The alert to show for this state, or null: off, nothing new, the popover already open, or too soon. */
  decide(state: AppStateView, context?: { popoverVisible?: boolean }): ProposalAlert | null;
  reset(): void;
}

/** Screenshots come in bursts: one notification per burst is enough, the popover lists the rest. */
export const DEFAULT_PROPOSAL_ALERT_INTERVAL_MS = 10 * 60_000;

/**
 * When to say "a new file has a suggested name": the same rules as vote alerts (vote-alerts.ts): once per new
 * pending proposal, at most one notification per interval, never while notifications are off or the popover
 * is open. Proposals that arrive while silent are only marked seen.
 */
export function createProposalAlertPolicy(options: { minIntervalMs?: number; now?: () => number } = {}): ProposalAlertPolicy {
  const minInterval = options.minIntervalMs ?? DEFAULT_PROPOSAL_ALERT_INTERVAL_MS;
  const now = options.now ?? Date.now;
  const seen = new Set<string>();
  let lastShown = Number.NEGATIVE_INFINITY;

  return {
    decide(state, context = {}) {
      const pending = state.proposals.filter((p) => p.status === 'pending');
      const fresh = pending.filter((p) => !seen.has(p.id));
      for (const p of fresh) seen.add(p.id);
      if (fresh.length === 0 || !state.preferences.notifications || context.popoverVisible) return null;
      const at = now();
      if (at - lastShown < minInterval) return null;
      lastShown = at;
      const p = fresh[0];
      const suggestion = p.kind === 'vote' ? `which of ${p.options.length} names fits best?` : p.proposed ? `rename to ${p.proposed}?` : 'no usable name; edit it?';
      return {
        title: pending.length === 1 ? 'tinyArms: a new file can be renamed' : `tinyArms: ${pending.length} files can be renamed`,
        body: `${p.name}: ${suggestion}`,
        proposalId: p.id,
      };
    },
    reset() {
      seen.clear();
      lastShown = Number.NEGATIVE_INFINITY;
    },
  };
}
