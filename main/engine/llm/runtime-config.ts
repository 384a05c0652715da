import type { TinyArmsConfig } from '../config/schema';
import type { RuntimeOptions } from './runtime';

const defined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Runtime options from the config: smollm2.model_path, evolution.threads/contexts/context_size/temperature/max_tokens/seed. */
export function runtimeOptionsFromConfig(config: TinyArmsConfig, dataDir: string, overrides: Partial<RuntimeOptions> = {}): RuntimeOptions {
  const e = config.prompt_evolution.evolution;
  return {
    modelPath: config.prompt_evolution.smollm2.model_path,
    dataDir,
    allowDownload: false,
    threads: e.threads,
    // A number the person chose holds for tasks and evolutions alike; null lets each use its own (runtime-defaults.ts).
    contexts: e.contexts,
    evolution: { contexts: e.contexts },
    contextSize: e.context_size,
    temperature: e.temperature,
    maxTokens: e.max_tokens,
    seed: e.seed,
    ...defined(overrides),
  };
}
