import crypto from 'node:crypto';
import fs from 'node:fs';
import {
  DisposedError,
  LlamaChat,
  type ChatHistoryItem,
  type ChatWrapper,
  type LlamaContext,
  type LlamaGrammar,
  type LlamaModel,
} from 'node-llama-cpp';
import { UserError } from '../util/errors';
import { AbortError, isAbortError, linkSignals } from './abort';
import { chatWrapperName, pickChatWrapper } from './chat-wrapper';
import { sha256File } from './file-hash';
import { checkGgufFile } from './gguf-check';
import { getSharedLlama, type GpuSetting } from './llama-instance';
import { modelsDir, resolveModel, type DownloadProgress, type ResolvedModel } from './model-resolve';
import { outputRule } from './output-rules';
import {
  DEFAULT_CONTEXT_SIZE,
  DEFAULT_IDLE_DISPOSE_MS,
  DEFAULT_SEQUENCES,
  DEFAULT_TEMPERATURE,
  DEFAULT_TOP_P,
  defaultContexts,
  defaultThreads,
  splitSequences,
} from './runtime-defaults';
import { SlotPool } from './slot-pool';
import type { GenerateRequest, GenerateResult, ModelInfo, RuntimeStats, TextModel } from './types';

export { resolveModel, pullModel } from './model-resolve';
export { resetLlamaForTests } from './llama-instance';

export interface RuntimeOptions {
  /** Config key prompt_evolution.smollm2.model_path. */
  modelPath?: string | null;
  dataDir: string;
  /** Catalog entry to use from the data folder / download; default: the catalog's defaultModel. */
  catalogId?: string | null;
  allowDownload?: boolean;
  /** null/undefined: Apple Silicon lets llama.cpp decide, elsewhere min(4, cores - 1). */
  threads?: number | null;
  /** Tokens per sequence (prompt + answer). */
  contextSize?: number;
  /** Parallel sequences in all = how many requests run at once (batched within a context). */
  sequences?: number;
  /**
   * Contexts the sequences are split over, each decoding on its own `threads`. null/undefined: 1 on a GPU;
   * on CPU one per `threads` cores (1-thread contexts on 2 cores beat one 2-thread context: llama.cpp's
   * thread hand-offs cost more than a small decode).
   */
  contexts?: number | null;
  /** Unload after this long without a request; 0 or Infinity keeps the model loaded. */
  idleDisposeMs?: number;
  gpu?: GpuSetting;
  /** Request defaults; a request's own value wins. */
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  /** null/undefined: each sampled request draws a random seed (reported in its result). */
  seed?: number | null;
  onDownloadProgress?: (progress: DownloadProgress) => void;
  huggingFaceEndpoint?: string;
}

interface Loaded {
  model: LlamaModel;
  contexts: LlamaContext[];
  chatWrapper: ChatWrapper;
  pool: SlotPool<LlamaChat>;
  grammars: Map<string, Promise<LlamaGrammar>>;
  info: ModelInfo;
}

const STOP_REASONS = {
  eogToken: 'eos',
  stopGenerationTrigger: 'stop',
  customStopTrigger: 'stop',
  functionCalls: 'stop',
  maxTokens: 'maxTokens',
  abort: 'abort',
} as const satisfies Record<string, GenerateResult['stopReason']>;

function positiveInt(value: number | undefined | null, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isSafeInteger(value) || value < 1) throw new UserError(`${name} must be a positive integer, got ${value}`, { exitCode: 2 });
  return value;
}

/**
 * The in-process model: one model and `sequences` sequences split over `contexts` contexts, loaded on
 * demand and unloaded after `idleDisposeMs` without requests (the next request reloads it).
 *
 * Prompting goes through LlamaChat and the chat wrapper resolved from the GGUF (ChatML for SmolLM2):
 * the model is instruct-tuned, so raw completion would skip the template it was trained on. Every
 * request passes its own fresh history (system + user), so requests share no state; each runs on
 * its own sequence: node-llama-cpp evaluates a context's busy sequences in one batch, and contexts decode
 * in parallel on their own threads. A request goes to the sequence that last ran the longest shared
 * prefix (see SlotPool), which then evaluates only the new tail.
 */
