import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DataDirOptions {
  dataDir?: string | null;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * Where the database, config.yaml, evolved skill versions and downloaded models live:
 * --data-dir, then TINYARMS_HOME, then the platform's application-data folder.
 */
export function resolveDataDir(options: DataDirOptions = {}): string {
  const env = options.env ?? process.env;
  const home = options.home ?? os.homedir();
  if (options.dataDir) return path.resolve(options.dataDir);
  if (env.TINYARMS_HOME) return path.resolve(env.TINYARMS_HOME);
  if ((options.platform ?? process.platform) === 'darwin') {
    return path.join(home, 'Library', 'Application Support', 'tinyArms');
  }
  const xdg = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(xdg, 'tinyarms');
}

/** The repository (or packaged app) root: the folder holding skills/, models/ and main/. */
export const APP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const databaseFile = (dataDir: string): string => path.join(dataDir, 'tinyarms.db');
