import {
  UserError,
  monitorIntervalMs,
  moreVotes,
  scheduleMonitor,
  testProgressSentence,
  usageError,
  type Conclusion,
  type Engine,
  type FileWatchOptions,
  type Scheduler,
  type Timers,
  startLoadSampler,
} from '../engine';
import type {
  AppStateView,
  HistoryView,
  PreferenceKey,
  PreferencesView,
  ProposalDecisionView,
  ShellMethod,
  ShellView,
  TinyArmsApi,
  VoteResultView,
  VoteRoundView,
} from '../../contract/api';
import { AppEvolutions } from './app-evolutions';
import { AppFiles } from './app-files';
import { buildState, openRounds } from './app-state';
import { oneLine } from './errors';
import { idleEvolutionHost, type EvolutionHost } from './evolution-host';
import { PauseSwitch } from './pause-switch';
import { PREFERENCE_SPECS, preferenceProblem, preferencesFromConfig, settingProblem } from './preferences';
import { StateFeed } from './state-feed';
import { joinTeammateTest, testTeammateVersion } from './app-team';
import { teamSignature } from './team-view';
import { historyView, roundView } from './state-view';
import { imageThumbnail, type ThumbnailMaker } from './thumbnails';

export { APP_STATE_FILE_NAME } from './pause-switch';

/** Everything of the contract the shell does not do itself (windows, dialogs, Finder); Electron and browser mode add those. */
export type AppApi = Omit<TinyArmsApi, ShellMethod>;

export interface AppServiceOptions {
  engine: Engine;
  evolution?: EvolutionHost;
  /** Which shell the page runs in (native dialogs and Finder in the app; typed paths in a browser). Default: browser. */
  shell?: ShellView;
  /** Previews of proposals' files; default: images a browser can show. Electron passes Quick Look's. */
  thumbnail?: ThumbnailMaker;
  /** Whether a file can be previewed (default: browser-showable images). */
  canPreview?: (file: string) => boolean;
  /** How often to look for changes by other processes (the CLI) and hand edits of config.yaml; 0 = never. */
  watchIntervalMs?: number;
  /** Watch watch.folders for new files once started, when watch.enabled (default false: the shells turn it on). */
  watchFiles?: boolean;
  /** Settle time, polling, folder defaults for the watch (tests). */
  fileWatch?: Omit<FileWatchOptions, 'onError'>;
  /** Timers for the scheduler (tests); real, unref'd timers by default. */
  timers?: Timers;
  log?: (line: string) => void;
}

/** The skill that names files: vote proposals are its tests. */
const skillOfNaming = 'file-naming';

const unrefTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A test's conclusion in plain words: what happened to the prompt, never an arm's letter. */
export function conclusionSentence(conclusion: Conclusion): string {
  if (conclusion.outcome === 'promoted') {
    const winner = conclusion.decision.arm === null ? null : conclusion.change;
    return `The test is decided: the new prompt is now in use${winner ? ` (version ${winner.toVersion})` : ''}.`;
  }
  if (conclusion.outcome === 'awaiting_manual') {
    return 'The test is decided: a new prompt won. Review it in the tinyArms menu to use it or keep the current one.';
  }
  return conclusion.decision.kind === 'no_clear_winner'
    ? 'The test is decided: no prompt was clearly better, so the current one stays.'
    : 'The test is decided: the current prompt stays.';
}

/**
 * The engine as the menu-bar app and browser mode see it: the contract's actions over the engine, with a state
 * feed (StateFeed), the pause switch (PauseSwitch), file naming (AppFiles) and the monitor's schedule. It never
 * imports electron; Electron and the HTTP server are transports around it. Every change (an action here, the
 * scheduler, another process writing the database, a hand edit of config.yaml) becomes one state push.
 */
export class AppService implements AppApi {
  readonly engine: Engine;
  /** File naming: proposals and the folder watch. */
  readonly files: AppFiles;
  private readonly evolution: EvolutionHost;
  private readonly feed: StateFeed;
  private readonly pause: PauseSwitch;
  private readonly unsubscribers: (() => void)[] = [];
  private scheduler: Scheduler | null = null;
  private stopSampler: (() => void) | null = null;
  private schedulerInterval = 0;
  private filesStarted: Promise<void> | null = null;
  private pulling: Promise<void> | null = null;
  private readonly evolutions: AppEvolutions;

