import fs from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { lstatOrNull } from '../util/fs';
import { identityOf, sameIdentity, type FileIdentity } from './safe-rename';

export interface NewFile {
  path: string;
  folder: string;
  name: string;
  identity: FileIdentity;
}

export interface FolderWatcherOptions {
  /** How long a new file's size must stay the same before it counts as written. */
  settleMs?: number;
  /** Poll interval while settling (default settleMs / 4). */
  pollMs?: number;
}

// Files still being written or never meant to be renamed: hidden files (macOS writes screenshots as
// ".Screenshot …" first), browser downloads in progress, editor swap and lock files.
const IGNORED_NAME = /^\.|^~\$|^Icon\r$|\.(?:download|crdownload|part|partial|tmp|temp|swp|swx|lock)$|~$/i;

export const isIgnoredName = (name: string): boolean => IGNORED_NAME.test(name);

/** How long after a file was reported a change still counts as the same file being written. */
const STILL_WRITING_MS = 2 * 60_000;

/**
 * Watches folders (not their subfolders) and reports each file that appears after start() once its size has
 * settled. Files present at start and files that merely got a new name (same inode, size and mtime as one
 * already seen) are not reported; each file identity is reported at most once.
 */
export class FolderWatcher {
  readonly folders: string[];
  private watcher: FSWatcher | null = null;
  private readonly seen = new Map<string, Omit<FileIdentity, 'dev'>>();
  private readonly empty = new Set<string>();
  /** When each file (by device and inode) was last reported: a change soon after means it was still being written. */
  private readonly reportedAt = new Map<string, number>();
  private readonly fileListeners = new Set<(file: NewFile) => void>();
  private readonly goneListeners = new Set<(file: string) => void>();
  private readonly errorListeners = new Set<(error: Error) => void>();

  constructor(
    folders: readonly string[],
    private readonly options: FolderWatcherOptions = {},
  ) {
    this.folders = folders.map((f) => fs.realpathSync(f));
  }

  onFile(listener: (file: NewFile) => void): () => void {
    this.fileListeners.add(listener);
    return () => this.fileListeners.delete(listener);
  }

  onGone(listener: (file: string) => void): () => void {
    this.goneListeners.add(listener);
    return () => this.goneListeners.delete(listener);
  }

  onError(listener: (error: Error) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** Resolves once the folders are being watched. */
  async start(): Promise<void> {
    if (this.watcher) return;
    for (const folder of this.folders) {
      for (const name of fs.readdirSync(folder)) this.remember(path.join(folder, name));
    }
    const settleMs = this.options.settleMs ?? 1000;
    const roots = new Set(this.folders);
    this.watcher = watch(this.folders, {
      ignoreInitial: true,
      depth: 0,
      followSymlinks: false,
      alwaysStat: true,
      awaitWriteFinish: { stabilityThreshold: settleMs, pollInterval: this.options.pollMs ?? Math.max(10, Math.floor(settleMs / 4)) },
      ignored: (file) => !roots.has(file) && isIgnoredName(path.basename(file)),
    });
    this.watcher.on('add', (file) => this.consider(file));
    this.watcher.on('change', (file) => {
      if (this.empty.has(file) || this.recentlyReported(file)) this.consider(file);
    });
    this.watcher.on('unlink', (file) => this.goneListeners.forEach((l) => l(file)));
    this.watcher.on('error', (error) => this.errorListeners.forEach((l) => l(error as Error)));
    const watcher = this.watcher;
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = null;
    this.fileListeners.clear();
    this.goneListeners.clear();
    this.errorListeners.clear();
    await watcher?.close();
  }

  private remember(file: string): FileIdentity | null {
    const stat = lstatOrNull(file);
    if (!stat?.isFile()) return null;
    const identity = identityOf(stat);
    this.seen.set(`${identity.dev}:${identity.ino}`, identity);
    return identity;
  }

  private consider(file: string): void {
    const folder = path.dirname(file);
    if (!this.folders.includes(folder)) return;
    const stat = lstatOrNull(file);
    if (!stat?.isFile()) return;
    const identity = identityOf(stat);
    // An empty file is probably still being created; it is named once something is written to it.
    if (identity.size === 0) {
      this.empty.add(file);
      return;
    }
    this.empty.delete(file);
    const key = `${identity.dev}:${identity.ino}`;
    const known = this.seen.get(key);
    this.seen.set(key, identity);
    if (known && sameIdentity(known, identity)) return;
    const event: NewFile = { path: file, folder, name: path.basename(file), identity };
    this.reportedAt.set(key, Date.now());
    this.fileListeners.forEach((l) => l(event));
  }

  /**
   * A file that settled, was reported, and then grew again (a download or an export pausing mid-write) is
   * reported again once it settles anew; later edits of an old file are not.
   */
  private recentlyReported(file: string): boolean {
    const stat = lstatOrNull(file);
    if (!stat) return false;
    const at = this.reportedAt.get(`${stat.dev}:${stat.ino}`);
    return at !== undefined && Date.now() - at < STILL_WRITING_MS;
  }
}
