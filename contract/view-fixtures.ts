// Builders for the contract's views, shared by the engine-side tests (main/) and the renderer's: one shape, so
// the two sides cannot drift apart. Override what a test is about. Test support only.
import type {
  AppStateView, HistoryView, PreferencesView, ProposalView, SessionView, SkillView, VersionView, VoteRoundView,
} from './api';

export const defaultPreferences = (): PreferencesView => ({
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
});

export const makeSkill = (overrides: Partial<SkillView> = {}): SkillView => ({
  skill: 'file-naming',
  description: 'Suggests a descriptive kebab-case file name from what a file shows.',
  evolvable: true,
  version: 1,
  activeSince: '2026-09-15T08:00:00.000Z',
  accuracy: 0.9,
  samples: 24,
  previousAccuracy: 0.9,
  trend: 'flat',
  verdict: 'healthy',
  verdictReason: '90% of 24 tasks, at or above 80%',
  session: null,
  evolution: null,
  ...overrides,
});

export const makeSession = (overrides: Partial<SessionView> = {}): SessionView => ({
  id: 'ses_1',
  skill: 'file-naming',
  status: 'active',
  votes: 15,
  maxVotes: 50,
  none: 1,
  skips: 2,
  elapsedDays: 2.5,
  leader: 'B',
  leaderPBest: 0.67,
  decisionReason: 'P(best) 0.67 < 0.97 at 15 votes; next look at 20',
  outcome: null,
  arms: [],
  ...overrides,
});

export const makeRound = (overrides: Partial<VoteRoundView> = {}): VoteRoundView => ({
  taskId: 'task_1',
  sessionId: 'ses_1',
  skill: 'file-naming',
  input: 'Screenshot-2026-10-27.png',
  status: 'open',
  options: [
    { label: '1', output: 'hero-section-mobile-mockup.png', pBest: 0.67 },
    { label: '2', output: 'website-header-blue-accent.png', pBest: 0.13 },
    { label: '3', output: 'hero-mobile-v1.png', pBest: 0.2 },
  ],
  picked: null,
  votes: 15,
  maxVotes: 50,
  tip: 'Option 1 is leading at 67%. Next check after 5 more votes.',
  ...overrides,
});

export const makeVersion = (overrides: Partial<VersionView> = {}): VersionView => ({
  version: 1,
  templatePath: 'skills/file-naming-v1.md',
  prompt: 'Rename this file.\nUse kebab-case.\n\n{{input}}',
  activeFrom: '2026-09-15T08:00:00.000Z',
  activeTo: null,
  accuracyEnd: null,
  source: 'initial',
  notes: null,
  current: true,
  ...overrides,
});

export const makeHistory = (skill = 'file-naming', versions: VersionView[] = [makeVersion()]): HistoryView => ({ skill, versions });

export const makeProposal = (overrides: Partial<ProposalView> = {}): ProposalView => ({
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
});

/** A vote proposal: the A/B arms' names for one file, behind labels 1, 2, 3. */
export const makeVoteProposal = (overrides: Partial<ProposalView> = {}): ProposalView =>
  makeProposal({
    id: 'fp_2',
    path: '/Users/me/Desktop/IMG_4521.jpg',
    name: 'IMG_4521.jpg',
    kind: 'vote',
    proposed: null,
    options: [
      { label: '1', name: 'golden-gate-bridge-sunset.jpg', text: 'golden-gate-bridge-sunset.jpg' },
      { label: '2', name: 'orange-bridge-fog-photo.jpg', text: 'orange-bridge-fog-photo.jpg' },
      { label: '3', name: null, text: '(no usable name)' },
    ],
    ...overrides,
  });

export const makeState = (overrides: Partial<AppStateView> = {}): AppStateView => ({
  dataDir: '/Users/me/Library/Application Support/tinyArms',
  skills: [makeSkill()],
  pendingVotes: [],
  evolutionPaused: false,
  preferences: defaultPreferences(),
  configIssues: [],
  model: { configuredPath: null, resolvedPath: null, source: null, loaded: false, download: null, error: null },
  proposals: [],
  lastRename: null,
  revision: 1,
  ...overrides,
});
