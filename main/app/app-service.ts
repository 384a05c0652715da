import fs from 'node:fs';
import path from 'node:path';
import { formatIssue } from '../engine/config/config-store';
import type { Engine } from '../engine/engine';
import type { SkillRunner, SkillRunnerFactory } from '../engine/feedback/skill-runner';
import type { FileWatchOptions } from '../engine/files/watch-service';
import { dataFolderModelPath, loadCatalog, MODEL_PATH_CONFIG_KEY, type ModelCatalog } from '../engine/llm/model-catalog';
import { monitorIntervalMs, scheduleMonitor } from '../engine/scheduler/monitor-schedule';
import type { Scheduler, Timers } from '../engine/scheduler/scheduler';
import { writeFileAtomic } from '../engine/util/atomic-write';
import { HOUR_MS } from '../engine/util/clock';
import { UserError } from '../engine/util/errors';
import { expandHome, isFile } from '../engine/util/fs';
import type {
  AppStateView, HistoryView, ModelView, PreferenceKey, PreferencesView, ProposalDecisionView, TinyArmsApi, VoteRoundView,
} from '../../contract/api';
import { AppFiles } from './app-files';
import { oneLine } from './errors';
import { idleEvolutionHost, type EvolutionHost } from './evolution-host';
import { PREFERENCE_SPECS, preferencesFromConfig } from './preferences';
import { historyView, roundView, skillView } from './state-view';

/** Everything of the contract that does not open or close a window; Electron and browser mode add those. */
export type AppApi = Omit<TinyArmsApi, 'openWindow' | 'closeWindow'>;

export interface ModelPullRequest {
  dataDir: string;
  catalog: ModelCatalog;
  onDownloadProgress: (progress: { downloadedBytes: number; totalBytes: number }) => void;
}
export type ModelPuller = (request: ModelPullRequest) => Promise<{ path: string; downloaded: boolean }>;

export interface AppServiceOptions {
  engine: Engine;
  evolution?: EvolutionHost;
  /** Downloads the default model; by default node-llama-cpp's downloader, loaded only when first needed. */
  pullModel?: ModelPuller;
  /** models/catalog.json; the packaged app passes it explicitly. */
  catalogFile?: string;
  /** How often to look for changes by other processes (the CLI) and hand edits of config.yaml; 0 = never. */
  watchIntervalMs?: number;
  /** The model runner for file names and the task API; default: the registered SkillRunner factory. */
  openRunner?: SkillRunnerFactory;
  /** Watch watch.folders for new files once started, when watch.enabled (default false: the shells turn it on). */
  watchFiles?: boolean;
  /** Settle time, polling, folder defaults for the watch (tests). */
  fileWatch?: Omit<FileWatchOptions, 'onError'>;
  /** Timers for the scheduler (tests); real, unref'd timers by default. */
  timers?: Timers;
  log?: (line: string) => void;
}

export const APP_STATE_FILE_NAME = '.app-state.json';
const DOWNLOAD_PUSH_MS = 250;

const unrefTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

// Node's default model puller, imported on first use so that an idle app never loads node-llama-cpp.
const defaultPuller: ModelPuller = async (request) => {
  const { pullModel } = await import('../engine/llm/model-resolve');
  const result = await pullModel(request);
  return { path: result.path, downloaded: result.downloaded };
};

/**
 * The engine as the menu-bar app and browser mode see it: state snapshots for the views, the contract's actions,
 * the monitor's schedule, the pause switch. It never imports electron; Electron and the HTTP server are
 * transports around it. Every change (an action here, the scheduler, another process writing the database, a
 * hand edit of config.yaml) becomes one state push, with a revision that only grows.
 */
export class AppService implements AppApi {
  readonly engine: Engine;
  private readonly evolution: EvolutionHost;
  private readonly options: AppServiceOptions;
  private readonly listeners = new Set<(state: AppStateView) => void>();
  private readonly unsubscribers: (() => void)[] = [];
  private current: AppStateView | null = null;
  private currentKey = '';
  private revision = 0;
  private paused: boolean;
  private refreshQueued = false;
  private scheduler: Scheduler | null = null;
  private schedulerInterval = 0;
  private watchTimer: NodeJS.Timeout | null = null;
  private dataVersion: number | null = null;
  private configSignature: string | null = null;
  private pulling: Promise<void> | null = null;
  private download: ModelView['download'] = null;
  private modelError: string | null = null;
  private downloadedPath: string | null = null;
  private catalog: ModelCatalog | null = null;
  /** File naming: proposals, the runner behind them, the folder watch. */
  readonly files: AppFiles;
  private filesStarted: Promise<void> | null = null;

