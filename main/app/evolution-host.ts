import type { EvolutionHost } from '../engine';

export type { EvolutionHost };

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
 *
 * This one is the host until the evolution runner is plugged in: nothing runs, nothing is loaded.
 */
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
