import os from 'node:os';

export const isAppleSilicon = (): boolean => process.platform === 'darwin' && process.arch === 'arm64';

/**
 * Threads for token evaluation. Apple Silicon: undefined, llama.cpp decides (Metal does the work).
 * Elsewhere min(4, cores - 1): on 2 cores llama.cpp's default runs 25-1000x slower than 1 thread.
 */
export function defaultThreads(): number | undefined {
  if (isAppleSilicon()) return undefined;
  return Math.min(4, Math.max(1, os.availableParallelism() - 1));
}

export const DEFAULT_CONTEXT_SIZE = 2048;
export const DEFAULT_SEQUENCES = 4;
export const DEFAULT_IDLE_DISPOSE_MS = 5 * 60_000;
/** SmolLM2's model card suggests temperature 0.2 and top-p 0.9. */
export const DEFAULT_TEMPERATURE = 0.2;
export const DEFAULT_TOP_P = 0.9;
