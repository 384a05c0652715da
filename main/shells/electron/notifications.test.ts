import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createProposalAlertPolicy } from '../../app/proposal-alerts';
import { createVoteAlertPolicy } from '../../app/vote-alerts';
import { proposalFixture, roundFixture, stateFixture } from '../../test-support/app-state-fixture';
import * as fake from './fake-electron';
import { createProposalNotifier, createVoteNotifier, liveNotificationCount, resetNotifications } from './notifications';

vi.mock('electron', () => import('./fake-electron'));

let now = 0;
let opened = 0;
let voteWindowVisible = false;
const notifier = () =>
  createVoteNotifier({
    policy: createVoteAlertPolicy({ minIntervalMs: 60_000, now: () => now }),
    onOpen: () => (opened += 1),
    isVoteWindowVisible: () => voteWindowVisible,
  });

beforeEach(() => {
  resetNotifications();
  fake.resetFakeElectron();
  now = 0;
  opened = 0;
  voteWindowVisible = false;
});

describe('vote notifications', () => {
  it('says silently that a vote waits, keeps a live reference, and opens the choice window on click', () => {
    const n = notifier();
    n.update(stateFixture({ pendingVotes: [roundFixture()] }));
    expect(fake.Notification.instances).toHaveLength(1);
    const shown = fake.Notification.instances[0];
    expect(shown.options).toMatchObject({ title: 'tinyArms: a vote is waiting', silent: true });
    expect(shown.shown).toBe(true);
    expect(liveNotificationCount()).toBe(1);
    shown.emit('click');
    expect(opened).toBe(1);
    expect(liveNotificationCount()).toBe(0);
  });

  it('is rate-limited', () => {
    const n = notifier();
    n.update(stateFixture({ pendingVotes: [roundFixture()] }));
    now = 30_000;
    n.update(stateFixture({ pendingVotes: [roundFixture(), roundFixture({ taskId: 'task-2' })] }));
    expect(fake.Notification.instances).toHaveLength(1);
    now = 61_000;
    n.update(stateFixture({ pendingVotes: [roundFixture({ taskId: 'task-3' })] }));
    expect(fake.Notification.instances).toHaveLength(2);
  });

  it('can be turned off, and stays quiet while the choice window is open or notifications are unsupported', () => {
    const n = notifier();
    const state = stateFixture({ pendingVotes: [roundFixture()] });
    n.update({ ...state, preferences: { ...state.preferences, notifications: false } });
    voteWindowVisible = true;
    n.update(stateFixture({ pendingVotes: [roundFixture({ taskId: 'task-2' })] }));
    voteWindowVisible = false;
    fake.Notification.supported = false;
    n.update(stateFixture({ pendingVotes: [roundFixture({ taskId: 'task-3' })] }));
    expect(fake.Notification.instances).toHaveLength(0);
  });

  it('forgets closed notifications', () => {
    notifier().update(stateFixture({ pendingVotes: [roundFixture()] }));
    fake.Notification.instances[0].emit('close');
    expect(liveNotificationCount()).toBe(0);
  });
});

describe('proposal notifications', () => {
  let popoverVisible = false;
  const proposals = () =>
    createProposalNotifier({
      policy: createProposalAlertPolicy({ minIntervalMs: 60_000, now: () => now }),
      onOpen: () => (opened += 1),
      isPopoverVisible: () => popoverVisible,
    });

  it('says silently that a file has a suggested name and opens the popover on click', () => {
    const n = proposals();
    n.update(stateFixture({ proposals: [proposalFixture()] }));
    const shown = fake.Notification.instances[0];
    expect(shown.options).toMatchObject({ title: 'tinyArms: a new file can be renamed', silent: true });
    shown.emit('click');
    expect(opened).toBe(1);
  });

  it('is rate-limited and quiet while the popover is open', () => {
    const n = proposals();
    popoverVisible = true;
    n.update(stateFixture({ proposals: [proposalFixture()] }));
    popoverVisible = false;
    n.update(stateFixture({ proposals: [proposalFixture(), proposalFixture({ id: 'fp_2' })] }));
    expect(fake.Notification.instances).toHaveLength(1);
    now = 30_000;
    n.update(stateFixture({ proposals: [proposalFixture({ id: 'fp_3' })] }));
    expect(fake.Notification.instances).toHaveLength(1);
  });
});
