import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `~` and `~/…` → the home folder; other paths unchanged. */
export const expandHome = (file: string, home = os.homedir()): string =>
  file === '~' || file.startsWith('~/') ? path.join(home, file.slice(1)) : file;

/** An existing regular file (false for folders, missing paths and unreadable ones). */
export function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A path's own stat (a link is not followed), or null when there is nothing there or it cannot be read. */
export function lstatOrNull(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file);
  } catch {
    return null;
  }
}

/** A UTF-8 file's text, or null when it does not exist; any other failure throws. */
export function readTextIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Whether a process id is alive (EPERM: alive, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
