import type { AppStateView, ProposalView, SkillView, VoteRoundView } from '../../contract/api';
import { makeProposal, makeRound, makeSkill, makeSkillState, makeState } from '../../contract/view-fixtures';

// The engine-side tests' defaults over the shared view builders: two skills, one of them slipping.

export const skillFixture = (overrides: Partial<SkillView> = {}): SkillView =>
  makeSkill({
    accuracy: 0.92,
    samples: 40,
    previousAccuracy: 0.91,
    lastCheck: 'healthy: 92% over 40 tasks, at or above 80%',
    ...overrides,
  });

export const roundFixture = (overrides: Partial<VoteRoundView> = {}): VoteRoundView =>
  makeRound({ options: makeRound().options.slice(0, 2), ...overrides });

export const proposalFixture = (overrides: Partial<ProposalView> = {}): ProposalView => makeProposal(overrides);

export const stateFixture = (overrides: Partial<AppStateView> = {}): AppStateView =>
  makeState({
    dataDir: '/tmp/tinyarms',
    skills: [
      skillFixture({ state: makeSkillState({ detail: 'You kept 92% of its last 40 results.' }) }),
      skillFixture({
        skill: 'markdown-analysis',
        accuracy: 0.78,
        previousAccuracy: 0.9,
        trend: 'down',
        state: makeSkillState({
          kind: 'needs-prompt',
          label: 'Needs a better prompt',
          detail: 'You kept 78% of its last 40 results, below your 80%.',
          tone: 'bad',
        }),
      }),
    ],
    ...overrides,
  });
