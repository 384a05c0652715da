import fs from 'node:fs';
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

/**
 * The repository (or packaged app) root: the nearest folder above `fromUrl` holding package.json and skills/.
 * Searched rather than counted, because the source (main/engine/…) and the bundle (out/main/…) sit at
 * different depths.
 */
export function findAppRoot(fromUrl: string): string {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'skills'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(path.dirname(fileURLToPath(fromUrl)), '..', '..');
    dir = parent;
  }
}

export const APP_ROOT = findAppRoot(import.meta.url);

export const databaseFile = (dataDir: string): string => path.join(dataDir, 'tinyarms.db');
