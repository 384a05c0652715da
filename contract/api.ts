/**
 * The one contract between the engine side (Electron main, or `tinyarms serve` in browser mode) and the
 * renderer. Electron's preload exposes `TinyArmsApi` as `window.tinyArms`; browser mode implements the same
 * interface over HTTP + server-sent events. Plain data only: everything here must survive structured clone
 * and JSON.
 */

export type WindowRoute = 'popover' | 'choice' | 'preferences';
export const WINDOW_ROUTES = ['popover', 'choice', 'preferences'] as const satisfies readonly WindowRoute[];

/** Each window's size in points: Electron's windows, and the viewport of the page in tests and browser mode. */
export const WINDOW_SIZES: Record<WindowRoute, { width: number; height: number }> = {
  popover: { width: 360, height: 480 },
  choice: { width: 460, height: 420 },
  preferences: { width: 560, height: 520 },
};

/** Window titles (Preferences adds the pane shown, as macOS settings windows do). */
export const WINDOW_TITLES: Record<WindowRoute, string> = {
  popover: 'tinyArms',
  choice: 'tinyArms — which is better?',
  preferences: 'tinyArms Preferences',
};

export interface ArmView {
  letter: string;
  votes: number;
  pBest: number;
  /** Expected loss under the decision rule's model; null once the arm has left the test (P(best) is then 0). */
  expectedLoss: number | null;
  /** Accepted / served tasks with feedback; null before any. */
  accuracy: number | null;
  served: number;
  source: 'file' | 'smollm2' | 'manual' | 'current';
  reasoning: string | null;
  prompt: string;
}

export interface SessionView {
  id: string;
  skill: string;
  status: 'active' | 'completed' | 'cancelled';
  votes: number;
  maxVotes: number;
  none: number;
  skips: number;
  elapsedDays: number;
  /** Letter of the arm with the highest P(best), null before any vote. */
  leader: string | null;
  leaderPBest: number;
  /** The engine's one-line status: "P(best) 0.92 < 0.97 at 15 votes; next look at 20". */
  decisionReason: string;
  outcome: 'promoted' | 'kept' | 'awaiting_manual' | null;
  arms: ArmView[];
}

export interface EvolutionProgressView {
  skill: string;
  phase: 'initialising' | 'evolving' | 'final-evaluation' | 'done' | 'cancelled' | 'failed';
  generation: number;
  generations: number;
  bestFitness: number | null;
  meanFitness: number | null;
  llmCalls: number;
  maxLlmCalls: number;
  tokensPerSecond: number | null;
  etaSeconds: number | null;
  message: string | null;
}

export interface SkillView {
  skill: string;
  description: string;
  evolvable: boolean;
  version: number;
  activeSince: string;
  accuracy: number | null;
  samples: number;
  /** Accuracy one window earlier, for the trend arrow. */
  previousAccuracy: number | null;
  verdict: string | null;
  verdictReason: string | null;
  session: SessionView | null;
  evolution: EvolutionProgressView | null;
}

export interface RoundOptionView {
  label: string;
  output: string;
  pBest: number;
}

export interface VoteRoundView {
  taskId: string;
  sessionId: string;
  skill: string;
  input: string;
  status: 'open' | 'picked' | 'none' | 'skipped';
  options: RoundOptionView[];
  picked: string | null;
  votes: number;
  maxVotes: number;
  /** A one-line tip, e.g. "Option 2 is leading. About 5 more votes to confirm." */
  tip: string;
}

export interface PreferencesView {
  accuracyThreshold: number;
  sampleSize: number;
  cooldownHours: number;
  decisionConfidence: number;
  showProbability: number;
  votesRequired: number;
  maxDurationDays: number;
  minAccuracyImprovement: number;
  rollbackThreshold: number;
  modelPath: string | null;
  trayTitle: boolean;
  notifications: boolean;
  launchAtLogin: boolean;
}

export type PreferenceKey = keyof PreferencesView;

export interface ModelView {
  configuredPath: string | null;
  resolvedPath: string | null;
  source: 'config' | 'data-folder' | 'downloaded' | null;
  loaded: boolean;
  download: { downloadedBytes: number; totalBytes: number } | null;
  error: string | null;
}

/** One choice of a vote proposal (an A/B round on a file): the blind label and the arm's name. */
export interface ProposalOptionView {
  label: string;
  /** The safe name this option renames to; null when the arm's answer was not a usable file name. */
  name: string | null;
  /** What the user sees. */
  text: string;
}

/** A name proposed for a new file in a watched folder, waiting for the user (or just gone stale). */
export interface ProposalView {
  id: string;
  path: string;
  folder: string;
  /** The file's name when it was proposed. */
  name: string;
  /** 'name': one proposed name; 'vote': an A/B round, one option per arm. */
  kind: 'name' | 'vote';
  /** kind 'name': the safe name offered; null when the model's answer was unusable (edit or skip). */
  proposed: string | null;
  /** kind 'vote': the options, behind blind labels 1, 2, 3. */
  options: ProposalOptionView[];
  status: 'pending' | 'renamed' | 'skipped' | 'dismissed' | 'stale';
  /** One line: why a name was adjusted, or why a stale proposal was left alone. */
  note: string | null;
  finalName: string | null;
  createdAt: string;
}

export interface RenameView {
  id: string;
  folder: string;
  from: string;
  to: string;
  at: string;
}

export interface ProposalDecisionView {
  proposal: ProposalView;
  /** One line each: "x.png was taken, so the file is now x-2.png". */
  notes: string[];
}

