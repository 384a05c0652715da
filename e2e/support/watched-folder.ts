import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIXTURE_MODEL } from './serve';

/** A temp root holding the watched folder and a sibling `outside` folder with a sentinel file that must not change. */
export interface WatchedFolder {
  root: string;
  watched: string;
  outside: string;
  /** The watched folder's file names, sorted. */
  listing(): string[];
  /** Nothing outside the watched folder was renamed, moved or changed. */
  surroundingsIntact(): boolean;
  cleanup(): void;
}

export function makeWatchedFolder(prefix: string, name: string): WatchedFolder {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `tinyarms-e2e-${prefix}-`)));
  const watched = path.join(root, name);
  const outside = path.join(root, 'outside');
  fs.mkdirSync(watched);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'keep.txt'), 'sentinel\n');
  return {
    root,
    watched,
    outside,
    listing: () => fs.readdirSync(watched).sort(),
    surroundingsIntact: () =>
      JSON.stringify(fs.readdirSync(root).sort()) === JSON.stringify([name, 'outside'].sort()) &&
      JSON.stringify(fs.readdirSync(outside)) === JSON.stringify(['keep.txt']) &&
      fs.readFileSync(path.join(outside, 'keep.txt'), 'utf8') === 'sentinel\n',
    cleanup: () => {
      if (!process.env.TINYARMS_E2E_KEEP) fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** config.yaml for `tinyarms serve` watching one folder with the fixture model; extra lines go under prompt_evolution. */
export function watchConfig(watched: string, promptEvolution: string[] = []): string {
  return [
    'watch:',
    '  enabled: true',
    `  folders: [${JSON.stringify(watched)}]`,
    '  settle_ms: 300',
    'prompt_evolution:',
    ...promptEvolution,
    '  smollm2:',
    `    model_path: ${JSON.stringify(FIXTURE_MODEL)}`,
    '',
  ].join('\n');
}

/** Polls until check returns something truthy; the error carries the server's output. */
export async function eventually<T>(check: () => T | undefined | false, what: string, output: () => string, timeoutMs = 60_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