  constructor(options: AppServiceOptions) {
    this.options = options;
    this.engine = options.engine;
    this.evolution = options.evolution ?? idleEvolutionHost();
    this.paused = this.readPaused();
    this.evolution.setPaused(this.paused);
    this.files = new AppFiles({
      engine: this.engine,
      openRunner: options.openRunner,
      watch: options.watchFiles ?? false,
      watchOptions: options.fileWatch,
      onChange: () => this.queueRefresh(),
      log: (line) => this.log(line),
    });
    this.unsubscribers.push(
      // Deferred: a promotion writes config.yaml before its database commit, and a state read in between would
      // see the two disagree.
      this.engine.ctx.config.onChange((config) => {
        this.queueRefresh();
        if (this.filesStarted) void this.files.sync();
        const every = config.prompt_evolution.triggers.check_interval_hours * HOUR_MS;
        if (this.scheduler && every !== this.schedulerInterval) {
          this.scheduler.stop();
          this.startScheduler();
        }
      }),
      this.evolution.onProgress(() => this.queueRefresh()),
    );
  }

  // ---- lifecycle -------------------------------------------------------------------------------------------

  /**
   * Starts the monitor's schedule (a check at start-up when one is due), the watch for outside changes, and file
   * naming (the model runner; the folder watch when watchFiles is set).
   */
  start(): void {
    if (!this.scheduler) this.startScheduler();
    this.filesStarted ??= this.files.start();
    const every = this.options.watchIntervalMs ?? 2000;
    if (every > 0 && !this.watchTimer) {
      this.pollExternalChanges();
      this.watchTimer = setInterval(() => this.pollExternalChanges(), every);
      this.watchTimer.unref();
    }
  }

  /** Stops timers and listeners; the engine stays open (its owner closes it). */
  async stop(): Promise<void> {
    this.scheduler?.stop();
    this.scheduler = null;
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = null;
    for (const off of this.unsubscribers.splice(0)) off();
    this.listeners.clear();
    await this.files.stop();
    await this.evolution.dispose();
  }

  /** Resolves once file naming has started (the runner opened, the watch running); at once before start(). */
  async filesReady(): Promise<void> {
    await this.filesStarted;
  }

  /** The model runner behind file names, for the task API; a one-line 'no_model' UserError when there is none. */
  skillRunner(): Promise<SkillRunner> {
    return this.files.skillRunner();
  }

  /** The catch-up check after sleep (powerMonitor 'resume'): runs the monitor now if the schedule is running. */
  catchUp(): Promise<void> {
    return this.scheduler ? this.scheduler.runNow() : Promise.resolve();
  }

  /**
   * Looks for changes made elsewhere: another process committing to the database (SQLite's data_version moves
   * only for other connections' commits) or config.yaml edited by hand. Pushes the state when anything moved.
   */
  pollExternalChanges(): void {
    let moved = false;
    try {
      const version = this.engine.ctx.db.pragma('data_version', { simple: true }) as number;
      if (this.dataVersion !== null && version !== this.dataVersion) moved = true;
      this.dataVersion = version;
      const signature = fileSignature(this.engine.ctx.config.file);
      if (this.configSignature !== null && signature !== this.configSignature) {
        this.engine.ctx.config.load();
        moved = true;
      }
      this.configSignature = signature;
    } catch (error) {
      this.log(`tinyArms: could not check for outside changes: ${oneLine(error)}`);
      return;
    }
    if (moved) this.refresh();
  }

  // ---- state -----------------------------------------------------------------------------------------------

  async getState(): Promise<AppStateView> {
    return this.refresh();
  }

  /** The latest state without touching the database (null before the first read). */
  peekState(): AppStateView | null {
    return this.current;
  }

