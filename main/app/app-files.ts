import path from 'node:path';
import type { Engine } from '../engine/engine';
import type { FileProposals, Proposal, ProposalEvent } from '../engine/files/proposals';
import { startFileWatch, type FileWatch, type FileWatchOptions } from '../engine/files/watch-service';
import type { ProposalDecisionView, ProposalView, RenameView } from '../../contract/api';
import { oneLine } from './errors';
import { decisionView, proposalView, renameView } from './proposal-view';

export interface AppFilesOptions {
  engine: Engine;
  /** Watch the configured folders (when watch.enabled) once started. */
  watch: boolean;
  /** Settle time, polling, folder defaults (tests). */
  watchOptions?: Omit<FileWatchOptions, 'onError'>;
  /** Something the state shows changed. */
  onChange: () => void;
  log: (line: string) => void;
}

/**
 * The app's side of file naming: the engine's FileProposals (shared with the CLI through SQLite) and the folder
 * watch, which runs while there is something to name files with. Without a model nothing is proposed and
 * modelError() says why. Proposals that go stale while the app runs stay listed, with their note, until dismissed.
 */
export class AppFiles {
  readonly proposals: FileProposals;
  private readonly engine: Engine;
  private watch: FileWatch | null = null;
  private watchKey = '';
  private started = false;
  private syncing: Promise<void> = Promise.resolve();
  private namingError: string | null = null;
  private readonly stale = new Map<string, Proposal>();
  private readonly offChange: () => void;

  constructor(private readonly options: AppFilesOptions) {
    this.engine = options.engine;
    this.proposals = options.engine.fileProposals({ source: 'app' });
    this.offChange = this.proposals.onChange((event) => this.onEvent(event));
  }

  /** Marks proposals whose files went away as stale, starts the watch. */
  start(): Promise<void> {
    this.started = true;
    try {
      this.proposals.checkFiles();
    } catch (error) {
      this.options.log(`tinyArms: could not check proposed files: ${oneLine(error)}`);
    }
    return this.sync();
  }

  /** Brings the watch in line with the config (watch.*) and the model: call after either changes. Calls run one after another. */
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
  }

  /** Why files are not being named (no model while watching, or the last naming failure); null when fine. */
  modelError(): string | null {
    if (this.watchWanted() && !this.engine.skillRunner()) return `${this.engine.models.missingError().message}; new files are not named`;
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

  private async reconcile(): Promise<void> {
    if (!this.started) return;
    const config = this.engine.ctx.config.config.watch;
    const key = this.engine.skillRunner() && this.watchWanted() ? JSON.stringify([config.folders, config.settle_ms]) : '';
    if (key === this.watchKey) return;
    await this.closeWatch();
    this.watchKey = key;
    this.options.onChange();
    if (!key) return;
    const watch = await startFileWatch(config, this.proposals, {
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
