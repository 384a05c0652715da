import { Notification } from 'electron';
import type { ProposalAlertPolicy } from '../../app/proposal-alerts';
import type { VoteAlertPolicy } from '../../app/vote-alerts';
import type { AppStateView } from '../../../contract/api';

export interface VoteNotifierOptions {
  policy: VoteAlertPolicy;
  /** Clicking the notification opens the choice window. */
  onOpen(): void;
  isVoteWindowVisible(): boolean;
}

// Module-level on purpose: a Notification nobody references may be garbage-collected before it is clicked,
// and its click handler with it. Each one is dropped once clicked, closed or failed.
const live = new Set<Notification>();

/** Shows one silent notification (macOS still applies Focus / Do Not Disturb); a click runs onClick. */
function show(title: string, body: string, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title, body, silent: true });
  live.add(notification);
  const forget = () => live.delete(notification);
  notification.on('click', () => {
    forget();
    onClick();
  });
  notification.on('close', forget);
  notification.on('failed', forget);
  notification.show();
}

export function createVoteNotifier(options: VoteNotifierOptions): { update(state: AppStateView): void } {
  return {
    update(state) {
      const alert = options.policy.decide(state, { voteWindowVisible: options.isVoteWindowVisible() });
      if (alert) show(alert.title, alert.body, options.onOpen);
    },
  };
}

export interface ProposalNotifierOptions {
  policy: ProposalAlertPolicy;
  /** Clicking the notification opens the popover, where the proposal waits. */
  onOpen(): void;
  isPopoverVisible(): boolean;
}

export function createProposalNotifier(options: ProposalNotifierOptions): { update(state: AppStateView): void } {
  return {
    update(state) {
      const alert = options.policy.decide(state, { popoverVisible: options.isPopoverVisible() });
      if (alert) show(alert.title, alert.body, options.onOpen);
    },
  };
}

export const liveNotificationCount = (): number => live.size;

export function resetNotifications(): void {
  for (const notification of live) notification.close();
  live.clear();
}