  constructor(private readonly options: AppServiceOptions) {
    this.engine = options.engine;
    this.evolution = options.evolution ?? idleEvolutionHost();
    this.pause = new PauseSwitch(this.engine.dataDir, (line) => this.log(line));
    this.evolution.setPaused(this.pause.paused);
    this.feed = new StateFeed(
      this.engine,
      () => buildState(this.stateSources()),
      (line) => this.log(line),
      // Teammates' files change through a sync tool, not through this database: their times are watched too.
      () => teamSignature(this.engine),
    );
    this.evolutions = new AppEvolutions({
      engine: this.engine,
      host: this.evolution,
      pause: this.pause,
      onEnded: () => this.feed.queue(),
      log: (line) => this.log(line),
    });
    this.files = new AppFiles({
      engine: this.engine,
      watch: options.watchFiles ?? false,
      watchOptions: options.fileWatch,
      onChange: () => this.feed.queue(),
      log: (line) => this.log(line),
      canPreview: options.canPreview,
    });
    this.unsubscribers.push(
      // A teammate's file that is half-synced or broken is skipped; the log says so once per version of it.
      this.engine.team.onSkip((s) => this.log(`tinyArms: team: skipped ${s.file}: ${s.reason}`)),
      // Deferred: several changes in a row (a config edit and its reload) push once.
      this.engine.ctx.config.onChange((config) => {
        this.feed.queue();
        if (this.filesStarted) void this.files.sync();
        if (this.scheduler && monitorIntervalMs(config) !== this.schedulerInterval) {
          this.scheduler.stop();
          this.startScheduler();
        }
      }),
      this.evolution.onProgress(() => this.feed.queue()),
      this.engine.models.onChange(() => {
        this.feed.queue();
        if (this.filesStarted) void this.files.sync();
      }),
    );
  }

  private stateSources() {
    const shell = this.options.shell ?? { kind: 'browser' as const };
    return { engine: this.engine, files: this.files, evolution: this.evolution, paused: this.pause.paused, shell };
  }

  // ---- lifecycle -------------------------------------------------------------------------------------------

  /** Starts the monitor's schedule (a check at start-up when one is due), the watch for outside changes, and file naming. */
  start(): void {
    // A run's projection then knows the machine's last quarter-minute, not only the lagging load average.
    this.stopSampler ??= startLoadSampler();
    if (!this.scheduler) this.startScheduler();
    this.filesStarted ??= this.files.start();
    this.feed.watch(this.options.watchIntervalMs ?? 2000);
  }

  /** Stops timers and listeners; the engine stays open (its owner closes it). */
  async stop(): Promise<void> {
    this.stopSampler?.();
    this.stopSampler = null;
    this.scheduler?.stop();
    this.scheduler = null;
    this.feed.stop();
    for (const off of this.unsubscribers.splice(0)) off();
    await this.files.stop();
    await this.evolution.dispose();
    await this.evolutions.settled();
  }

  /** Resolves once file naming has started (the watch running); at once before start(). */
  async filesReady(): Promise<void> {
    await this.filesStarted;
  }

  /** The catch-up check after sleep (powerMonitor 'resume'): runs the monitor now if the schedule is running. */
  catchUp(): Promise<void> {
    return this.scheduler ? this.scheduler.runNow() : Promise.resolve();
  }

  /** Looks for changes made elsewhere now (other processes, hand edits); pushes the state when anything moved. */
  pollExternalChanges(): void {
    this.feed.poll();
  }

  /** Whether the state shows this path (a proposal's file, a watched folder, the model, config.yaml): what Finder may reveal. */
  showsPath(file: string): boolean {
    const model = this.engine.models.status().resolvedPath;
    const fixed = [model, this.engine.ctx.config.file, this.engine.dataDir, this.feed.peek()?.team.folder];
    return this.files.shows(file) || fixed.includes(file);
  }

  // ---- state -----------------------------------------------------------------------------------------------

  async getState(): Promise<AppStateView> {
    return this.feed.refresh();
  }

  /** The latest state without touching the database (null before the first read). */
  peekState(): AppStateView | null {
    return this.feed.peek();
  }

  onState(listener: (state: AppStateView) => void): () => void {
    return this.feed.onState(listener);
  }

  refresh(): AppStateView {
    return this.feed.refresh();
  }

  // ---- actions ---------------------------------------------------------------------------------------------

  /** Runs a change, then pushes the state once (also after a failure, which may have changed something). */
  private async act<T>(fn: () => T | Promise<T>): Promise<T> {
    try {
      return await fn();
    } finally {
      this.feed.safeRefresh();
    }
  }

  private get revealOpen(): boolean {
    return this.engine.ctx.config.config.app.show_confidence_before_vote;
  }

