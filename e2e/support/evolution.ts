import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_DIR } from './browser';
import { FIXTURE_MODEL, TINYARMS_BIN } from './serve';
import type { Engine } from '../../main/engine/engine';

/** config.yaml for a small evolution on the fixture model: seconds per generation, so a run can be watched. */
export function evolutionConfig(generations: number): string {
  return [
    'watch:',
    '  enabled: false',
    'prompt_evolution:',
    '  smollm2:',
    `    model_path: ${JSON.stringify(FIXTURE_MODEL)}`,
    '    variants_per_evolution: 2',
    '  evolution:',
    '    population_size: 4',
    `    generations: ${generations}`,
    '    evaluation_samples: 2',
    '    final_evaluation_samples: 3',
    '    max_tokens: 8',
    '    context_size: 1024',
    '    seed: 7',
    '',
  ].join('\n');
}

/**
 * Twenty file-naming results, 12 kept: 60%, below the 80% that asks for a better prompt. The monitor has just
 * checked (without starting anything), so `tinyarms serve` does not start an evolution itself: the test does.
 */
export async function slippingFileNaming(engine: Engine): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const kept = i < 12;
    engine.recordTask(
      { skill: 'file-naming', input: `IMG_${i}.png — PNG image`, output: `image-${i}.png`, source: 'e2e' },
      kept ? { outcome: 'accepted' } : { outcome: 'edited', finalOutput: `beach-${i}.png` },
    );
  }
  await engine.runMonitor({ startEvolutions: false });
}

/** `tinyarms prompt evolve <skill> --yes` in the background, as a person would run it in a terminal. */
export function evolveFromCli(dataDir: string, skill: string): { child: ChildProcess; output(): string; done: Promise<number | null> } {
  const child = spawn(process.execPath, [TINYARMS_BIN, '--data-dir', dataDir, 'prompt', 'evolve', skill, '--yes'], {
    cwd: REPO_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const done = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, done };
}
