import type { AppStateView } from '../../preload/contract';

export interface VoteAlert {
  title: string;
  body: string;
  taskId: string;
}

export interface VoteAlertPolicy {
  /** The alert to show for this state, or null: off, nothing new, the vote window already open, or too soon. */
  decide(state: AppStateView, context?: { voteWindowVisible?: boolean }): VoteAlert | null;
  reset(): void;
}

export const DEFAULT_ALERT_INTERVAL_MS = 30 * 60_000;

/**
 * When to say "a vote is waiting": once per new round, at most one notification per interval, never while
 * notifications are off. Rounds that arrive while silent are only marked seen: the tray icon still shows them,
 * and turning notifications back on does not replay old ones.
 */
export function createVoteAlertPolicy(options: { minIntervalMs?: number; now?: () => number } = {}): VoteAlertPolicy {
  const minInterval = options.minIntervalMs ?? DEFAULT_ALERT_INTERVAL_MS;
  const now = options.now ?? Date.now;
  const seen = new Set<string>();
  let lastShown = Number.NEGATIVE_INFINITY;

  return {
    decide(state, context = {}) {
      const fresh = state.pendingVotes.filter((round) => !seen.has(round.taskId));
      for (const round of fresh) seen.add(round.taskId);
      if (fresh.length === 0 || !state.preferences.notifications || context.voteWindowVisible) return null;
      const at = now();
      if (at - lastShown < minInterval) return null;
      lastShown = at;
      const round = fresh[0];
      const waiting = state.pendingVotes.length;
      return {
        title: waiting === 1 ? 'tinyArms: a vote is waiting' : `tinyArms: ${waiting} votes are waiting`,
        body: `${round.skill}: which result for “${round.input.slice(0, 80)}” would you keep?`,
        taskId: round.taskId,
      };
    },
    reset() {
      seen.clear();
      lastShown = Number.NEGATIVE_INFINITY;
    },
  };
}
