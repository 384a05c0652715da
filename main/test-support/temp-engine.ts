import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, type EngineOptions } from '../engine/engine';
import { ManualClock } from '../engine/util/clock';

export interface TempEngine {
  engine: Engine;
  dataDir: string;
  clock: ManualClock;
  reopen(): Engine;
  cleanup(): void;
}

/** A real engine on a real SQLite file in a fresh temp folder, with a manual clock. */
export function tempEngine(options: Omit<EngineOptions, 'dataDir' | 'clock'> & { start?: string } = {}): TempEngine {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-test-'));
  const clock = new ManualClock(options.start ?? '2026-03-02T09:00:00.000Z');
  const open = () => Engine.open({ seed: 'test', ...options, dataDir, clock });
  const handle: TempEngine = {
    engine: open(),
    dataDir,
    clock,
    reopen() {
      handle.engine.close();
      handle.engine = open();
      return handle.engine;
    },
    cleanup() {
      try {
        handle.engine.close();
      } catch {
        /* already closed */
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

/** Records `n` finished file-naming tasks with the given success rate, one an hour. */
export function recordFeedback(t: TempEngine, n: number, successRate: number, skill = 'file-naming'): void {
  for (let i = 0; i < n; i += 1) {
    t.clock.advance(3_600_000);
    const success = Math.floor((i + 1) * successRate) > Math.floor(i * successRate);
    t.engine.recordTask(
      { skill, input: `IMG_${1000 + i}.png`, output: success ? `beach-sunset-${i}.png` : `image-${i}.png` },
      success ? { outcome: 'accepted' } : { outcome: 'edited', finalOutput: `beach-sunset-${i}.png` },
    );
  }
}

export const VARIANTS = [
  'Variant A prompt.\n\nFile: {{input}}',
  'Variant B prompt.\n\nFile: {{input}}',
  'Variant C prompt.\n\nFile: {{input}}',
];
