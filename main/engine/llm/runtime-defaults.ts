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

/**
 * Contexts to split the sequences over. On a GPU one (the device batches the sequences: extrapolated, not measured
 * here). On CPU one per `threads` cores, at most 4. Measured on the shaped SmolLM2-360M (bench:runtime, 2 cores):
 * 4 sequences batched in one context generate 40-50 tokens per CPU-second against 56-61 for one (llama.cpp's CPU
 * kernels do not share the weights between a batch's sequences), so a context adds no speed, only concurrency; a
 * second thread in one context doubles prompt speed on a quiet machine but on a busy one spins on its barrier
 * (generation 2-23 tokens per CPU-second); two 1-thread contexts use both cores at full efficiency (evaluation lanes
 * 1.6-2.1× one at a time, at the same CPU-seconds). This is the layout for tasks. An evolution's many short requests
 * go faster on one context per sequence (defaultEvolutionContexts), but each context brings its own buffers: after
 * 600-token prompts a bare process peaks at 739 MB with 4 × 1 (689 with 2 × 2; 677 for 4 × 1 with batches of 128), and
 * `tinyarms serve` with the model loaded for tasks at 674 MB even with batches of 128, more than with 2 × 2. So the
 * runtime switches to that layout only while an evolution holds it (LlamaRuntime.beginEvolution; bench:runtime
 * --only memory, bench:serve; 30 Nov 2026).
 */
export function defaultContexts(gpu: boolean, threads: number | undefined): number {
  if (gpu || threads === undefined) return 1;
  return Math.min(4, Math.max(1, Math.floor(os.availableParallelism() / threads)));
}

/**
 * Contexts while an evolution runs, or null for the same as defaultContexts. On CPU with one thread per context, one
 * context per sequence (at most two per core): one-thread contexts have no barrier to spin on, so more of them than
 * cores take turns on the cores with nothing idle, and none batches two sequences. Measured on the shaped SmolLM2-360M
 * (2 cores): the design evolution ran in 20.0 min at 1.94 cores against 21.1 at 1.83 with 2 × 2, at the same CPU-seconds.
 * Only while an evolution runs, because each context brings its own buffers (see defaultContexts).
 */
export function defaultEvolutionContexts(gpu: boolean, threads: number | undefined, sequences: number): number | null {
  if (gpu || threads !== 1) return null;
  return Math.max(1, Math.min(sequences, 2 * os.availableParallelism()));
}

/** `sequences` spread over at most `contexts` contexts as evenly as possible, e.g. (5, 2) → [3, 2]. */
export function splitSequences(sequences: number, contexts: number): number[] {
  const n = Math.max(1, Math.min(sequences, contexts));
  return Array.from({ length: n }, (_, i) => Math.floor(sequences / n) + (i < sequences % n ? 1 : 0));
}

/**
 * Tokens per sequence (prompt + answer). Skill prompts are ~60-600 tokens and the GA's templates ~500 plus a 160-token
 * answer, so 1024 fits them; 4 sequences then hold 160 MB of f16 KV cache for SmolLM2-360M (320 MB at 2048).
 */
export const DEFAULT_CONTEXT_SIZE = 1024;
/** Tokens decoded per llama.cpp batch; 128 saves ~30 MB of compute buffers for 4 sequences at the same prompt speed. */
export const DEFAULT_BATCH_SIZE = 512;
/** Flash attention: 5-12% fewer CPU-seconds per call on the shaped SmolLM2-360M, and required by a quantized KV cache. */
export const DEFAULT_FLASH_ATTENTION = true;
/**
 * f16: q8_0 halves the KV cache (4 × 1024 tokens: peak RSS 614 instead of 689 MB) but costs 10% more CPU per call on a
 * 150-token prompt and 38% on a 600-token one (CPU, measured). A runtime shared by tasks and the GA on an 8 GB Mac
 * should choose q8_0 (Metal's quantized-KV kernels cost less: extrapolated).
 */
export const DEFAULT_KV_CACHE_TYPE = 'f16' as const;
/** Disk (temp folder) for prompt-prefix snapshots beyond the pinned ones; ~41 KB per token for SmolLM2-360M in f16. */
export const DEFAULT_PREFIX_CACHE_BYTES = 256 * 1024 * 1024;
export const DEFAULT_SEQUENCES = 4;
export const DEFAULT_IDLE_DISPOSE_MS = 5 * 60_000;
/** SmolLM2's model card suggests temperature 0.2 and top-p 0.9. */
export const DEFAULT_TEMPERATURE = 0.2;
export const DEFAULT_TOP_P = 0.9;
