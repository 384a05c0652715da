import type { AppStateView } from '../../contract/api';
import { createAlertThrottle } from './alert-throttle';
import { skillTitle } from './tray-model';

export interface VoteAlert {
  title: string;
  body: string;
  taskId: string;
}

export interface VoteAlertPolicy {
  /** The alert to show for this state, or null: off, nothing new, the vote window already open, or too soon. */
  decide(state: AppStateView, context?: { voteWindowVisible?: boolean }): VoteAlert | null;
}

export const DEFAULT_ALERT_INTERVAL_MS = 30 * 60_000;

/** When to say "a vote is waiting": once per new round, under the shared alert rule (alert-throttle.ts). */
export function createVoteAlertPolicy(options: { minIntervalMs?: number; now?: () => number } = {}): VoteAlertPolicy {
  const throttle = createAlertThrottle({ minIntervalMs: options.minIntervalMs ?? DEFAULT_ALERT_INTERVAL_MS, now: options.now });
  return {
    decide(state, context = {}) {
      const fresh = throttle.fresh(
        state.pendingVotes,
        (round) => round.taskId,
        !state.preferences.notifications || context.voteWindowVisible === true,
      );
      if (!fresh) return null;
      const round = fresh[0];
      const waiting = state.pendingVotes.length;
      return {
        title: waiting === 1 ? 'tinyArms: a vote is waiting' : `tinyArms: ${waiting} votes are waiting`,
        body: `${skillTitle(round.skill)}: which result for “${round.input.slice(0, 80)}” would you keep?`,
        taskId: round.taskId,
      };
    },
  };
}
