import type { VariantGenerator } from '../ports';
import { UserError } from '../util/errors';
import { evolutionModel, evolveRequest, type EvolutionDeps, type EvolutionGeneratorOptions } from './generator';
import { ProgressStore, type LiveProgress } from './live-progress';
import { nowIso } from '../context';

/** Where evolutions run, as the app sees them: it reads progress, cancels, dismisses and pauses; it never runs a model. */
export interface EvolutionHost {
  /** The run in progress for a skill (or its last phase until the next run), null when none. */
  progress(skill: string): LiveProgress | null;
  /** Called whenever any progress changes; returns the unsubscribe function. */
  onProgress(listener: () => void): () => void;
  /** Asks a running evolution to stop; false when none runs for the skill. */
  cancel(skill: string): boolean;
  /** Forgets a stopped (paused, cancelled, failed) run's progress, here and in evolution_progress; false while it runs. */
  dismiss(skill: string): boolean;
  /** While paused no new evolution starts; a running one finishes its current generation and stops (resumable). */
  setPaused(paused: boolean): void;
  dispose(): Promise<void>;
}

/**
 * Evolutions run in this process for the app and `tinyarms serve`. `generate` is the engine's VariantGenerator;
 * plug it in with engine.setVariantGenerator. The model is the engine's shared one.
 */
export interface InProcessEvolutionHost extends EvolutionHost {
  generate: VariantGenerator;
}

export function createEvolutionHost(
  deps: EvolutionDeps,
  options: Pick<EvolutionGeneratorOptions, 'model' | 'settings'> = {},
): InProcessEvolutionHost {
  const model = evolutionModel(deps, options.model);
  const latest = new Map<string, LiveProgress>();
  const running = new Map<string, AbortController>();
  const listeners = new Set<() => void>();
  let paused = false;
  const notify = () => listeners.forEach((listener) => listener());

  const generate: VariantGenerator = async (request) => {
    if (paused) throw new UserError('evolution is paused', { code: 'paused' });
    if (running.has(request.skill))
      throw new UserError(`an evolution of ${request.skill} is already running`, { code: 'evolution_running' });
    const controller = new AbortController();
    running.set(request.skill, controller);
    try {
      const { generated } = await evolveRequest(deps, model, request, options.settings, {
        signal: controller.signal,
        stopAfterGeneration: () => paused,
        onProgress: (progress) => {
          latest.set(request.skill, progress);
          notify();
        },
      });
      return generated;
    } finally {
      running.delete(request.skill);
      notify();
    }
  };

  return {
    generate,
    progress: (skill) => latest.get(skill) ?? null,
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    cancel(skill) {
      const controller = running.get(skill);
      controller?.abort(new Error('cancelled'));
      return controller !== undefined;
    },
    dismiss(skill) {
      if (running.has(skill)) return false;
      latest.delete(skill);
      new ProgressStore(deps.ctx.db, () => nowIso(deps.ctx)).clear(skill);
      notify();
      return true;
    },
    setPaused(value) {
      paused = value;
    },
    async dispose() {
      for (const controller of running.values()) controller.abort(new Error('shutting down'));
      listeners.clear();
    },
  };
}
