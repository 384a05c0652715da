import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { skillPrefix } from '../engine/skills/skill-request';
import { getSharedLlama, resetLlamaForTests } from '../engine/llm/llama-instance';
import type { LlamaRuntime } from '../engine/llm/runtime';
import { TASK_PREFIX_OWNER } from '../engine/serving/task-prefixes';
import { requireFixtureModel } from '../engine/llm/test-fixture';
import { createAppRuntime, type AppRuntime } from './app-runtime';

let runtime: AppRuntime | null = null;
let dataDir: string;
afterEach(async () => {
  await runtime?.stop();
  runtime = null;
  fs.rmSync(dataDir, { recursive: true, force: true });
});
afterAll(() => resetLlamaForTests());

// A tiny evolution on the real toy model: what is measured is who loads the model, not what it writes.
const CONFIG = `prompt_evolution:
  smollm2:
    model_path: ${JSON.stringify(requireFixtureModel())}
    variants_per_evolution: 2
  evolution:
    population_size: 4
    generations: 1
    evaluation_samples: 2
    final_evaluation_samples: 3
    max_tokens: 8
    context_size: 1024
    seed: 7
`;

describe('the app runtime', () => {
  it('loads one model for a task and an evolution in the same process', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-runtime-'));
    fs.writeFileSync(path.join(dataDir, 'config.yaml'), CONFIG);
    const llama = await getSharedLlama(false);
    const loads = vi.spyOn(llama, 'loadModel');
    runtime = createAppRuntime({ engine: { dataDir, model: { runtime: { gpu: false, threads: 1 } } }, watchIntervalMs: 0, log: () => {} });
    const { engine } = runtime;
    for (let i = 0; i < 6; i += 1) {
      engine.recordTask(
        { skill: 'file-naming', input: `IMG_${i}.png — PNG image`, output: 'image.png' },
        { outcome: 'edited', finalOutput: `beach-${i}.png` },
      );
    }

    const served = await engine.serveTask({ skill: 'file-naming', input: 'IMG_9.png — PNG image, 4×4', allowVote: false });
    expect(served.kind).toBe('task');
    expect(engine.models.isLoaded()).toBe(true);
    const session = await engine.evolve('file-naming', { count: 2 });
    expect(engine.sessions.variants(session.id).length).toBeGreaterThanOrEqual(2);

    expect(loads).toHaveBeenCalledTimes(1);
    expect((await runtime.service.getState()).model).toMatchObject({ loaded: true, resolvedPath: requireFixtureModel(), error: null });
    // The state now shows the test: the arms' prefixes replace the served prompt's on the loaded model.
    const arms = engine.sessions
      .variants(session.id)
      .map((variant) => skillPrefix(variant.prompt_template))
      .sort();
    const pinned = async () => ((await engine.models.get()) as LlamaRuntime).warmPrefixes(TASK_PREFIX_OWNER).map((p) => p.prompt);
    await vi.waitFor(async () => expect(await pinned()).toEqual(arms));
  });
});
