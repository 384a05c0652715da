import fs from 'node:fs';
import { ConfigStore } from './config/config-store';
import type { EngineContext } from './context';
import { databaseFile, resolveDataDir } from './data-paths';
import { SkillRegistry } from './skills/skill-registry';
import { openDatabase } from './store/database';
import { systemClock, type Clock } from './util/clock';
import { UserError } from './util/errors';
import { createRng } from './util/random';

export interface ContextOptions {
  dataDir?: string | null;
  clock?: Clock;
  seed?: number | string;
  bundledSkillsDir?: string;
  /** The shipped defaults.yaml; the packaged app passes it because bundling moves import.meta.url. */
  defaultsFile?: string;
}

/**
 * One data folder opened for an engine: its database, configuration (not loaded yet: crash recovery runs first),
 * skills, clock and seeded generator. `readonly` when this process cannot write there.
 */
export function openContext(options: ContextOptions = {}): { ctx: EngineContext; readonly: boolean } {
  const dataDir = resolveDataDir({ dataDir: options.dataDir });
  makeDataDir(dataDir);
  // A data folder this process cannot write (another user's, a read-only volume) still shows what it holds.
  const readonly = !writable(dataDir) || (fs.existsSync(databaseFile(dataDir)) && !writable(databaseFile(dataDir)));
  if (readonly && !fs.existsSync(databaseFile(dataDir))) {
    throw new UserError(`the data folder ${dataDir} is read-only and holds no tinyArms data yet`, { code: 'read_only' });
  }
  const ctx: EngineContext = {
    dataDir,
    db: openDatabase(databaseFile(dataDir), { readonly }),
    config: new ConfigStore({ dataDir, defaultsFile: options.defaultsFile }),
    skills: new SkillRegistry({ dataDir, bundledDir: options.bundledSkillsDir }),
    clock: options.clock ?? systemClock,
    rng: createRng(options.seed ?? `${Date.now()}-${process.pid}-${Math.random()}`),
  };
  return { ctx, readonly };
}

function writable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The data folder, or one plain line saying why it cannot be one (a file in the way, no permission). */
function makeDataDir(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code;
    throw new UserError(`cannot use ${dataDir} as the data folder: ${why}`, { exitCode: 2, code: 'bad_data_dir', cause: error });
  }
  if (!fs.statSync(dataDir).isDirectory()) {
    throw new UserError(`cannot use ${dataDir} as the data folder: it is a file, not a folder`, { exitCode: 2, code: 'bad_data_dir' });
  }
}
