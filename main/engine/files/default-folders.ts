import { expandHome } from '../util/fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

export interface FolderOptions {
  platform?: NodeJS.Platform;
  home?: string;
  /** macOS: the screenshot folder from `defaults read com.apple.screencapture location` (injectable for tests). */
  screenshotLocation?: () => string | null;
}

function macScreenshotLocation(): string | null {
  try {
    const out = execFileSync('defaults', ['read', 'com.apple.screencapture', 'location'], {
      encoding: 'utf8',
      timeout: 3000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return out || null;
  } catch {
    return null; // not set: screenshots go to the Desktop
  }
}

/** Where new screenshots land: macOS's configured location (else ~/Desktop), ~/Pictures/Screenshots on Linux. */
export function defaultWatchFolders(options: FolderOptions = {}): string[] {
  const platform = options.platform ?? process.platform;
  const home = options.home ?? os.homedir();
  if (platform === 'darwin') {
    const location = (options.screenshotLocation ?? macScreenshotLocation)();
    return [location ? path.resolve(expandHome(location, home)) : path.join(home, 'Desktop')];
  }
  if (platform === 'linux') return [path.join(home, 'Pictures', 'Screenshots')];
  return [];
}

/** watch.folders with ~ expanded and duplicates dropped; the default folders when the list is empty. */
export function resolveWatchFolders(configured: readonly string[], options: FolderOptions = {}): string[] {
  const home = options.home ?? os.homedir();
  const folders = configured.length > 0 ? configured.map((f) => path.resolve(expandHome(f.trim(), home))) : defaultWatchFolders(options);
  return [...new Set(folders)];
}
