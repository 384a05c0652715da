// Builders for the contract's views, shared by the engine-side tests (main/) and the renderer's: one shape, so
// the two sides cannot drift apart. Override what a test is about. Test support only.
import type {
  AppStateView,
  EvolutionView,
  HistoryView,
  PreferencesView,
  ProposalView,
  ReviewView,
  SkillInsightView,
  SkillStateView,
  SkillView,
  TeamView,
  VersionView,
  VoteRoundView,
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
  showConfidenceBeforeVote: false,
  goldShare: 0.2,
  teamVoteWeight: 0.5,
  shareTaskInputs: false,
});

const WEEK_MS = 7 * 86_400_000;

/** Eight weeks of accuracy ending 2026-11-20, with a promotion three weeks ago. */
export const makeInsight = (overrides: Partial<SkillInsightView> = {}): SkillInsightView => ({
  points: [0.86, 0.84, 0.81, 0.78, 0.74, 0.88, 0.9, 0.91].map((accuracy, i) => ({
    from: new Date(Date.parse('2026-09-25T00:00:00.000Z') + i * WEEK_MS).toISOString(),
    accuracy,
    samples: 12 + i,
  })),
  markers: [{ at: '2026-10-30T10:00:00.000Z', kind: 'promoted', version: 2 }],
  month: {
    votesAsked: 14,
    votesGiven: 12,
    evolutionsRun: 1,
    promotions: [{ version: 2, at: '2026-11-02T10:00:00.000Z', before: 0.74, after: 0.9, samples: 31 }],
  },
  ...overrides,
});

export const makeSkillState = (overrides: Partial<SkillStateView> = {}): SkillStateView => ({
  kind: 'healthy',
  label: 'Healthy',
  detail: 'You kept 90% of its last 24 results.',
  tone: 'good',
  ...overrides,
});

export const makeEvolution = (overrides: Partial<EvolutionView> = {}): EvolutionView => ({
  status: 'running',
  step: 'Generation 3 of 30',
  fraction: 0.14,
  timeLeft: 'about 4 min left',
  elsewhere: false,
  note: null,
  ...overrides,
});

export const makeReview = (overrides: Partial<ReviewView> = {}): ReviewView => ({
  letter: 'C',
  reason: 'decided',
  summary: 'The new prompt won 9 of 12 votes.',
  currentPrompt: 'Rename this file.\nUse kebab-case.\n\n{{input}}',
  newPrompt: 'Rename this file after what it shows.\nUse kebab-case, 3 to 5 words.\n\n{{input}}',
  learnedFrom: null,
  samples: [
    {
      input: 'Screenshot-2026-10-27.png',
      current: 'screenshot-october.png',
      proposed: 'hero-section-mobile-mockup.png',
      taskId: 'task_s1',
      pinned: false,
    },
    { input: 'IMG_4521.jpg', current: 'image-4521.jpg', proposed: 'golden-gate-bridge-sunset.jpg', taskId: 'task_s2', pinned: true },
  ],
  ...overrides,
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
  state: makeSkillState(),
  evolution: null,
  review: null,
  canEvolve: true,
  insight: makeInsight(),
  lastCheck: 'healthy: 90% over 24 tasks, at or above 80%',
  canReset: false,
  resetSuggestion: null,
  teamOffer: null,
  ...overrides,
});

/** An open round: no confidence is sent before the vote. */
export const makeRound = (overrides: Partial<VoteRoundView> = {}): VoteRoundView => ({
  taskId: 'task_1',
  skill: 'file-naming',
  input: 'Screenshot-2026-10-27.png',
  status: 'open',
  options: [
    { label: '1', output: 'hero-section-mobile-mockup.png', pBest: null },
    { label: '2', output: 'website-header-blue-accent.png', pBest: null },
    { label: '3', output: 'hero-mobile-v1.png', pBest: null },
  ],
  picked: null,
  votes: 15,
  maxVotes: 50,
  progress: '15 votes so far; a decision usually within ~12 more.',
  canUndo: false,
  ...overrides,
});

/** What each option's confidence is once revealed (after the vote), by label. */
export const ROUND_CONFIDENCE: Record<string, number> = { 1: 0.67, 2: 0.13, 3: 0.2 };

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
  learnedFrom: null,
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
  fileKind: 'PNG image',
  size: 482_113,
  hasThumbnail: true,
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

/** Not in a team. */
export const makeTeam = (overrides: Partial<TeamView> = {}): TeamView => ({
  folder: null,
  member: null,
  defaultMember: 'me-macbook',
  shareProblem: null,
  problem: null,
  teammates: [],
  skipped: [],
  ...overrides,
});

/** In a team with Ana (a test under way, a version to test) and Ben (nothing new), and one half-synced file. */
export const makeTeamWithMates = (overrides: Partial<TeamView> = {}): TeamView =>
  makeTeam({
    folder: '/Users/me/Dropbox/tinyarms-team',
    member: 'me-macbook',
    teammates: [
      {
        member: 'ana',
        writtenAt: '2026-11-29T17:02:00.000Z',
        versions: [{ skill: 'file-naming', version: 4, accuracy: 0.93, canTest: true, note: null }],
        tests: [{ skill: 'markdown-analysis', arms: 3, votes: 9, canJoin: true, joined: false, note: null }],
      },
      {
        member: 'ben',
        writtenAt: '2026-11-28T09:15:00.000Z',
        versions: [{ skill: 'file-naming', version: 2, accuracy: 0.88, canTest: false, note: 'You run this version.' }],
        tests: [],
      },
    ],
    skipped: [
      {
        member: 'cleo',
        file: '/Users/me/Dropbox/tinyarms-team/cleo/share.json',
        reason: 'not complete JSON (half-synced or edited by hand)',
      },
    ],
    ...overrides,
  });

export const makeState = (overrides: Partial<AppStateView> = {}): AppStateView => ({
  dataDir: '/Users/me/Library/Application Support/tinyArms',
  shell: { kind: 'browser' },
  skills: [makeSkill()],
  pendingVotes: [],
  evolutionPaused: false,
  preferences: defaultPreferences(),
  configProblems: null,
  model: {
    configuredPath: null,
    resolvedPath: '/Users/me/Library/Application Support/tinyArms/models/SmolLM2-360M-Instruct-Q4_K_M.gguf',
    source: 'data-folder',
    loaded: false,
    download: null,
    error: null,
  },
  watch: { enabled: true, folders: ['~/Desktop/Screenshots'], problem: null },
  proposals: [],
  lastRename: null,
  month: { votesAsked: 14, votesGiven: 12, evolutionsRun: 1, gains: [{ skill: 'file-naming', version: 2, before: 0.74, after: 0.9 }] },
  team: makeTeam(),
  revision: 1,
  ...overrides,
});