export class LlamaRuntime implements TextModel {
  private readonly options: RuntimeOptions;
  private loaded: Loaded | null = null;
  private loading: Promise<Loaded> | null = null;
  private unloading: Promise<void> | null = null;
  private lifecycle = new AbortController();
  private active = 0;
  private running = 0;
  private runningSince = 0;
  private drainWaiters: Array<() => void> = [];
  private idleTimer: NodeJS.Timeout | null = null;
  private knownId: string | null = null;
  private readonly counters = { loads: 0, unloads: 0, requests: 0, aborted: 0, promptTokens: 0, generatedTokens: 0, busyMs: 0 };

  constructor(options: RuntimeOptions) {
    positiveInt(options.threads, 'threads');
    positiveInt(options.contextSize, 'contextSize');
    positiveInt(options.sequences, 'sequences');
    positiveInt(options.contexts, 'contexts');
    this.options = { ...options };
  }

  /** First 16 hex digits of the model file's SHA-256; known once ensureLoaded() has run. */
  get id(): string {
    if (!this.knownId) throw new Error('LlamaRuntime.id is known once the model is resolved: await ensureLoaded() first');
    return this.knownId;
  }

  async ensureLoaded(): Promise<ModelInfo> {
    this.beginActivity();
    try {
      return (await this.load()).info;
    } finally {
      this.endActivity();
    }
  }

  /** What is loaded now, or null (never loaded, idle-unloaded or disposed). */
  info(): ModelInfo | null {
    return this.loaded?.info ?? null;
  }

  modelInfo(): ModelInfo | null {
    return this.info();
  }

  get isLoaded(): boolean {
    return this.loaded !== null;
  }

  stats(): RuntimeStats {
    const busyMs = this.counters.busyMs + (this.running > 0 ? performance.now() - this.runningSince : 0);
    const tokensPerSecond = busyMs > 0 ? (this.counters.generatedTokens / busyMs) * 1000 : 0;
    return { ...this.counters, busyMs, tokensPerSecond };
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const { signal, release } = linkSignals(request.signal, this.lifecycle.signal);
    this.beginActivity();
    try {
      if (signal.aborted) throw new AbortError(undefined, { cause: signal.reason });
      const loaded = await this.load();
      const chat = await loaded.pool.acquire(signal, `${request.system ?? ''}\u0000${request.prompt}`);
      try {
        return await this.run(loaded, chat, request, signal);
      } finally {
        loaded.pool.release(chat);
      }
    } catch (error) {
      if (isAbortError(error)) this.counters.aborted++;
      throw error;
    } finally {
      release();
      this.endActivity();
    }
  }

  /**
   * Runs the requests concurrently on the sequences (at most `sequences` at a time, the rest
   * queue) and returns results in request order. Rejects with the first failure once all have settled.
   */
  async generateBatch(requests: readonly GenerateRequest[], options: { signal?: AbortSignal } = {}): Promise<GenerateResult[]> {
    const links = requests.map((request) => linkSignals(request.signal, options.signal));
    const settled = await Promise.allSettled(requests.map((request, i) => this.generate({ ...request, signal: links[i].signal })));
    for (const link of links) link.release();
    if (options.signal?.aborted) throw new AbortError('batch aborted', { cause: options.signal.reason });
    const failures = settled.filter((item): item is PromiseRejectedResult => item.status === 'rejected').map((item) => item.reason);
    if (failures.length > 0) throw failures.find((reason) => !isAbortError(reason)) ?? failures[0];
    return settled.map((item) => (item as PromiseFulfilledResult<GenerateResult>).value);
  }

  /** Aborts running requests, waits for them, frees the model. The runtime stays usable (next call reloads). */
  async dispose(): Promise<void> {
    this.clearIdleTimer();
    this.lifecycle.abort(new AbortError('model runtime disposed'));
    this.loaded?.pool.rejectWaiters(new AbortError('model runtime disposed'));
    if (this.active > 0) await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    await this.unload();
    this.lifecycle = new AbortController();
  }

