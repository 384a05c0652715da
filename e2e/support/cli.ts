import { spawnSync } from 'node:child_process';
import { REPO_DIR } from './browser';
import { TINYARMS_BIN } from './serve';

/** Runs the tinyarms CLI on a data folder with --json and returns its parsed output; throws with stderr on failure. */
export function cliJson<T = unknown>(dataDir: string, args: string[]): T {
  const result = spawnSync(process.execPath, [TINYARMS_BIN, '--data-dir', dataDir, '--json', ...args], { cwd: REPO_DIR, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tinyarms ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
