import type { Engine, EvolutionRequest, GeneratedVariants, VariantGenerator } from '../engine';
import type { LlamaRuntime, RuntimeOptions } from '../llm/runtime';
import type { ResolvedModel } from '../llm/model-resolve';
import type { TextModel } from '../llm/types';
import { isUserError } from '../util/errors';
import type { EvolutionPlan } from './plan';
import { RunStore } from './checkpoint';
import { runEvolution, type EvolutionResult, type EvolutionRunOptions } from './run';
import { evolutionRuntimeOptions, evolutionSettings } from './settings';
import type { EvolutionProgress, EvolutionSettings } from './types';
import { nowIso } from '../context';

export interface EvolutionGeneratorOptions {
  /** A GGUF file; overrides prompt_evolution.smollm2.model_path. */
  modelPath?: string | null;
  /** A model to use instead of loading one (tests, the bench): an instance or a factory. */
  model?: TextModel | (() => Promise<TextModel>);
  runtime?: Partial<RuntimeOptions>;
  settings?: Partial<EvolutionSettings>;
  signal?: AbortSignal;
  onProgress?: (progress: EvolutionProgress) => void;
  onPlan?: (plan: EvolutionPlan) => boolean | Promise<boolean>;
  /** Start a new run even when an unfinished one could resume. */
  fresh?: boolean;
}

export interface EvolutionGenerator {
  /** Plug into Engine (setVariantGenerator / EngineOptions.variantGenerator). */
  generate: VariantGenerator;
  lastResult(): EvolutionResult | null;
  dispose(): Promise<void>;
}

/** The evolution model, created and loaded on first use (an injected one for tests and the bench). */
export interface LazyModel {
  get(sequences: number): Promise<TextModel>;
  runtime(): LlamaRuntime | null;
  dispose(): Promise<void>;
}

export function lazyModel(engine: Engine, options: Pick<EvolutionGeneratorOptions, 'model' | 'modelPath' | 'runtime'> = {}): LazyModel {
  let runtime: LlamaRuntime | null = null;
  let model: Promise<TextModel> | null = null;
  return {
    get(sequences) {
      if (!model) {
        model = (async () => {
          if (options.model) return typeof options.model === 'function' ? options.model() : options.model;
          const config = engine.ctx.config.config;
          // Imported here: node-llama-cpp takes a noticeable time to import, and most commands never need it.
          const { LlamaRuntime } = await import('../llm/runtime');
          runtime = new LlamaRuntime(evolutionRuntimeOptions(config, engine.dataDir, { sequences, ...options.runtime, ...(options.modelPath ? { modelPath: options.modelPath } : {}) }));
          await runtime.ensureLoaded();
          return runtime;
        })();
        model.catch(() => {
          model = null;
        });
      }
      return model;
    },
    runtime: () => runtime,
    async dispose() {
      await runtime?.dispose();
    },
  };
}

/** A run's result as the engine's generator answer: at least two arms, the review flag, and the run linked to its session. */
export function toGeneratedVariants(engine: Engine, request: EvolutionRequest, result: EvolutionResult): GeneratedVariants {
  let variants = result.variants;
  if (variants.length < 2) {
    variants = [...variants, { prompt: request.active.prompt, source: 'current', sourceVersion: request.active.version, reasoning: `current prompt (version ${request.active.version}): the evolution produced only one variant` }];
  }
  const store = new RunStore(engine.ctx.db, () => nowIso(engine.ctx));
  return { variants, needsReview: result.needsReview, onSession: (session) => store.setSession(result.runId, session.id) };
}

/**
 * PromptBreeder as the engine's VariantGenerator. Lazy: no model is resolved or loaded until an
 * evolution actually starts. Variants of fewer than two get the current prompt as a second arm.
 */
export function createEvolutionGenerator(engine: Engine, options: EvolutionGeneratorOptions = {}): EvolutionGenerator {
  const model = lazyModel(engine, options);
  let last: EvolutionResult | null = null;

  const generate: VariantGenerator = async (request) => {
    const { result, generated } = await evolveRequest(engine, model, request, options.settings, {
      signal: options.signal,
      onProgress: options.onProgress,
      onPlan: options.onPlan,
      resume: !options.fresh,
      resumeGenerations: options.settings?.generations,
    });
    last = result;
    return generated;
  };

  return { generate, lastResult: () => last, dispose: () => model.dispose() };
}

/** One evolution for an engine request on the lazily loaded model; `drive` is what the caller controls (signal, progress, plan, resume, pause). */
export async function evolveRequest(
  engine: Engine,
  model: LazyModel,
  request: EvolutionRequest,
  overrides: Partial<EvolutionSettings> | undefined,
  drive: Pick<EvolutionRunOptions, 'signal' | 'onProgress' | 'onPlan' | 'resume' | 'resumeGenerations' | 'stopAfterGeneration'>,
): Promise<{ result: EvolutionResult; generated: GeneratedVariants }> {
  const settings = evolutionSettings(engine.ctx.config.config, { ...overrides, variants: request.count });
  const loaded = await model.get(settings.parallel);
  const result = await runEvolution({ ctx: engine.ctx, tasks: engine.tasks, skill: request.active.definition, active: request.active, model: loaded, settings, ...drive });
  return { result, generated: toGeneratedVariants(engine, request, result) };
}

/** The model an evolution would use, or null when none is installed (no download, nothing loaded). */
export async function findEvolutionModel(engine: Engine, modelPath?: string | null): Promise<ResolvedModel | null> {
  const { resolveModel } = await import('../llm/model-resolve');
  try {
    return await resolveModel({ modelPath: modelPath ?? engine.ctx.config.config.prompt_evolution.smollm2.model_path, dataDir: engine.dataDir, allowDownload: false });
  } catch (error) {
    if (isUserError(error) && error.code === 'model_missing') return null;
    throw error;
  }
}

/**
 * Gives the engine a (lazy) PromptBreeder generator when a model resolves, for `monitor run` and the app.
 * Returns the generator (dispose it when done) or null when no model is installed.
 */
export async function attachEvolutionGenerator(engine: Engine, options: EvolutionGeneratorOptions = {}): Promise<EvolutionGenerator | null> {
  if (!options.model && !(await findEvolutionModel(engine, options.modelPath))) return null;
  const generator = createEvolutionGenerator(engine, options);
  engine.setVariantGenerator(generator.generate);
  return generator;
}
