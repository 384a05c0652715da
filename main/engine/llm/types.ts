/**
 * How the output is shaped and where generation stops:
 * - 'line': one line (a file name, a title); a grammar forbids newlines inside it.
 * - 'lines': a list, one item per line; blank lines are dropped.
 * - 'none': free text, bounded by maxTokens.
 * - 'bare': a mutation answer for the GA: the answer text only, preamble and fences stripped.
 * - 'prompt': a new task prompt for the GA: 'bare', and a grammar lets it end only once it has written the
 *   {{input}} slot (exactly once; no other braces).
 */
export type StopKind = 'line' | 'lines' | 'none' | 'bare' | 'prompt';

export interface GenerateRequest {
  prompt: string;
  system?: string;
  maxTokens?: number;
  temperature?: number;
  /** Fixed seed = reproducible run; omitted with temperature > 0 draws a random seed (reported in the result). */
  seed?: number;
  stop?: StopKind;
  signal?: AbortSignal;
  /** Streams text as it is generated (also handy to abort after the first tokens). */
  onText?: (chunk: string) => void;
  /** On abort, resolve with the text so far (stopReason 'abort') instead of rejecting with an AbortError. */
  partialOnAbort?: boolean;
  /**
   * The start of `prompt` that other requests will share (a skill template up to its input, a template's fixed
   * part): a runtime with a prefix cache keeps its evaluated state and restores it instead of evaluating it again.
   */
  cachePrefix?: string;
  /**
   * The answer this request is likely to give (an example's expected answer): a runtime with token prediction checks
   * it in one batch with the prompt and keeps only the tokens the model itself picks, so the answer stays the model's
   * own and fewer tokens are decoded one at a time. A wrong draft costs its tokens once.
   */
  draft?: string;
}

export interface GenerateResult {
  text: string;
  promptTokens: number;
  generatedTokens: number;
  stopReason: 'eos' | 'stop' | 'maxTokens' | 'abort';
  ms: number;
  /** The seed that was used when sampling (temperature > 0); absent for greedy decoding. */
  seed?: number;
  /** Prompt tokens actually evaluated (the rest were reused from the sequence or a prefix snapshot); runtimes that know. */
  computedPromptTokens?: number;
  /** Draft tokens the model confirmed (each one spared a decode step) and refuted; runtimes that predict. */
  draftTokens?: { accepted: number; refuted: number };
}

/** The GA and the A/B use ONLY this; a deterministic stand-in implements it in unit tests. */
export interface TextModel {
  /** Stable model identity for caches: the first 16 hex digits of the model file's SHA-256. */
  readonly id: string;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  generateBatch(requests: readonly GenerateRequest[], options?: { signal?: AbortSignal }): Promise<GenerateResult[]>;
  /** Prompt tokens of a request as the model sees it (chat template included); models without a tokenizer omit it. */
  countPromptTokens?(request: Pick<GenerateRequest, 'system' | 'prompt'>): Promise<number>;
  /**
   * Arranges the model for an evolution's many short requests until the returned function is called (runtimes that
   * have layouts: LlamaRuntime splits its sequences over more contexts on CPU).
   */
  beginEvolution?(): Promise<() => Promise<void>>;
  /** CPU threads all its lanes use at once; null when a GPU does the work or nothing is loaded (runtimes that know). */
  cpuThreads?(): number | null;
}

export type ModelSource = 'config' | 'data-folder' | 'downloaded';

export interface ModelInfo {
  id: string;
  path: string;
  source: ModelSource;
  /** Catalog entry whose file name matches, if any. */
  catalogId: string | null;
  sizeBytes: number;
  sha256: string;
  /** true/false when the catalog pins a hash for this file, null when it does not. */
  verified: boolean | null;
  /** Class name of the chat wrapper node-llama-cpp resolved from the GGUF, e.g. 'ChatMLChatWrapper'. */
  chatWrapper: string;
  architecture: string;
  trainContextSize: number;
  /** Tokens per sequence. */
  contextSize: number;
  /** Sequences in all now, split over `contexts` contexts. */
  sequences: number;
  /** Contexts now (the evolution's layout while an evolution holds the runtime). */
  contexts: number;
  /** Sequences and contexts while an evolution holds the runtime (LlamaRuntime.beginEvolution); runtimes with layouts. */
  evolution?: { sequences: number; contexts: number };
  /** Threads per context. */
  threads: number;
  /** false = CPU; otherwise the backend node-llama-cpp picked ('metal', 'cuda', 'vulkan'). */
  gpu: false | string;
  gpuLayers: number;
  loadMs: number;
  /** Context settings in effect (see RuntimeOptions). */
  flashAttention?: boolean;
  kvCacheType?: KvCacheType;
  batchSize?: number;
}

/** KV cache element type: q8_0 halves the cache (llama.cpp needs flash attention for a quantized V cache). */
export type KvCacheType = 'f16' | 'q8_0';

export interface RuntimeStats {
  loads: number;
  unloads: number;
  requests: number;
  aborted: number;
  promptTokens: number;
  generatedTokens: number;
  /** Wall time during which at least one generation ran (batched runs overlap, so this is not a sum). */
  busyMs: number;
  /** generatedTokens / busy seconds; 0 before the first request. */
  tokensPerSecond: number;
  /** Prompt tokens evaluated (promptTokens minus those reused from a sequence or a prefix snapshot). */
  computedPromptTokens: number;
  /** Requests' draft tokens the model confirmed and refuted (see GenerateRequest.draft). */
  draftTokensAccepted: number;
  draftTokensRefuted: number;
}
