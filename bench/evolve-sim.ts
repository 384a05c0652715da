// The evolution's spending policies compared at equal seeds on the graded stand-in (graded-stand-in.ts), where
// every prompt's true fitness is known: the champion's true fitness and the calls spent, per policy, over N seeds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../main/engine/engine';
import { gradedModel, trueFitness, type GradedCase } from '../main/engine/evolution/graded-stand-in';
import { runEvolution, type EvolutionResult } from '../main/engine/evolution/run';
import { evolutionSettings } from '../main/engine/evolution/settings';
import type { EvolutionProgress, EvolutionSettings } from '../main/engine/evolution/types';
import type { TextModel } from '../main/engine/llm/types';
import { APP_ROOT } from '../main/engine/data-paths';

export const SKILL = 'file-naming';

interface Failure {
  id: string;
  input: string;
  output: string;
  expected: string;
}
export const failures = (
  JSON.parse(fs.readFileSync(path.join(APP_ROOT, 'skills', 'examples', 'file-naming-failures.json'), 'utf8')) as { examples: Failure[] }
).examples;
export const CASES: GradedCase[] = failures.map((f) => ({ input: f.input, expected: f.expected, wrong: f.output }));

/** A data folder whose file-naming history holds the 120 realistic failures (edited tasks). */
export function newDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-evolve-bench-'));
  const engine = Engine.open({ dataDir: dir, seed: 'bench' });
  try {
    for (const f of failures)
      engine.recordTask(
        { skill: SKILL, id: f.id, input: f.input, output: f.output, source: 'bench' },
        { outcome: 'edited', finalOutput: f.expected },
      );
  } finally {
    engine.close();
  }
  return dir;
}

export interface SimOutcome {
  seed: number;
  champion: number;
  current: number;
  result: EvolutionResult;
}

/** One evolution in a fresh data folder (no shared fitness cache) with `model` (default: the graded stand-in). */
export async function evolveOnce(
  settings: Partial<EvolutionSettings>,
  seed: number,
  model: TextModel = gradedModel(CASES),
  onProgress?: (progress: EvolutionProgress) => void,
): Promise<SimOutcome> {
  const dataDir = newDataDir();
  const engine = Engine.open({ dataDir, seed: 'bench' });
  try {
    const active = engine.prompts.active(SKILL);
    const result = await runEvolution({
      ctx: engine.ctx,
      tasks: engine.tasks,
      skill: active.definition,
      active,
      model,
      resume: false,
      onProgress,
      settings: evolutionSettings(engine.ctx.config.config, { ...settings, seed }),
    });
    return { seed, champion: trueFitness(result.variants[0].prompt, CASES), current: trueFitness(active.prompt, CASES), result };
  } finally {
    engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