  private async run(loaded: Loaded, chat: LlamaChat, request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    const rule = outputRule(request.stop);
    const history: ChatHistoryItem[] = [
      ...(request.system ? [{ type: 'system' as const, text: request.system }] : []),
      { type: 'user', text: request.prompt },
      { type: 'model', response: [] },
    ];
    const contextSize = loaded.info.contextSize;
    const promptTokens = loaded.chatWrapper
      .generateContextState({ chatHistory: history })
      .contextText.tokenize(loaded.model.tokenizer).length;
    if (promptTokens >= contextSize) {
      throw new UserError(`the prompt is ${promptTokens} tokens but the model context holds ${contextSize}; shorten the input or raise the context size`, {
        code: 'prompt_too_long',
      });
    }
    const wanted = request.maxTokens ?? this.options.maxTokens ?? rule.defaultMaxTokens;
    const maxTokens = Math.max(1, Math.min(wanted, contextSize - promptTokens));
    const temperature = request.temperature ?? this.options.temperature ?? DEFAULT_TEMPERATURE;
    const seed = temperature > 0 ? (request.seed ?? this.options.seed ?? crypto.randomInt(2 ** 31)) : undefined;
    const grammar = rule.grammar ? await this.grammar(loaded, rule.grammar) : undefined;
    const meter = chat.sequence.tokenMeter;
    const outputBefore = meter.usedOutputTokens;
    const started = this.startRunning();
    try {
      const response = await chat.generateResponse(history, {
        maxTokens,
        temperature,
        topP: this.options.topP ?? DEFAULT_TOP_P,
        seed,
        grammar,
        customStopTriggers: rule.stopTriggers.length > 0 ? rule.stopTriggers : undefined,
        signal,
        stopOnAbortSignal: request.partialOnAbort === true,
        onTextChunk: request.onText,
      });
      const generatedTokens = meter.usedOutputTokens - outputBefore;
      this.counters.requests++;
      this.counters.promptTokens += promptTokens;
      this.counters.generatedTokens += generatedTokens;
      return {
        text: rule.clean(response.response),
        promptTokens,
        generatedTokens,
        stopReason: STOP_REASONS[response.metadata.stopReason],
        ms: performance.now() - started,
        ...(seed === undefined ? {} : { seed }),
      };
    } catch (error) {
      if (signal.aborted || error instanceof DisposedError) {
        throw new AbortError(undefined, { cause: signal.reason ?? error });
      }
      throw error;
    } finally {
      this.stopRunning();
    }
  }

  private grammar(loaded: Loaded, gbnf: string): Promise<LlamaGrammar> {
    let grammar = loaded.grammars.get(gbnf);
    if (!grammar) {
      grammar = loaded.model.llama.createGrammar({ grammar: gbnf });
      loaded.grammars.set(gbnf, grammar);
    }
    return grammar;
  }

  private load(): Promise<Loaded> {
    if (this.loaded) return Promise.resolve(this.loaded);
    if (!this.loading) {
      this.loading = (async () => {
        if (this.unloading) await this.unloading;
        return this.loadNow();
      })().finally(() => {
        this.loading = null;
      });
    }
    return this.loading;
  }

