import type { EngineContext } from '../context';
import { nowIso } from '../context';
import type { TaskLog } from '../feedback/task-log';
import type { TextModel } from '../llm/types';
import type { EvolutionRequest, GeneratedVariants, VariantGenerator } from '../ports';
import type { EvolutionPlan } from './plan';
import { RunStore } from './checkpoint';
import { runEvolution, type EvolutionResult, type EvolutionRunOptions } from './run';
import { evolutionSettings } from './settings';
import { createProgressTracker, ProgressStore, type LiveProgress } from './live-progress';
import type { EvolutionSettings } from './types';

/** What an evolution needs from the engine: its context, the task log and the process's shared model. */
export interface EvolutionDeps {
  ctx: EngineContext;
  tasks: Pick<TaskLog, 'withFeedback' | 'get'>;
  models: { get(): Promise<TextModel> };
}

export interface EvolutionGeneratorOptions {
  /** A model to use instead of the shared one (tests, the bench): an instance or a factory. */
  model?: TextModel | (() => Promise<TextModel>);
  settings?: Partial<EvolutionSettings>;
  signal?: AbortSignal;
  onProgress?: (progress: LiveProgress) => void;
  onPlan?: (plan: EvolutionPlan) => boolean | Promise<boolean>;
  /** Start a new run even when an unfinished one could resume. */
  fresh?: boolean;
}

export interface EvolutionGenerator {
  /** Plug into Engine (setVariantGenerator / EngineOptions.variantGenerator). */
  generate: VariantGenerator;
  lastResult(): EvolutionResult | null;
}

/** The model an evolution runs on: an injected one, else the shared model (loaded on first use). */
export function evolutionModel(deps: EvolutionDeps, injected?: EvolutionGeneratorOptions['model']): () => Promise<TextModel> {
  if (!injected) return () => deps.models.get();
  return async () => (typeof injected === 'function' ? injected() : injected);
}

/** A run's result as the engine's generator answer: at least two arms, the review flag, and the run linked to its session. */
export function toGeneratedVariants(
  deps: Pick<EvolutionDeps, 'ctx'>,
  request: EvolutionRequest,
  result: EvolutionResult,
): GeneratedVariants {
  let variants = result.variants;
  if (variants.length < 2) {
    variants = [
      ...variants,
      {
        prompt: request.active.prompt,
        source: 'current',
        sourceVersion: request.active.version,
        reasoning: `current prompt (version ${request.active.version}): the evolution produced only one variant`,
      },
    ];
  }
  const store = new RunStore(deps.ctx.db, () => nowIso(deps.ctx));
  return { variants, needsReview: result.needsReview, onSession: (session) => store.setSession(result.runId, session.id) };
}

/**
 * PromptBreeder as the engine's VariantGenerator. No model is loaded until an evolution actually starts.
 * Variants of fewer than two get the current prompt as a second arm.
 */
export function createEvolutionGenerator(deps: EvolutionDeps, options: EvolutionGeneratorOptions = {}): EvolutionGenerator {
  const model = evolutionModel(deps, options.model);
  let last: EvolutionResult | null = null;
  const generate: VariantGenerator = async (request) => {
    const { result, generated } = await evolveRequest(deps, model, request, options.settings, {
      signal: options.signal,
      onProgress: options.onProgress,
      onPlan: options.onPlan,
      resume: !options.fresh,
      resumeGenerations: options.settings?.generations,
    });
    last = result;
    return generated;
  };
  return { generate, lastResult: () => last };
}

/** One evolution for an engine request; `drive` is what the caller controls (signal, progress, plan, resume, pause). */
export async function evolveRequest(
  deps: EvolutionDeps,
  model: () => Promise<TextModel>,
  request: EvolutionRequest,
  overrides: Partial<EvolutionSettings> | undefined,
  drive: Pick<EvolutionRunOptions, 'signal' | 'onPlan' | 'resume' | 'resumeGenerations' | 'stopAfterGeneration'> & {
    onProgress?: (progress: LiveProgress) => void;
  },
): Promise<{ result: EvolutionResult; generated: GeneratedVariants }> {
  const settings = evolutionSettings(deps.ctx.config.config, { ...overrides, variants: request.count });
  // Live progress for this process's caller and, through evolution_progress, for every other process (the app
  // shows a run the CLI started).
  const tracker = createProgressTracker({
    skill: request.skill,
    settings,
    store: new ProgressStore(deps.ctx.db, () => nowIso(deps.ctx)),
    onProgress: drive.onProgress,
    nowIso: () => nowIso(deps.ctx),
  });
  tracker.start();
  try {
    const loaded = tracker.model(await model());
    const result = await runEvolution({
      ctx: deps.ctx,
      tasks: deps.tasks as TaskLog,
      skill: request.active.definition,
      active: request.active,
      model: loaded,
      settings,
      ...drive,
      gold: request.gold,
      onProgress: tracker.onProgress,
      onPlan: tracker.onPlan(drive.onPlan),
    });
    return { result, generated: toGeneratedVariants(deps, request, result) };
  } catch (error) {
    tracker.stopped(error);
    throw error;
  }
}

/**
 * Gives the engine a PromptBreeder generator when there is a model (or one is injected), for `monitor run` and
 * the app; nothing is loaded until an evolution starts. Null when no model is installed.
 */
export function attachEvolutionGenerator(
  engine: EvolutionDeps & { models: { available(): boolean }; setVariantGenerator(generator: VariantGenerator | null): void },
  options: EvolutionGeneratorOptions = {},
): EvolutionGenerator | null {
  if (!options.model && !engine.models.available()) return null;
  const generator = createEvolutionGenerator(engine, options);
  engine.setVariantGenerator(generator.generate);
  return generator;
}
