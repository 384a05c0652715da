import type { AppStateView, ProposalView, SkillView, VoteRoundView } from '../../contract/api';

/** A plain AppStateView for view and glue tests; override what the test is about. */
export function skillFixture(overrides: Partial<SkillView> = {}): SkillView {
  return {
    skill: 'file-naming',
    description: 'Names files',
    evolvable: true,
    version: 1,
    activeSince: '2026-03-01T09:00:00.000Z',
    accuracy: 0.92,
    samples: 40,
    previousAccuracy: 0.91,
    verdict: 'healthy',
    verdictReason: '92% over 40 task(s), at or above 80%',
    session: null,
    evolution: null,
    ...overrides,
  };
}

export function roundFixture(overrides: Partial<VoteRoundView> = {}): VoteRoundView {
  return {
    taskId: 'task-1',
    sessionId: 'ses_1',
    skill: 'file-naming',
    input: 'Screenshot-2024-10-27.png',
    status: 'open',
    options: [
      { label: '1', output: 'hero-section-mobile-mockup.png', pBest: 0.67 },
      { label: '2', output: 'website-header-blue-accent.png', pBest: 0.13 },
    ],
    picked: null,
    votes: 15,
    maxVotes: 50,
    tip: 'Option 1 is leading at 67%. Next check after 5 more votes.',
    ...overrides,
  };
}

export function proposalFixture(overrides: Partial<ProposalView> = {}): ProposalView {
  return {
    id: 'fp_1',
    path: '/Users/me/Desktop/Screenshot 2026-11-02 at 09.41.12.png',
    folder: '/Users/me/Desktop',
    name: 'Screenshot 2026-11-02 at 09.41.12.png',
    kind: 'name',
    proposed: 'login-form-desktop-error.png',
    options: [],
    status: 'pending',
    note: null,
    finalName: null,
    createdAt: '2026-11-02T09:41:14.000Z',
    ...overrides,
  };
}

export function stateFixture(overrides: Partial<AppStateView> = {}): AppStateView {
  return {
    dataDir: '/tmp/tinyarms',
    skills: [skillFixture(), skillFixture({ skill: 'markdown-analysis', accuracy: 0.78, previousAccuracy: 0.9 })],
    pendingVotes: [],
    evolutionPaused: false,
    preferences: {
      accuracyThreshold: 0.8,
      sampleSize: 20,
      cooldownHours: 168,
      decisionConfidence: 0.97,
      showProbability: 0.5,
      votesRequired: 50,
      maxDurationDays: 7,
      minAccuracyImprovement: 0.05,
      rollbackThreshold: 0.7,
      modelPath: null,
      trayTitle: true,
      notifications: true,
      launchAtLogin: false,
    },
    configIssues: [],
    model: { configuredPath: null, resolvedPath: null, source: null, loaded: false, download: null, error: null },
    proposals: [],
    lastRename: null,
    revision: 1,
    ...overrides,
  };
}
