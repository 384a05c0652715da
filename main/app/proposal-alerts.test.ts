import { describe, expect, it } from 'vitest';
import { proposalFixture, stateFixture } from '../test-support/app-state-fixture';
import { createProposalAlertPolicy } from './proposal-alerts';

describe('proposal alert policy', () => {
  it('alerts once per new proposal, at most once per interval, never replaying quiet ones', () => {
    let now = 0;
    const policy = createProposalAlertPolicy({ minIntervalMs: 1000, now: () => now });
    const one = stateFixture({ proposals: [proposalFixture()] });
    expect(policy.decide(one)).toEqual({
      title: 'tinyArms: a new file can be renamed',
      body: 'Screenshot 2026-11-02 at 09.41.12.png: rename to login-form-desktop-error.png?',
      proposalId: 'fp_1',
    });
    expect(policy.decide(one)).toBeNull();
    now = 500;
    const two = stateFixture({ proposals: [proposalFixture(), proposalFixture({ id: 'fp_2' })] });
    expect(policy.decide(two)).toBeNull();
    now = 5000;
    expect(policy.decide(two)).toBeNull();
    const vote = proposalFixture({
      id: 'fp_3',
      name: 'IMG_1.jpg',
      kind: 'vote',
      proposed: null,
      options: [
        { label: '1', name: 'a.jpg', text: 'a.jpg' },
        { label: '2', name: 'b.jpg', text: 'b.jpg' },
      ],
    });
    expect(policy.decide(stateFixture({ proposals: [...two.proposals, vote] }))).toMatchObject({
      title: 'tinyArms: 3 files can be renamed',
      body: 'IMG_1.jpg: which of 2 names fits best?',
    });
  });

  it('ignores stale proposals, and stays silent when off or while the popover is open', () => {
    const policy = createProposalAlertPolicy({ now: () => 0 });
    expect(policy.decide(stateFixture({ proposals: [proposalFixture({ status: 'stale' })] }))).toBeNull();
    const state = stateFixture({ proposals: [proposalFixture({ id: 'fp_a' })] });
    expect(policy.decide({ ...state, preferences: { ...state.preferences, notifications: false } })).toBeNull();
    expect(policy.decide(stateFixture({ proposals: [proposalFixture({ id: 'fp_b' })] }), { popoverVisible: true })).toBeNull();
    expect(policy.decide(stateFixture({ proposals: [proposalFixture({ id: 'fp_c' })] }))).toMatchObject({ proposalId: 'fp_c' });
  });
});
