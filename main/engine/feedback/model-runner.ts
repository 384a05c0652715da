import path from 'node:path';
import type { Engine } from '../engine';
import { evolutionRuntimeOptions } from '../evolution/settings';
import { skillRequest } from '../evolution/skill-runner';
import type { LlamaRuntime, RuntimeOptions } from '../llm/runtime';
import { DEFAULT_IDLE_DISPOSE_MS } from '../llm/runtime-defaults';
import { expandHome, isFile } from '../util/fs';
import { expectedModelPath, hasSkillRunnerFactory, openSkillRunner, type SkillRunner, type SkillRunnerFactory } from './skill-runner';

/** Three sequences: an A/B vote round's three arms run at once (and an API call beside a watched file). */
const SKILL_SEQUENCES = 3;

/** The model file skills would run on: the configured one or the data folder's default; null when it is not there. */
export function availableModelFile(engine: Engine): string | null {
  const file = path.resolve(expandHome(expectedModelPath(engine)));
  return isFile(file) ? file : null;
}

/**
 * The model-backed SkillRunner: the in-process runtime on the configured (or data-folder) GGUF, loaded on the
 * first request and unloaded when idle; greedy decoding, so the same prompt and input give the same answer.
 * Null when no model file is there, so the caller can say "no model available" instead of failing later.
 */
export function modelRunnerFactory(overrides: Partial<RuntimeOptions> = {}): SkillRunnerFactory {
  return (engine) => {
    const modelPath = availableModelFile(engine);
    if (!modelPath) return null;
    let runtime: Promise<LlamaRuntime> | null = null;
    const open = () =>
      (runtime ??= import('../llm/runtime').then(
        ({ LlamaRuntime }) =>
          new LlamaRuntime(
            evolutionRuntimeOptions(engine.ctx.config.config, engine.dataDir, {
              modelPath,
              sequences: SKILL_SEQUENCES,
              idleDisposeMs: DEFAULT_IDLE_DISPOSE_MS,
              ...overrides,
            }),
          ),
      ));
    const runner: SkillRunner = {
      async run(skill, prompt, input, options = {}) {
        const output = options.output ?? engine.ctx.skills.get(skill).output;
        const result = await (await open()).generate(skillRequest({ output }, prompt, input, { signal: options.signal }));
        return result.text;
      },
      async close() {
        const loaded = runtime;
        runtime = null;
        if (loaded) await (await loaded).dispose();
      },
    };
    return runner;
  };
}

/** What the app and `tinyarms serve` run skills with: a factory wired by a shell or test when there is one, else the model. */
export const appRunnerFactory = (): SkillRunnerFactory => {
  const model = modelRunnerFactory();
  return (engine) => (hasSkillRunnerFactory() ? openSkillRunner(engine) : model(engine));
};
