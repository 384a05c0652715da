import type { LiveProgress } from '../engine';

/**
 * Where evolution runs (PromptBreeder generations, final evaluations) live, seen from the app. The app service
 * only reads progress, asks for cancellation and passes on the pause switch; it never runs a model itself.
 *
 * The seam exists so the heavy work can leave the UI's event loop: node-llama-cpp evaluates on native threads,
 * but tokenising, scoring and the GA's bookkeeping are JavaScript. In Electron the evolution runner is meant
 * to live in a utility process (`utilityProcess.fork(out/main/engine/evolution-worker.js)`), in browser mode in a
 * `worker_threads` Worker; either side posts progress messages that map one to one onto EvolutionProgressView,
 * and the host here is the small proxy that keeps the latest message per skill. The scheduler stays on the
 * main loop: its work is a few synchronous SQLite reads and writes. See docs/menu-bar-app.md.
 */
export interface EvolutionHost {
  /** The run in progress for a skill (or its last phase until the next run), null when none. */
  progress(skill: string): LiveProgress | null;
  /** Called whenever any progress changes; returns the unsubscribe function. */
  onProgress(listener: () => void): () => void;
  /** Asks a running evolution to stop; false when none runs for the skill. */
  cancel(skill: string): boolean;
  /** Forgets a stopped or failed run's progress; false while it runs. */
  dismiss(skill: string): boolean;
  /** While paused no new evolution starts; a running one finishes its current generation and stops. */
  setPaused(paused: boolean): void;
  dispose(): Promise<void>;
}

/** The host until the evolution runner is plugged in: nothing runs, nothing is loaded. */
export function idleEvolutionHost(): EvolutionHost {
  return {
    progress: () => null,
    onProgress: () => () => {},
    cancel: () => false,
    dismiss: () => false,
    setPaused: () => {},
    dispose: async () => {},
  };
}
