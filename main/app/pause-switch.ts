import fs from 'node:fs';
import path from 'node:path';
import { UserError, writeFileAtomic } from '../engine';
import { oneLine } from './errors';

export const APP_STATE_FILE_NAME = '.app-state.json';

/** The "pause evolution" switch, kept in the data folder so it survives restarts. */
export class PauseSwitch {
  private readonly file: string;
  private value: boolean;

  constructor(
    dataDir: string,
    private readonly log: (line: string) => void,
  ) {
    this.file = path.join(dataDir, APP_STATE_FILE_NAME);
    this.value = this.read();
  }

  get paused(): boolean {
    return this.value;
  }

  set(paused: boolean): void {
    if (paused === this.value) return;
    try {
      writeFileAtomic(this.file, `${JSON.stringify({ evolutionPaused: paused }, null, 2)}\n`);
    } catch (error) {
      throw new UserError(`could not save the pause switch to ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    this.value = paused;
  }

  private read(): boolean {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { evolutionPaused?: unknown };
      return parsed.evolutionPaused === true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log(`tinyArms: ignoring ${this.file} (${oneLine(error)}); evolution is not paused`);
      }
      return false;
    }
  }
}
