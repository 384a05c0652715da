import type { TinyArmsConfig } from '../config/schema';
import { usageError } from '../util/errors';
import { DEFAULT_OPERATOR_WEIGHTS } from './operators';
import type { EvolutionSettings } from './types';

/** Parallel sequences of the evolution runtime (and requests in flight); 4 keeps SmolLM2's KV cache near 330 MB at 2048 tokens each. */
export const EVOLUTION_SEQUENCES = 4;

const defined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The run's settings: the config's evolution block (and variants_per_evolution, rollback_threshold), then overrides. */
export function evolutionSettings(config: TinyArmsConfig, overrides: Partial<EvolutionSettings> = {}): EvolutionSettings {
  const e = config.prompt_evolution.evolution;
  const settings: EvolutionSettings = {
    populationSize: e.population_size,
    generations: e.generations,
    evaluationSamples: e.evaluation_samples,
    finalEvaluationSamples: e.final_evaluation_samples,
    tournamentsPerGeneration: e.tournaments_per_generation,
    maxLlmCalls: e.max_llm_calls,
    similarityThreshold: e.similarity_threshold,
    temperature: e.temperature,
    maxTokens: e.max_tokens,
    seed: e.seed,
    variants: config.prompt_evolution.smollm2.variants_per_evolution,
    rollbackThreshold: config.prompt_evolution.learning.rollback_threshold,
    repairPlaceholder: false,
    parallel: EVOLUTION_SEQUENCES,
    evaluationMaxTokens: null,
    operatorWeights: DEFAULT_OPERATOR_WEIGHTS,
    ...defined(overrides),
  };
  for (const [name, value, min] of [
    ['population', settings.populationSize, 2],
    ['generations', settings.generations, 0],
    ['evaluation samples', settings.evaluationSamples, 1],
    ['variants', settings.variants, 1],
    ['parallel', settings.parallel, 1],
  ] as const) {
    if (!Number.isInteger(value) || value < min) throw usageError(`${name} must be a whole number ≥ ${min} (got ${value})`);
  }
  return settings;
}
