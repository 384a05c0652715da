import { sandbox } from '../../main/engine/files/test-fixtures';
import { eventually } from '../../main/test-support/eventually';
import { FIXTURE_MODEL } from './serve';

/** The watched folder of a test's `tinyarms serve`, with an `outside` sibling whose sentinel must not change. */
export interface WatchedFolder {
  watched: string;
  /** The watched folder's file names, sorted. */
  listing(): string[];
  /** Nothing outside the watched folder was renamed, moved or changed. */
  surroundingsIntact(): boolean;
  cleanup(): void;
}

export function makeWatchedFolder(prefix: string, name: string): WatchedFolder {
  const box = sandbox(name, `tinyarms-e2e-${prefix}`);
  return {
    watched: box.folder,
    listing: box.files,
    surroundingsIntact: box.surroundingsIntact,
    cleanup: () => {
      if (!process.env.TINYARMS_E2E_KEEP) box.cleanup();
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

export { eventually };
