import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';
import { UserError } from '../util/errors';

export type GpuSetting = 'auto' | false;

let shared: Promise<Llama> | null = null;

/**
 * The process's one Llama binding (lazy, memoized). The first caller's gpu setting wins:
 * 'auto' is Metal on Apple Silicon and CPU where no GPU backend is found.
 */
export function getSharedLlama(gpu: GpuSetting = 'auto'): Promise<Llama> {
  if (!shared) {
    shared = getLlama({
      gpu,
      // Never compile llama.cpp at run time: it needs a toolchain and a network the user may not have.
      build: 'never',
      progressLogs: false,
      logLevel: LlamaLogLevel.error,
    }).catch((error: unknown) => {
      shared = null;
      throw new UserError(`cannot start llama.cpp (${(error as Error).message})`, { cause: error });
    });
  }
  return shared;
}

/** Disposes the shared binding so the next getSharedLlama() starts fresh. Tests only. */
export async function resetLlamaForTests(): Promise<void> {
  const current = shared;
  shared = null;
  if (current) await (await current.catch(() => null))?.dispose();
}
