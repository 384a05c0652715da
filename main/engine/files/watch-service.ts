import fs from 'node:fs';
import type { WatchConfig } from '../config/schema';
import { resolveWatchFolders, type FolderOptions } from './default-folders';
import type { FileProposals } from './proposals';
import { FolderWatcher } from './watcher';

export interface FileWatchOptions {
  /** Instead of watch.folders (tests, `tinyarms files watch <folder>`). */
  folders?: string[];
  /** Instead of watch.settle_ms. */
  settleMs?: number;
  pollMs?: number;
  folderOptions?: FolderOptions;
  /** Watcher errors (a folder removed, permission lost). Proposal errors arrive as proposals' 'error' events. */
  onError?: (error: Error) => void;
}

export interface FileWatch {
  folders: string[];
  /** Folders that could not be watched, and why. */
  skipped: { folder: string; reason: string }[];
  close(): Promise<void>;
}

/**
 * Watches the configured folders (watch.folders, or the screenshots folder) and hands every new, settled
 * file to proposals.propose. Returns at once with nothing watched when watch.enabled is false.
 */
export async function startFileWatch(config: WatchConfig, proposals: FileProposals, options: FileWatchOptions = {}): Promise<FileWatch> {
  if (!options.folders && !config.enabled)
    return { folders: [], skipped: [{ folder: '*', reason: 'watch.enabled is false' }], close: async () => {} };
  const wanted = options.folders ?? resolveWatchFolders(config.folders, options.folderOptions);
  const skipped: FileWatch['skipped'] = [];
  const folders = wanted.filter((folder) => {
    const ok = isDirectory(folder);
    if (!ok) skipped.push({ folder, reason: 'not a folder (or does not exist)' });
    return ok;
  });
  if (folders.length === 0) return { folders: [], skipped, close: async () => {} };

  const watcher = new FolderWatcher(folders, { settleMs: options.settleMs ?? config.settle_ms, pollMs: options.pollMs });
  const running = new Set<Promise<unknown>>();
  watcher.onFile((file) => {
    // Failures reach the app as proposals' 'error' events; a file that vanished first is simply not named.
    const job = proposals.propose(file.path).catch(() => null);
    running.add(job);
    void job.finally(() => running.delete(job));
  });
  watcher.onGone((file) => proposals.checkFiles({ path: file }));
  if (options.onError) watcher.onError(options.onError);
  await watcher.start();
  return {
    folders: watcher.folders,
    skipped,
    async close() {
      await watcher.close();
      await Promise.allSettled([...running]);
    },
  };
}

function isDirectory(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}