  async getRound(taskId?: string): Promise<VoteRoundView | null> {
    const sessions = this.engine.sessions;
    const round = taskId === undefined ? openRounds(this.engine, this.files)[0] : sessions.round(taskId);
    return round ? roundView(this.engine, round, sessions.results(round.sessionId), { revealOpen: this.revealOpen }) : null;
  }

  vote(taskId: string, choice: string): Promise<VoteResultView> {
    return this.act(() => {
      const outcome = this.engine.vote(taskId, choice);
      return {
        round: roundView(this.engine, outcome.round, outcome.results),
        duplicate: outcome.duplicate,
        conclusion: outcome.conclusion
          ? conclusionSentence(outcome.conclusion)
          : outcome.conclusionError
            ? 'The test is decided; tinyArms applies the decision at its next check.'
            : null,
      };
    });
  }

  undoVote(taskId: string): Promise<VoteRoundView> {
    return this.act(() => {
      const { round, results } = this.engine.undoVote(taskId);
      return roundView(this.engine, round, results, { revealOpen: this.revealOpen });
    });
  }

  setPreference<K extends PreferenceKey>(key: K, value: PreferencesView[K]): Promise<PreferencesView> {
    return this.act(() => {
      const spec = PREFERENCE_SPECS[key];
      if (!spec) throw new UserError(`unknown preference '${String(key)}'`, { exitCode: 2, code: 'bad_payload' });
      const config = this.engine.ctx.config;
      if (config.issues.length > 0) {
        throw new UserError('config.yaml has errors: fix them or use the last good file first', { code: 'config_invalid' });
      }
      const problem = preferenceProblem(config.config, key, value);
      if (problem) throw new UserError(problem, { exitCode: 2, code: 'invalid_preference' });
      config.set(spec.path, value);
      return preferencesFromConfig(config.config);
    });
  }

  restoreDefaults(): Promise<PreferencesView> {
    return this.act(() => {
      const config = this.engine.ctx.config;
      config.unsetMany(Object.values(PREFERENCE_SPECS).map((spec) => spec.path));
      return preferencesFromConfig(config.config);
    });
  }

  useLastGoodConfig(): Promise<string> {
    return this.act(() => {
      const { restored, brokenCopy } = this.engine.ctx.config.restoreLastGood();
      const kept = `The file with errors was kept as ${brokenCopy}.`;
      return restored === 'text' ? `config.yaml is back as it last worked. ${kept}` : `config.yaml starts over with the defaults. ${kept}`;
    });
  }

  setWatchFolder(folder: string): Promise<void> {
    return this.act(() => {
      const config = this.engine.ctx.config;
      const problem = settingProblem(['watch', 'folders', 0], folder.trim());
      if (problem) throw new UserError(problem, { exitCode: 2, code: 'invalid_preference' });
      config.set(['watch', 'folders'], [folder.trim()]);
      if (!config.config.watch.enabled) config.set(['watch', 'enabled'], true);
    });
  }

  async getHistory(skill: string): Promise<HistoryView> {
    return historyView(this.engine, skill);
  }

  rollback(skill: string, version: number): Promise<HistoryView> {
    return this.act(() => {
      this.engine.rollback(skill, version);
      return historyView(this.engine, skill);
    });
  }

  promote(skill: string, letter: string): Promise<HistoryView> {
    return this.act(() => {
      this.engine.promoteByHand(skill, letter);
      return historyView(this.engine, skill);
    });
  }

  resetToDefault(skill: string): Promise<HistoryView> {
    return this.act(() => {
      this.engine.resetToDefault(skill);
      return historyView(this.engine, skill);
    });
  }

  pinTask(taskId: string): Promise<void> {
    return this.act(() => {
      this.engine.gold.pin(taskId);
    });
  }

  unpinTask(taskId: string): Promise<void> {
    return this.act(() => {
      this.engine.gold.unpin(taskId);
    });
  }

  // ---- team ----------------------------------------------------------------------------------------------

  joinTeam(folder: string, member: string | null): Promise<void> {
    return this.act(() => {
      this.engine.team.join(folder, member ?? undefined);
    });
  }

  leaveTeam(): Promise<void> {
    return this.act(() => this.engine.team.leave());
  }

  testTeammateVersion(member: string, skill: string): Promise<void> {
    return this.act(() => testTeammateVersion(this.engine, member, skill, (s) => this.evolutions.isEvolving(s)));
  }

  joinTeammateTest(member: string, skill: string): Promise<void> {
    return this.act(() => joinTeammateTest(this.engine, member, skill, (s) => this.evolutions.isEvolving(s)));
  }

  dismissTeamOffer(key: string): Promise<void> {
    return this.act(() => this.engine.team.dismissOffer(key));
  }

