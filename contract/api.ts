/**
 * The one contract between the engine side (Electron main, or `tinyarms serve` in browser mode) and the
 * renderer. Electron's preload exposes `TinyArmsApi` as `window.tinyArms`; browser mode implements the same
 * interface over HTTP + server-sent events. Plain data only: everything here must survive structured clone
 * and JSON. The views it carries are in views.ts and team-view.ts, re-exported here.
 */

import type {
  AppStateView,
  HistoryView,
  PreferenceKey,
  PreferencesView,
  ProposalDecisionView,
  VoteResultView,
  VoteRoundView,
} from './views';

export type * from './team-view';
export type * from './views';

export type WindowRoute = 'popover' | 'choice' | 'preferences';
export const WINDOW_ROUTES = ['popover', 'choice', 'preferences'] as const satisfies readonly WindowRoute[];

/**
 * Each window's size in points: Electron's windows, and the viewport of the page in tests and browser mode. The
 * popover's and the choice window's heights are their largest: in the app they size to their content (fitWindow),
 * down to POPOVER_MIN_HEIGHT and CHOICE_MIN_HEIGHT.
 */
export const WINDOW_SIZES: Record<WindowRoute, { width: number; height: number }> = {
  popover: { width: 360, height: 560 },
  choice: { width: 480, height: 460 },
  preferences: { width: 600, height: 540 },
};
export const POPOVER_MIN_HEIGHT = 160;
export const CHOICE_MIN_HEIGHT = 300;

/** Window titles (Preferences and the choice window title themselves with what they show, as macOS windows do). */
export const WINDOW_TITLES: Record<WindowRoute, string> = {
  popover: 'tinyArms',
  choice: 'Which is better?',
  preferences: 'tinyArms Preferences',
};

/** Every call either resolves with its result or rejects with an Error whose message is one clear line. */
export interface TinyArmsApi {
  getState(): Promise<AppStateView>;
  /** Pushes the state whenever it changes; returns the unsubscribe function. */
  onState(listener: (state: AppStateView) => void): () => void;
  /** The oldest waiting vote round, or a specific one. */
  getRound(taskId?: string): Promise<VoteRoundView | null>;
  vote(taskId: string, choice: string): Promise<VoteResultView>;
  /** Takes back a round's vote while its test is undecided; the round is open again. */
  undoVote(taskId: string): Promise<VoteRoundView>;
  /** Refused with one plain sentence meant for the field (code 'invalid_preference') when the engine cannot use the value. */
  setPreference<K extends PreferenceKey>(key: K, value: PreferencesView[K]): Promise<PreferencesView>;
  /** Every preference back to its default (other settings in config.yaml stay). */
  restoreDefaults(): Promise<PreferencesView>;
  /** Puts the last good config.yaml back over one with errors; returns a sentence saying where the broken one was kept. */
  useLastGoodConfig(): Promise<string>;
  /** Watches this folder for new files (instead of the screenshots folder or those set before). */
  setWatchFolder(folder: string): Promise<void>;
  getHistory(skill: string): Promise<HistoryView>;
  rollback(skill: string, version: number): Promise<HistoryView>;
  promote(skill: string, letter: string): Promise<HistoryView>;
  /** Back to the shipped prompt (version 1) as a recorded rollback; every version stays, roll forward to undo. */
  resetToDefault(skill: string): Promise<HistoryView>;
  /** Pins a past task as a gold example ("always get this right"); unpin takes it back. */
  pinTask(taskId: string): Promise<void>;
  unpinTask(taskId: string): Promise<void>;
  /** Joins a team: shares votes and promoted prompts in this folder and pools the teammates' (member: null = the default name). */
  joinTeam(folder: string, member: string | null): Promise<void>;
  /** Stops sharing and pooling; files already shared stay in the folder. */
  leaveTeam(): Promise<void>;
  /** Starts an A/B test of the current prompt against a teammate's version of the skill. */
  testTeammateVersion(member: string, skill: string): Promise<void>;
  /** Runs the same A/B test as a teammate (their prompts), so both people's votes decide one winner. */
  joinTeammateTest(member: string, skill: string): Promise<void>;
  /** "Not now" to a popover offer (its key): it is not offered again; a teammate's next version or test is. */
  dismissTeamOffer(key: string): Promise<void>;
  /** Keeps the current prompt over a test's winner waiting for review (a flagged test still running ends). */
  keepCurrent(skill: string): Promise<void>;
  setEvolutionPaused(paused: boolean): Promise<void>;
  runMonitor(): Promise<void>;
  pullModel(): Promise<void>;
  /** Evolve now, or resume a stopped evolution where it stopped; resolves once it has started. */
  startEvolution(skill: string): Promise<void>;
  /** Stops the skill's running evolution (resumable); when none runs, cancels its active A/B session. */
  cancelEvolution(skill: string): Promise<void>;
  /** Forgets a stopped or failed evolution. */
  dismissEvolution(skill: string): Promise<void>;
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
  /** A small preview of a proposal's file as a data: URL (Quick Look in the app); null when there is none. */
  getThumbnail(proposalId: string): Promise<string | null>;
  // ---- the shell: windows, dialogs, Finder ----
  /** Opens (or focuses) a window; in browser mode it navigates. */
  openWindow(route: WindowRoute): Promise<void>;
  closeWindow(): Promise<void>;
  /**
   * The app's native open dialog: a model file, a folder to watch, or the team's shared folder; null when cancelled.
   * Browser mode refuses (code 'not_available'): type the path.
   */
  chooseFile(kind: FileChoice): Promise<string | null>;
  /** Shows a file the state names in Finder. Browser mode refuses (code 'not_available'): show the path. */
  revealInFinder(path: string): Promise<void>;
  /** Opens config.yaml in the person's editor. Browser mode refuses (code 'not_available'): show its path. */
  openConfigFile(): Promise<void>;
  /** The popover and the choice window ask for the height their content needs; the app clamps it. Browser mode ignores it. */
  fitWindow(height: number): Promise<void>;
}