  private async loadNow(): Promise<Loaded> {
    const started = performance.now();
    const options = this.options;
    const resolved = await resolveModel({
      modelPath: options.modelPath,
      dataDir: options.dataDir,
      catalogId: options.catalogId,
      allowDownload: options.allowDownload,
      onDownloadProgress: options.onDownloadProgress,
      huggingFaceEndpoint: options.huggingFaceEndpoint,
    });
    const llama = await getSharedLlama(options.gpu ?? 'auto');
    const fileInfo = await checkGgufFile(resolved.path, llama);
    const sha256 = await sha256File(resolved.path, modelsDir(options.dataDir));
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: resolved.path });
    } catch (error) {
      throw new UserError(`cannot load model file ${resolved.path} (${(error as Error).message})`, { code: 'model_load_failed', cause: error });
    }
    const sequences = options.sequences ?? DEFAULT_SEQUENCES;
    const contextSize = options.contextSize ?? DEFAULT_CONTEXT_SIZE;
    const threads = options.threads ?? defaultThreads();
    const split = splitSequences(sequences, options.contexts ?? defaultContexts(llama.gpu !== false, threads));
    const contexts: LlamaContext[] = [];
    try {
      for (const count of split) contexts.push(await model.createContext({ sequences: count, contextSize, threads }));
    } catch (error) {
      for (const context of contexts) await context.dispose();
      await model.dispose();
      throw new UserError(`cannot create ${split.length} context(s) of ${contextSize} tokens for ${sequences} sequences (${(error as Error).message})`, {
        code: 'model_load_failed',
        cause: error,
      });
    }
    const chatWrapper = pickChatWrapper(model);
    const slots = contexts.flatMap((context, group) =>
      Array.from({ length: split[group] }, () => ({ value: new LlamaChat({ contextSequence: context.getSequence(), chatWrapper }), group })),
    );
    this.knownId = sha256.slice(0, 16);
    this.counters.loads++;
    this.loaded = {
      model,
      contexts,
      chatWrapper,
      pool: new SlotPool(slots),
      grammars: new Map(),
      info: describeModel(resolved, {
        model,
        context: contexts[0],
        contexts: contexts.length,
        sha256,
        sequences,
        chatWrapper,
        architecture: String(fileInfo.metadata.general.architecture),
        loadMs: performance.now() - started,
      }),
    };
    return this.loaded;
  }

  private unload(): Promise<void> {
    if (this.unloading) return this.unloading;
    const loaded = this.loaded;
    if (!loaded) return Promise.resolve();
    this.loaded = null;
    loaded.pool.rejectWaiters(new AbortError('model unloaded'));
    this.unloading = (async () => {
      for (const context of loaded.contexts) await context.dispose();
      await loaded.model.dispose();
      this.counters.unloads++;
    })().finally(() => {
      this.unloading = null;
    });
    return this.unloading;
  }

  private beginActivity(): void {
    this.active++;
    this.clearIdleTimer();
  }

  private endActivity(): void {
    this.active--;
    if (this.active > 0) return;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
    this.scheduleIdleUnload();
  }

  private startRunning(): number {
    const now = performance.now();
    if (this.running++ === 0) this.runningSince = now;
    return now;
  }

  private stopRunning(): void {
    if (--this.running === 0) this.counters.busyMs += performance.now() - this.runningSince;
  }

  private scheduleIdleUnload(): void {
    const ms = this.options.idleDisposeMs ?? DEFAULT_IDLE_DISPOSE_MS;
    if (!this.loaded || !(ms > 0) || !Number.isFinite(ms)) return;
    this.clearIdleTimer();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.active === 0) void this.unload();
    }, ms);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

function describeModel(
  resolved: ResolvedModel,
  loaded: { model: LlamaModel; context: LlamaContext; contexts: number; sha256: string; sequences: number; chatWrapper: ChatWrapper; architecture: string; loadMs: number },
): ModelInfo {
  const { model, context, sha256 } = loaded;
  const expected = resolved.entry?.sha256 ?? null;
  return {
    id: sha256.slice(0, 16),
    path: resolved.path,
    source: resolved.source,
    catalogId: resolved.entry?.id ?? null,
    sizeBytes: fs.statSync(resolved.path).size,
    sha256,
    verified: expected === null ? null : expected === sha256,
    chatWrapper: chatWrapperName(loaded.chatWrapper),
    architecture: loaded.architecture,
    trainContextSize: model.trainContextSize,
    contextSize: context.contextSize,
    sequences: loaded.sequences,
    contexts: loaded.contexts,
    threads: context.idealThreads,
    gpu: model.llama.gpu,
    gpuLayers: model.gpuLayers,
    loadMs: loaded.loadMs,
  };
}