  keepCurrent(skill: string): Promise<void> {
    return this.act(() => {
      const sessions = this.engine.sessions;
      const running = sessions.active(skill);
      if (running) {
        sessions.cancel(running.id);
        return;
      }
      const latest = sessions.latest(skill);
      if (!latest) throw usageError(`${skill} has no test to review`, 'nothing_to_review');
      sessions.keepCurrent(latest.id);
    });
  }

  setEvolutionPaused(paused: boolean): Promise<void> {
    return this.act(() => this.evolutions.setPaused(paused));
  }

  /** The check the scheduler runs, on demand. It runs even while paused: the person asked for it. */
  runMonitor(): Promise<void> {
    return this.act(async () => {
      await this.engine.runMonitor({ startEvolutions: !this.pause.paused });
    });
  }

  /** Downloads the default model; a second call while one runs gets the same download. */
  pullModel(): Promise<void> {
    this.pulling ??= this.act(() => this.engine.models.pull()).finally(() => {
      this.pulling = null;
    });
    return this.pulling;
  }

  // ---- evolutions --------------------------------------------------------------------------------------------

  /** Starts (or resumes) the skill's evolution in the background once the checks that cost nothing pass. */
  startEvolution(skill: string): Promise<void> {
    return this.act(() => this.evolutions.start(skill));
  }

  /** Resolves when the evolutions started here have ended (tests). */
  evolutionsSettled(): Promise<void> {
    return this.evolutions.settled();
  }

  cancelEvolution(skill: string): Promise<void> {
    return this.act(() => this.evolutions.cancel(skill));
  }

  dismissEvolution(skill: string): Promise<void> {
    return this.act(() => this.evolutions.dismiss(skill));
  }

  // ---- file proposals ----------------------------------------------------------------------------------------

  acceptProposal(id: string, option?: string): Promise<ProposalDecisionView> {
    return this.act(() => this.told(this.files.accept(id, option)));
  }

  editProposal(id: string, name: string, option?: string): Promise<ProposalDecisionView> {
    return this.act(() => this.told(this.files.edit(id, name, option)));
  }

  /** A decision says what it did: the rename, and for a vote on names, that the vote counted and how far the test is. */
  private told(decision: ProposalDecisionView): ProposalDecisionView {
    const { proposal } = decision;
    const sentence = (note: string) => (/[.!?]$/.test(note) ? note : `${note}.`);
    const said = decision.notes.map(sentence);
    const renamed = proposal.status === 'renamed' && proposal.finalName ? [`Renamed ${proposal.name} to ${proposal.finalName}.`] : [];
    const notes = [...renamed, ...said];
    const session = proposal.kind === 'vote' && proposal.status === 'renamed' ? this.engine.sessions.latest(skillOfNaming) : undefined;
    if (!session) return { ...decision, notes };
    const results = this.engine.sessions.results(session.id);
    const progress =
      session.status === 'active' ? testProgressSentence(results.votes, moreVotes(this.engine, results)) : 'this test is now decided.';
    return { ...decision, notes: [...notes, `Your vote counted: ${progress[0].toLowerCase()}${progress.slice(1)}`] };
  }

  skipProposal(id: string): Promise<ProposalDecisionView> {
    return this.act(() => this.files.skip(id));
  }

  dismissProposal(id: string): Promise<void> {
    return this.act(() => this.files.dismiss(id));
  }

  undoRenames(count: number): Promise<string[]> {
    return this.act(() => this.files.undo(count));
  }

  async getThumbnail(proposalId: string): Promise<string | null> {
    const file = this.files.fileOf(proposalId);
    if (!file) throw usageError(`unknown proposal '${proposalId}'`, 'unknown_proposal');
    return (this.options.thumbnail ?? imageThumbnail)(file);
  }

  // ---- schedule --------------------------------------------------------------------------------------------

  private startScheduler(): void {
    this.schedulerInterval = monitorIntervalMs(this.engine.ctx.config.config);
    this.scheduler = scheduleMonitor(this.engine, {
      timers: this.options.timers ?? unrefTimers,
      run: () => this.scheduledCheck(),
      onError: (error) => this.log(`tinyArms: the scheduled check failed: ${oneLine(error)}`),
    });
    this.scheduler.start();
  }

  private async scheduledCheck(): Promise<void> {
    if (this.pause.paused) {
      this.log('tinyArms: evolution is paused; the scheduled check is skipped');
      return;
    }
    await this.act(() => this.engine.runMonitor());
  }

  private log(line: string): void {
    (this.options.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(line);
  }
}
