import { formatIssue } from '../engine/config/config-store';
import type { Engine } from '../engine/engine';
import type { FileWatchOptions } from '../engine/files/watch-service';
import { monitorIntervalMs, scheduleMonitor } from '../engine/scheduler/monitor-schedule';
import type { Scheduler, Timers } from '../engine/scheduler/scheduler';
import { UserError } from '../engine/util/errors';
import type {
  AppStateView, HistoryView, ModelView, PreferenceKey, PreferencesView, ProposalDecisionView, TinyArmsApi, VoteRoundView,
} from '../../contract/api';
import { AppFiles } from './app-files';
import { oneLine } from './errors';
import { idleEvolutionHost, type EvolutionHost } from './evolution-host';
import { PauseSwitch } from './pause-switch';
import { PREFERENCE_SPECS, preferencesFromConfig } from './preferences';
import { StateFeed } from './state-feed';
import { historyView, roundView, skillView } from './state-view';

export { APP_STATE_FILE_NAME } from './pause-switch';

/** Everything of the contract that does not open or close a window; Electron and browser mode add those. */
export type AppApi = Omit<TinyArmsApi, 'openWindow' | 'closeWindow'>;

export interface AppServiceOptions {
  engine: Engine;
  evolution?: EvolutionHost;
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

const unrefTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

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
  private schedulerInterval = 0;
  private filesStarted: Promise<void> | null = null;
  private pulling: Promise<void> | null = null;

  constructor(private readonly options: AppServiceOptions) {
    this.engine = options.engine;
    this.evolution = options.evolution ?? idleEvolutionHost();
    this.pause = new PauseSwitch(this.engine.dataDir, (line) => this.log(line));
    this.evolution.setPaused(this.pause.paused);
    this.feed = new StateFeed(this.engine, () => this.buildState(), (line) => this.log(line));
    this.files = new AppFiles({
      engine: this.engine,
      watch: options.watchFiles ?? false,
      watchOptions: options.fileWatch,
      onChange: () => this.feed.queue(),
      log: (line) => this.log(line),
    });
    this.unsubscribers.push(
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

  // ---- lifecycle -------------------------------------------------------------------------------------------

  /** Starts the monitor's schedule (a check at start-up when one is due), the watch for outside changes, and file naming. */
  start(): void {
    if (!this.scheduler) this.startScheduler();
    this.filesStarted ??= this.files.start();
    this.feed.watch(this.options.watchIntervalMs ?? 2000);
  }

  /** Stops timers and listeners; the engine stays open (its owner closes it). */
  async stop(): Promise<void> {
    this.scheduler?.stop();
    this.scheduler = null;
    this.feed.stop();
    for (const off of this.unsubscribers.splice(0)) off();
    await this.files.stop();
    await this.evolution.dispose();
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

  private buildState(): Omit<AppStateView, 'revision'> {
    const engine = this.engine;
    const config = engine.ctx.config;
    const results = engine.sessions.resultsCache();
    const skills = engine.allStats().map((stats) => skillView(engine, stats, this.evolution.progress(stats.skill), results));
    const pendingVotes = this.openRounds(results).map((round) => roundView(round, results(round.sessionId)));
    return {
      dataDir: engine.dataDir,
      skills,
      pendingVotes,
      evolutionPaused: this.pause.paused,
      preferences: preferencesFromConfig(config.config),
      configIssues: config.issues.map(formatIssue),
      model: this.modelView(),
      proposals: this.files.views(),
      lastRename: this.files.lastRename(),
    };
  }

  /** Open vote rounds, except those of file proposals: the popover asks those with the file's name. */
  private openRounds(results = this.engine.sessions.resultsCache()) {
    const ofFiles = new Set(this.files.proposals.list().filter((p) => p.kind === 'vote').map((p) => p.taskId));
    return this.engine.sessions.openRounds(undefined, results).filter((round) => !ofFiles.has(round.taskId));
  }

  private modelView(): ModelView {
    const status = this.engine.models.status();
    return {
      configuredPath: status.configuredPath,
      resolvedPath: status.resolvedPath,
      source: status.source,
      loaded: status.loaded,
      download: status.download,
      // A missing file is only an error once the person named one; an empty data folder is the first run.
      error: status.error ?? this.files.modelError(),
    };
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

  async getRound(taskId?: string): Promise<VoteRoundView | null> {
    const sessions = this.engine.sessions;
    if (taskId === undefined) {
      const oldest = this.openRounds()[0];
      return oldest ? roundView(oldest, sessions.results(oldest.sessionId)) : null;
    }
    const round = sessions.round(taskId);
    return roundView(round, sessions.results(round.sessionId));
  }

  vote(taskId: string, choice: string): Promise<{ round: VoteRoundView; duplicate: boolean; conclusion: string | null }> {
    return this.act(() => {
      const outcome = this.engine.vote(taskId, choice);
      return {
        round: roundView(outcome.round, outcome.results),
        duplicate: outcome.duplicate,
        conclusion: outcome.conclusion?.explanation ?? (outcome.conclusionError ? `The decision is ready but could not be applied: ${outcome.conclusionError}` : null),
      };
    });
  }

  setPreference<K extends PreferenceKey>(key: K, value: PreferencesView[K]): Promise<PreferencesView> {
    return this.act(() => {
      const spec = PREFERENCE_SPECS[key];
      if (!spec) throw new UserError(`unknown preference '${String(key)}'`, { exitCode: 2, code: 'bad_payload' });
      this.engine.ctx.config.set(spec.path, value);
      return preferencesFromConfig(this.engine.ctx.config.config);
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

  setEvolutionPaused(paused: boolean): Promise<void> {
    return this.act(() => {
      this.pause.set(paused);
      this.evolution.setPaused(paused);
    });
  }

  /** The check the scheduler runs, on demand. It runs even while paused: the person asked for it. */
  runMonitor(): Promise<void> {
    return this.act(async () => {
      await this.engine.runMonitor();
    });
  }

  /** Downloads the default model; a second call while one runs gets the same download. */
  pullModel(): Promise<void> {
    this.pulling ??= this.act(() => this.engine.models.pull()).finally(() => {
      this.pulling = null;
    });
    return this.pulling;
  }

  // ---- file proposals ----------------------------------------------------------------------------------------

  acceptProposal(id: string, option?: string): Promise<ProposalDecisionView> {
    return this.act(() => this.files.accept(id, option));
  }

  editProposal(id: string, name: string, option?: string): Promise<ProposalDecisionView> {
    return this.act(() => this.files.edit(id, name, option));
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

  cancelEvolution(skill: string): Promise<void> {
    return this.act(() => {
      this.engine.ctx.skills.get(skill);
      if (this.evolution.cancel(skill)) return;
      const session = this.engine.sessions.active(skill);
      if (!session) throw new UserError(`${skill} has no evolution or A/B test running`, { exitCode: 2, code: 'nothing_running' });
      this.engine.sessions.cancel(session.id);
    });
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
