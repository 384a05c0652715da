import { describe, expect, it } from 'vitest';
import { roundFixture, stateFixture } from '../test-support/app-state-fixture';
import { createVoteAlertPolicy } from './vote-alerts';

describe('vote alert policy', () => {
  it('alerts once per new round, at most once per interval', () => {
    let now = 0;
    const policy = createVoteAlertPolicy({ minIntervalMs: 1000, now: () => now });
    const one = stateFixture({ pendingVotes: [roundFixture()] });
    expect(policy.decide(one)).toMatchObject({ title: 'tinyArms: a vote is waiting', taskId: 'task_1' });
    expect(policy.decide(one)).toBeNull();
    now = 500;
    const two = stateFixture({ pendingVotes: [roundFixture(), roundFixture({ taskId: 'task-2' })] });
    expect(policy.decide(two)).toBeNull();
    now = 5000;
    // task-2 came during the quiet time: marked seen, not replayed.
    expect(policy.decide(two)).toBeNull();
    const three = stateFixture({ pendingVotes: [roundFixture(), roundFixture({ taskId: 'task-3', input: 'IMG_1.png' })] });
    expect(policy.decide(three)).toMatchObject({
      title: 'tinyArms: 2 votes are waiting',
      body: 'File Naming: which result for “IMG_1.png” would you keep?',
    });
  });

  it('stays silent when notifications are off, and does not replay when they come back', () => {
    const policy = createVoteAlertPolicy({ now: () => 0 });
    const state = stateFixture({ pendingVotes: [roundFixture()] });
    expect(policy.decide({ ...state, preferences: { ...state.preferences, notifications: false } })).toBeNull();
    expect(policy.decide(state)).toBeNull();
    expect(policy.decide(stateFixture({ pendingVotes: [roundFixture({ taskId: 'new' })] }))).not.toBeNull();
  });

  it('stays silent while the vote window is open', () => {
    const policy = createVoteAlertPolicy();
    expect(policy.decide(stateFixture({ pendingVotes: [roundFixture()] }), { voteWindowVisible: true })).toBeNull();
  });
});