export interface AppStateView {
  dataDir: string;
  skills: SkillView[];
  /** Vote rounds waiting for the user, oldest first. */
  pendingVotes: VoteRoundView[];
  evolutionPaused: boolean;
  preferences: PreferencesView;
  /** Problems in the user's config.yaml, one line each ("file:line: key message"). */
  configIssues: string[];
  model: ModelView;
  /** Rename suggestions: pending ones oldest first, then ones that went stale (with their note) until dismissed. */
  proposals: ProposalView[];
  /** The newest rename tinyArms made that can still be undone. */
  lastRename: RenameView | null;
  /** Increments on every change, so a view can ignore stale pushes. */
  revision: number;
}

export interface VersionView {
  version: number;
  templatePath: string;
  prompt: string;
  activeFrom: string;
  activeTo: string | null;
  accuracyEnd: number | null;
  source: string | null;
  notes: string | null;
  current: boolean;
}

export interface HistoryView {
  skill: string;
  versions: VersionView[];
}

/** Every call either resolves with its result or rejects with an Error whose message is one clear line. */
export interface TinyArmsApi {
  getState(): Promise<AppStateView>;
  /** Pushes the state whenever it changes; returns the unsubscribe function. */
  onState(listener: (state: AppStateView) => void): () => void;
  /** The oldest waiting vote round, or a specific one. */
  getRound(taskId?: string): Promise<VoteRoundView | null>;
  vote(taskId: string, choice: string): Promise<{ round: VoteRoundView; duplicate: boolean; conclusion: string | null }>;
  setPreference<K extends PreferenceKey>(key: K, value: PreferencesView[K]): Promise<PreferencesView>;
  getHistory(skill: string): Promise<HistoryView>;
  rollback(skill: string, version: number): Promise<HistoryView>;
  promote(skill: string, letter: string): Promise<HistoryView>;
  setEvolutionPaused(paused: boolean): Promise<void>;
  runMonitor(): Promise<void>;
  pullModel(): Promise<void>;
  /** Stops the skill's running evolution; when none runs, cancels its active A/B session. */
  cancelEvolution(skill: string): Promise<void>;
  /** Renames the file to the proposed name (a vote proposal: to the picked option's name); records 'accepted'. */
  acceptProposal(id: string, option?: string): Promise<ProposalDecisionView>;
  /** Renames the file to the user's name (made safe, extension kept); records 'edited'. */
  editProposal(id: string, name: string, option?: string): Promise<ProposalDecisionView>;
  /** Leaves the file alone and records nothing. */
  skipProposal(id: string): Promise<ProposalDecisionView>;
  /** Leaves the file alone and records 'rejected'; a stale proposal is just removed from the list. */
  dismissProposal(id: string): Promise<void>;
  /** Puts the last `count` renamed files back (never overwrites); one line per file. */
  undoRenames(count: number): Promise<string[]>;
  /** Opens (or focuses) a window; in browser mode it navigates. */
  openWindow(route: WindowRoute): Promise<void>;
  closeWindow(): Promise<void>;
}

/** The method names, for IPC channel registration and the HTTP routes: one list, checked against the type. */
export const API_METHODS = [
  'getState', 'getRound', 'vote', 'setPreference', 'getHistory', 'rollback', 'promote',
  'setEvolutionPaused', 'runMonitor', 'pullModel', 'cancelEvolution', 'acceptProposal', 'editProposal', 'skipProposal',
  'dismissProposal', 'undoRenames', 'openWindow', 'closeWindow',
] as const satisfies readonly Exclude<keyof TinyArmsApi, 'onState'>[];

export type ApiMethod = (typeof API_METHODS)[number];

export const STATE_CHANNEL = 'tinyarms:state';
export const PREFERENCE_KEYS = [
  'accuracyThreshold', 'sampleSize', 'cooldownHours', 'decisionConfidence', 'showProbability', 'votesRequired',
  'maxDurationDays', 'minAccuracyImprovement', 'rollbackThreshold', 'modelPath', 'trayTitle', 'notifications',
  'launchAtLogin',
] as const satisfies readonly PreferenceKey[];

/**
 * What main answers on every IPC channel and HTTP route: the value, or one clear line. The preload and the
 * HTTP client unwrap it, so the page sees a resolved value or an Error with exactly that message.
 */
export type ApiResult<T = unknown> = { ok: true; value: T } | { ok: false; error: string; code: string };

/** Browser mode (`tinyarms serve`): POST /api/<method> with a JSON array of arguments; state pushes over SSE. */
export const HTTP_API_PREFIX = '/api/';
export const HTTP_EVENTS_PATH = '/api/events';
export const HTTP_TOKEN_HEADER = 'x-tinyarms-token';
/** The SSE URL carries the token as this query parameter (EventSource cannot set headers). */
export const HTTP_TOKEN_PARAM = 'token';
export const STATE_EVENT = 'state';
export const channelOf = (method: ApiMethod): string => `tinyarms:${method}`;

// Fails to compile when a method of TinyArmsApi is missing from API_METHODS.
type MissingMethods = Exclude<Exclude<keyof TinyArmsApi, 'onState'>, ApiMethod>;
export const API_METHODS_COMPLETE: [MissingMethods] extends [never] ? true : MissingMethods = true;
type MissingPreferences = Exclude<PreferenceKey, (typeof PREFERENCE_KEYS)[number]>;
export const PREFERENCE_KEYS_COMPLETE: [MissingPreferences] extends [never] ? true : MissingPreferences = true;
