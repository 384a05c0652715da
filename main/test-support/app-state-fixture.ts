import type { AppStateView, ProposalView, SkillView, VoteRoundView } from '../../contract/api';
import { makeProposal, makeRound, makeSkill, makeState } from '../../contract/view-fixtures';

// The engine-side tests' defaults over the shared view builders: two skills, one of them slipping.

export const skillFixture = (overrides: Partial<SkillView> = {}): SkillView =>
  makeSkill({ accuracy: 0.92, samples: 40, previousAccuracy: 0.91, verdictReason: '92% over 40 tasks, at or above 80%', ...overrides });

export const roundFixture = (overrides: Partial<VoteRoundView> = {}): VoteRoundView =>
  makeRound({ options: makeRound().options.slice(0, 2), ...overrides });

export const proposalFixture = (overrides: Partial<ProposalView> = {}): ProposalView => makeProposal(overrides);

export const stateFixture = (overrides: Partial<AppStateView> = {}): AppStateView =>
  makeState({
    dataDir: '/tmp/tinyarms',
    skills: [skillFixture(), skillFixture({ skill: 'markdown-analysis', accuracy: 0.78, previousAccuracy: 0.9, trend: 'down' })],
    ...overrides,
  });
