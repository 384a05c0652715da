import path from 'node:path';
import type { Engine } from '../engine/engine';
import { expectedModelPath, noModelError, openSkillRunner, type SkillRunner, type SkillRunnerFactory } from '../engine/feedback/skill-runner';
import { namerFromRunner } from '../engine/files/namer';
import { FileProposals, type Proposal, type ProposalEvent } from '../engine/files/proposals';
import { startFileWatch, type FileWatch, type FileWatchOptions } from '../engine/files/watch-service';
import type { ProposalDecisionView, ProposalView, RenameView } from '../../contract/api';
import { oneLine } from './errors';
import { decisionView, proposalView, renameView } from './proposal-view';

export interface AppFilesOptions {
  engine: Engine;
  /** Builds the model runner; default: the registered SkillRunner factory. */
  openRunner?: SkillRunnerFactory;
  /** Watch the configured folders (when watch.enabled) once started. */
  watch: boolean;
  /** Settle time, polling, folder defaults (tests). */
  watchOptions?: Omit<FileWatchOptions, 'onError'>;
  /** Something the state shows changed. */
  onChange: () => void;
  log: (line: string) => void;
}

/**
 * The app's side of file naming: the FileProposals service (shared with the CLI through SQLite), the model
 * runner behind it, and the folder watch. Without a runner nothing is proposed and modelError() says why.
 * Proposals that go stale while the app runs stay listed, with their note, until dismissed.
 */
export class AppFiles {
  readonly proposals: FileProposals;
  private readonly engine: Engine;
  private runner: SkillRunner | null = null;
  private runnerTried = false;
  /** The model file the runner was opened for: a new model_path means a new runner. */
  private runnerModel = '';
  private watch: FileWatch | null = null;
  private watchKey = '';
  private started = false;
  private syncing: Promise<void> = Promise.resolve();
  private namingError: string | null = null;
  private readonly stale = new Map<string, Proposal>();
  private readonly offChange: () => void;

  constructor(private readonly options: AppFilesOptions) {
    this.engine = options.engine;
    this.proposals = new FileProposals(options.engine, { source: 'app' });
    this.offChange = this.proposals.onChange((event) => this.onEvent(event));
  }

  /** Opens the runner, marks proposals whose files went away as stale, starts the watch. */
  start(): Promise<void> {
    this.started = true;
    try {
      this.proposals.checkFiles();
    } catch (error) {
      this.options.log(`tinyArms: could not check proposed files: ${oneLine(error)}`);
    }
    return this.sync();
  }

  /**
   * Brings the runner and the watch in line with the config (model path, watch.*): call after config changes
   * and after a model download. Calls run one after another.
   */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.reconcile()).catch((error) => {
      this.options.log(`tinyArms: file naming: ${oneLine(error)}`);
    });
    return this.syncing;
  }

  async stop(): Promise<void> {
    this.started = false;
    await this.syncing;
    this.offChange();
    await this.closeWatch();
    await this.proposals.close();
    const runner = this.runner;
    this.runner = null;
    await runner?.close?.();
  }

  /** The model runner for the task API; a one-line 'no_model' UserError when there is none. */
  async skillRunner(): Promise<SkillRunner> {
    await this.syncing;
    if (!this.runner) {
      await this.openRunner();
      // A model that appeared since start: the watch can start too.
      if (this.runner && this.started) void this.sync();
    }
    if (!this.runner) throw noModelError(this.engine);
    return this.runner;
  }

  /** Why files are not being named (no model while watching, or the last naming failure); null when fine. */
  modelError(): string | null {
    // Only once the runner was tried for the model the config names now (a new model_path is being opened).
    const current = this.runnerTried && this.runnerModel === expectedModelPath(this.engine);
    if (current && !this.runner && this.watchWanted()) return `${noModelError(this.engine).message}; new files are not named`;
    return this.namingError;
  }

  views(): ProposalView[] {
    const pending = this.proposals.list().map(proposalView);
    const stale = [...this.stale.values()].map(proposalView);
    return [...pending, ...stale];
  }

  lastRename(): RenameView | null {
    const [last] = this.proposals.renames.recent({ limit: 1 });
    return last ? renameView(last) : null;
  }

  accept(id: string, option?: string): ProposalDecisionView {
    return decisionView(this.proposals.accept(id, option === undefined ? {} : { option }));
  }

  edit(id: string, name: string, option?: string): ProposalDecisionView {
    return decisionView(this.proposals.edit(id, name, option === undefined ? {} : { option }));
  }

  skip(id: string): ProposalDecisionView {
    return decisionView(this.proposals.skip(id));
  }

  dismiss(id: string): void {
    if (this.stale.delete(id)) return;
    this.proposals.dismiss(id);
  }

  undo(count: number): string[] {
    const results = this.proposals.undoLast(count);
    return results.length ? results.map((r) => r.note) : ['Nothing to undo.'];
  }

  private watchWanted(): boolean {
    return this.options.watch && this.engine.ctx.config.config.watch.enabled;
  }

  private async openRunner(): Promise<void> {
    this.runnerTried = true;
    this.runnerModel = expectedModelPath(this.engine);
    try {
      this.runner = await (this.options.openRunner ?? openSkillRunner)(this.engine);
    } catch (error) {
      this.options.log(`tinyArms: could not open the model: ${oneLine(error)}`);
      this.runner = null;
    }
    this.proposals.setNamer(this.runner ? namerFromRunner(this.runner) : null);
    this.options.onChange();
  }

  private async reconcile(): Promise<void> {
    if (!this.started) return;
    if (this.runner && this.runnerModel !== expectedModelPath(this.engine)) {
      const old = this.runner;
      this.runner = null;
      await this.closeWatch();
      await old.close?.();
    }
    if (!this.runner) await this.openRunner();
    const config = this.engine.ctx.config.config.watch;
    const key = this.runner && this.watchWanted() ? JSON.stringify([config.folders, config.settle_ms]) : '';
    if (key === this.watchKey) return;
    await this.closeWatch();
    this.watchKey = key;
    if (!key) return;
    const watch = await startFileWatch(this.engine, this.proposals, {
      ...this.options.watchOptions,
      onError: (error) => this.options.log(`tinyArms: watcher: ${oneLine(error)}`),
    });
    for (const skipped of watch.skipped) this.options.log(`tinyArms: not watching ${skipped.folder}: ${skipped.reason}`);
    if (!this.started) return watch.close();
    this.watch = watch;
    if (watch.folders.length) this.options.log(`tinyArms: watching ${watch.folders.join(', ')} for new files`);
  }

  private async closeWatch(): Promise<void> {
    const watch = this.watch;
    this.watch = null;
    this.watchKey = '';
    await watch?.close();
  }

  private onEvent(event: ProposalEvent): void {
    if (event.type === 'added') this.namingError = null;
    if (event.type === 'updated' && event.proposal.status === 'stale') this.stale.set(event.proposal.id, event.proposal);
    if (event.type === 'error') {
      this.namingError = `could not name ${path.basename(event.path)}: ${event.message.replace(/\s*\n\s*/g, ' ')}`;
      this.options.log(`tinyArms: ${this.namingError}`);
    }
    this.options.onChange();
  }
}
