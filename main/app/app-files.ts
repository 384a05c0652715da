import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  resolveWatchFolders,
  startFileWatch,
  type Engine,
  type FileProposals,
  type FileWatch,
  type FileWatchOptions,
  type Proposal,
  type ProposalEvent,
} from '../engine';
import type { ProposalDecisionView, ProposalView, RenameView, WatchView } from '../../contract/api';
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
  /** Whether a preview of a file can be made (Quick Look previews anything; a browser shows images only). */
  canPreview?: (file: string) => boolean;
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
  private skipped: FileWatch['skipped'] = [];
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
    this.syncing = this.syncing
      .then(() => this.reconcile())
      .catch((error) => {
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

  /** What is watched, as people write folders (~/Desktop), and why nothing is, in words. */
  watchView(): WatchView {
    const config = this.engine.ctx.config.config.watch;
    const folders = this.watch?.folders ?? resolveWatchFolders(config.folders);
    const home = os.homedir();
    const shown = folders.map((f) => (f === home ? '~' : f.startsWith(`${home}${path.sep}`) ? `~${f.slice(home.length)}` : f));
    let problem: string | null = null;
    if (!config.enabled) problem = 'Watching is off: no names are suggested for new files.';
    else if (!this.engine.skillRunner()) problem = 'New files get names once tinyArms has a model.';
    else if (this.started && !this.watch && this.skipped.length > 0) {
      problem = `${shown.join(', ') || 'That folder'} is not there: choose another folder.`;
    } else if (this.namingError) problem = 'The last file could not be named: it was left as it is.';
    return { enabled: config.enabled, folders: shown, problem };
  }

  /** The file of a proposal still listed (pending or stale), for its thumbnail. */
  fileOf(id: string): string | null {
    const proposal = this.stale.get(id) ?? this.proposals.list().find((p) => p.id === id);
    return proposal?.path ?? null;
  }

  /** Paths the state shows (proposals' files and folders, the last rename, watched folders): what Finder may be asked to reveal. */
  shows(file: string): boolean {
    const listed = [...this.proposals.list(), ...this.stale.values()].flatMap((p) => [p.path, p.folder]);
    const last = this.lastRename();
    const known = [...listed, ...(last ? [path.join(last.folder, last.to), last.folder] : []), ...(this.watch?.folders ?? [])];
    return known.includes(path.resolve(file));
  }

  views(): ProposalView[] {
    const view = (p: Proposal) => proposalView(p, { size: sizeOf(p.path), canPreview: this.options.canPreview });
    return [...this.proposals.list().map(view), ...[...this.stale.values()].map(view)];
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
    this.skipped = watch.skipped;
    for (const skipped of watch.skipped) this.options.log(`tinyArms: not watching ${skipped.folder}: ${skipped.reason}`);
    if (!this.started) return watch.close();
    if (watch.folders.length === 0) {
      this.options.onChange();
      return;
    }
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

function sizeOf(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}