  onState(listener: (state: AppStateView) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Rebuilds the state; when it differs from the last one, bumps the revision and pushes it. */
  refresh(): AppStateView {
    const state = this.buildState();
    const key = JSON.stringify(state);
    if (this.current && key === this.currentKey) return this.current;
    this.revision += 1;
    this.currentKey = key;
    this.current = { ...state, revision: this.revision };
    for (const listener of [...this.listeners]) {
      try {
        listener(this.current);
      } catch (error) {
        this.log(`tinyArms: a state listener failed: ${oneLine(error)}`);
      }
    }
    return this.current;
  }

  private queueRefresh(): void {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    queueMicrotask(() => {
      this.refreshQueued = false;
      try {
        this.refresh();
      } catch (error) {
        this.log(`tinyArms: could not read the state: ${oneLine(error)}`);
      }
    });
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
      evolutionPaused: this.paused,
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
    const configuredPath = this.engine.ctx.config.config.prompt_evolution.smollm2.model_path;
    const base = { configuredPath, loaded: this.evolution.isModelLoaded(), download: this.download };
    const error = this.modelError ?? this.files.modelError();
    if (configuredPath) {
      const file = path.resolve(expandHome(configuredPath));
      return isFile(file)
        ? { ...base, resolvedPath: file, source: 'config', error }
        : { ...base, resolvedPath: null, source: null, error: this.modelError ?? `the model file ${file} set in ${MODEL_PATH_CONFIG_KEY} does not exist` };
    }
    let file: string;
    try {
      file = dataFolderModelPath(this.engine.dataDir, this.loadedCatalog());
    } catch (error) {
      return { ...base, resolvedPath: null, source: null, error: oneLine(error) };
    }
    if (isFile(file)) {
      return { ...base, resolvedPath: file, source: file === this.downloadedPath ? 'downloaded' : 'data-folder', error };
    }
    return { ...base, resolvedPath: null, source: null, error };
  }

  private loadedCatalog(): ModelCatalog {
    this.catalog ??= this.options.catalogFile ? loadCatalog(this.options.catalogFile) : loadCatalog();
    return this.catalog;
  }

  // ---- actions ---------------------------------------------------------------------------------------------

  /** Runs a change, then pushes the state once (also after a failure, which may have changed something). */
  private async act<T>(fn: () => T | Promise<T>): Promise<T> {
    try {
      return await fn();
    } finally {
      try {
        this.refresh();
      } catch (error) {
        this.log(`tinyArms: could not read the state: ${oneLine(error)}`);
      }
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
      // A conclusion changed the session after the vote's tally: read it again, else the vote's own is current.
      const settled = outcome.conclusion !== null || outcome.conclusionError !== null;
      const round = settled ? this.engine.sessions.round(taskId) : outcome.round;
      return {
        round: roundView(round, settled ? this.engine.sessions.results(round.sessionId) : outcome.results),
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
      if (paused === this.paused) return;
      this.writePaused(paused);
      this.paused = paused;
      this.evolution.setPaused(paused);
    });
  }

  /** The check the scheduler runs, on demand. It runs even while paused: the user asked for it. */
  runMonitor(): Promise<void> {
    return this.act(async () => {
      await this.engine.runMonitor();
    });
  }

  pullModel(): Promise<void> {
    if (this.pulling) return this.pulling;
    const puller = this.options.pullModel ?? defaultPuller;
    let lastPush = 0;
    this.pulling = this.act(async () => {
      this.modelError = null;
      this.download = { downloadedBytes: 0, totalBytes: 0 };
      this.refresh();
      try {
        const result = await puller({
          dataDir: this.engine.dataDir,
          catalog: this.loadedCatalog(),
          onDownloadProgress: (progress) => {
            this.download = { downloadedBytes: progress.downloadedBytes, totalBytes: progress.totalBytes };
            const now = Date.now();
            if (now - lastPush >= DOWNLOAD_PUSH_MS) {
              lastPush = now;
              this.refresh();
            }
          },
        });
        if (result.downloaded) this.downloadedPath = result.path;
        if (this.filesStarted) void this.files.sync();
      } catch (error) {
        this.modelError = oneLine(error);
        throw error;
      } finally {
        this.download = null;
        this.pulling = null;
      }
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

  // ---- schedule and pause ----------------------------------------------------------------------------------

  private startScheduler(): void {
    this.schedulerInterval = monitorIntervalMs(this.engine);
    this.scheduler = scheduleMonitor(this.engine, {
      timers: this.options.timers ?? unrefTimers,
      run: () => this.scheduledCheck(),
      onError: (error) => this.log(`tinyArms: the scheduled check failed: ${oneLine(error)}`),
    });
    this.scheduler.start();
  }

  private async scheduledCheck(): Promise<void> {
    if (this.paused) {
      this.log('tinyArms: evolution is paused; the scheduled check is skipped');
      return;
    }
    await this.act(() => this.engine.runMonitor());
  }

  private get stateFile(): string {
    return path.join(this.engine.dataDir, APP_STATE_FILE_NAME);
  }

  private readPaused(): boolean {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.stateFile, 'utf8')) as { evolutionPaused?: unknown };
      return parsed.evolutionPaused === true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log(`tinyArms: ignoring ${this.stateFile} (${oneLine(error)}); evolution is not paused`);
      }
      return false;
    }
  }

  private writePaused(paused: boolean): void {
    try {
      writeFileAtomic(this.stateFile, `${JSON.stringify({ evolutionPaused: paused }, null, 2)}\n`);
    } catch (error) {
      throw new UserError(`could not save the pause switch to ${this.stateFile}: ${(error as Error).message}`, { cause: error });
    }
  }

  private log(line: string): void {
    (this.options.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(line);
  }
}


function fileSignature(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
  } catch {
    return 'missing';
  }
}