/** The method names, for IPC channel registration and the HTTP routes: one list, checked against the type. */
export const API_METHODS = [
  'getState',
  'getRound',
  'vote',
  'undoVote',
  'setPreference',
  'restoreDefaults',
  'useLastGoodConfig',
  'setWatchFolder',
  'getHistory',
  'rollback',
  'promote',
  'resetToDefault',
  'pinTask',
  'unpinTask',
  'joinTeam',
  'leaveTeam',
  'testTeammateVersion',
  'joinTeammateTest',
  'dismissTeamOffer',
  'keepCurrent',
  'setEvolutionPaused',
  'runMonitor',
  'pullModel',
  'startEvolution',
  'cancelEvolution',
  'dismissEvolution',
  'acceptProposal',
  'editProposal',
  'skipProposal',
  'dismissProposal',
  'undoRenames',
  'getThumbnail',
  'openWindow',
  'closeWindow',
  'chooseFile',
  'revealInFinder',
  'openConfigFile',
  'fitWindow',
] as const satisfies readonly Exclude<keyof TinyArmsApi, 'onState'>[];

export type FileChoice = 'model' | 'folder' | 'team-folder';
export const FILE_CHOICES = ['model', 'folder', 'team-folder'] as const satisfies readonly FileChoice[];

/** What the shell (Electron or the browser-mode server) implements itself; the app service does the rest. */
export const SHELL_METHODS = [
  'openWindow',
  'closeWindow',
  'chooseFile',
  'revealInFinder',
  'openConfigFile',
  'fitWindow',
] as const satisfies readonly ApiMethod[];
export type ShellMethod = (typeof SHELL_METHODS)[number];

export type ApiMethod = (typeof API_METHODS)[number];

export const STATE_CHANNEL = 'tinyarms:state';
export const PREFERENCE_KEYS = [
  'accuracyThreshold',
  'sampleSize',
  'cooldownHours',
  'decisionConfidence',
  'showProbability',
  'votesRequired',
  'maxDurationDays',
  'minAccuracyImprovement',
  'rollbackThreshold',
  'modelPath',
  'trayTitle',
  'notifications',
  'launchAtLogin',
  'showConfidenceBeforeVote',
  'goldShare',
  'teamVoteWeight',
  'shareTaskInputs',
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
