import type { TinyArmsConfig } from '../config/schema';
import { usageError } from '../util/errors';
import { DEFAULT_HALVING, FULL_RANKING } from './halving';
import { DEFAULT_OPERATOR_POLICY, OPEN_POLICY } from './operator-policy';
import { DEFAULT_OPERATOR_WEIGHTS } from './operators';
import { DEFAULT_RACING, FULL_EVALUATION } from './racing';
import type { EvolutionSettings } from './types';

/** Parallel sequences of the evolution runtime (and requests in flight); 4 × 1024 tokens keep SmolLM2's KV cache at 160 MB (f16). */
export const EVOLUTION_SEQUENCES = 4;

const defined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** How a run spends its calls: raced tournaments, successive halving, operators retired when they never work. */
export const SPENDING_POLICIES: Pick<EvolutionSettings, 'racing' | 'ranking' | 'operatorPolicy'> = {
  racing: DEFAULT_RACING,
  ranking: DEFAULT_HALVING,
  operatorPolicy: DEFAULT_OPERATOR_POLICY,
};

/** The algorithm before racing and halving (every example of every match, every unit on every held-out example). */
export const FULL_POLICIES: Pick<EvolutionSettings, 'racing' | 'ranking' | 'operatorPolicy'> = {
  racing: FULL_EVALUATION,
  ranking: FULL_RANKING,
  operatorPolicy: OPEN_POLICY,
};

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
    crossSkillLearning: config.prompt_evolution.cross_skill_learning,
    ...SPENDING_POLICIES,
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
