import crypto from 'node:crypto';
import { DisposedError, type LlamaChat, type LlamaGrammar } from 'node-llama-cpp';
import { UserError } from '../util/errors';
import { AbortError, isAbortError, linkSignals } from './abort';
import { DraftTokenPredictor } from './draft-predictor';
import { draftTokens, historyOf, promptTokensOf, tokenUsage, tokensUsed } from './runtime-tokens';
import { outputRule } from './output-rules';
import { prefixKey, type PrefixCacheStats, type PromptPrefix } from './prefix-cache';
import { RuntimeActivity } from './runtime-activity';
import { DEFAULT_TEMPERATURE, DEFAULT_TOP_P } from './runtime-defaults';
import { loadRuntime, relayoutRuntime, sameSplit, unloadRuntime, type Loaded, type LoadOptions, type RuntimeUse } from './runtime-load';
import type { GenerateRequest, GenerateResult, ModelInfo, RuntimeStats, TextModel } from './types';

export type { PromptPrefix } from './prefix-cache';
export { resolveModel, pullModel } from './model-resolve';
export { resetLlamaForTests } from './llama-instance';

/** Where the model comes from and how its contexts are sized (LoadOptions), and how it serves requests. */
export interface RuntimeOptions extends LoadOptions {
  /** Unload after this long without a request; 0 or Infinity keeps the model loaded. */
  idleDisposeMs?: number;
  /** Request defaults; a request's own value wins. */
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  /** null/undefined: each sampled request draws a random seed (reported in its result). */
  seed?: number | null;
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
 * in parallel on their own threads. A request goes to the least busy context, and there to the sequence that
 * last ran the longest shared prefix (see SlotPool), which then evaluates only the new tail. Prompt prefixes that recur (a request's
 * `cachePrefix`, or one pinned with setWarmPrefixes) are kept as KV snapshots (see PrefixCache) and restored
 * into whichever sequence serves the request, so a skill run evaluates only its input and its answer.
 */
export class LlamaRuntime implements TextModel {
  private readonly options: RuntimeOptions;
  private loaded: Loaded | null = null;
  private loading: Promise<Loaded> | null = null;
  private unloading: Promise<void> | null = null;
  private lifecycle = new AbortController();
  private readonly activity: RuntimeActivity;
  private running = 0;
  private runningSince = 0;
  private knownId: string | null = null;
  private readonly counters = {
    loads: 0,
    unloads: 0,
    requests: 0,
    aborted: 0,
    promptTokens: 0,
    computedPromptTokens: 0,
    generatedTokens: 0,
    draftTokensAccepted: 0,
    draftTokensRefuted: 0,
    busyMs: 0,
  };
  /** Pinned prompt prefixes per owner; they outlive an unload and are warmed again after the next load. */
  private readonly pins = new Map<string, PromptPrefix[]>();
  /** Evolutions holding the runtime (beginEvolution); while any does, the contexts are the evolution's layout. */
  private evolutions = 0;
  /** The last layout change, so changes run one after another. */
  private relayouting: Promise<void> = Promise.resolve();

  constructor(options: RuntimeOptions) {
    positiveInt(options.threads, 'threads');
    positiveInt(options.contextSize, 'contextSize');
    positiveInt(options.sequences, 'sequences');
    positiveInt(options.contexts, 'contexts');
    positiveInt(options.batchSize, 'batchSize');
    this.options = { ...options };
    this.activity = new RuntimeActivity(options.idleDisposeMs, { isLoaded: () => this.loaded !== null, unload: () => void this.unload() });
  }

  /** First 16 hex digits of the model file's SHA-256; known once ensureLoaded() has run. */
  get id(): string {
    if (!this.knownId) throw new Error('LlamaRuntime.id is known once the model is resolved: await ensureLoaded() first');
    return this.knownId;
  }

  async ensureLoaded(): Promise<ModelInfo> {
    this.activity.begin();
    try {
      return (await this.load()).info;
    } finally {
      this.activity.end();
    }
  }

  /** What is loaded now, or null (never loaded, idle-unloaded or disposed). */
  info(): ModelInfo | null {
    return this.loaded?.info ?? null;
  }

  modelInfo(): ModelInfo | null {
    return this.info();
  }

  cpuThreads(): number | null {
    const info = this.info();
    return info && info.gpu === false ? info.contexts * info.threads : null;
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
    this.activity.begin();
    try {
      if (signal.aborted) throw new AbortError(undefined, { cause: signal.reason });
      const loaded = await this.load();
      const chat = await loaded.pool.acquire(signal, prefixKey(request));
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
      this.activity.end();
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

  /**
   * Keeps these prompt prefixes' evaluated state ready while the model is loaded, for one owner (e.g. 'tasks': the
   * active prompt of each skill and every A/B arm, each as its template up to {{input}}; 'evolution': the GA's
   * templates). Replaces that owner's previous set. When the model is loaded the new ones are computed now (the
   * promise resolves once they are); otherwise right after the next load, in the background. A request whose
   * prompt starts with a pinned prefix then evaluates only its own tail, on whichever sequence is free.
   */
  async setWarmPrefixes(owner: string, prefixes: readonly PromptPrefix[]): Promise<void> {
    if (prefixes.length === 0) this.pins.delete(owner);
    else this.pins.set(owner, [...prefixes]);
    const loaded = this.loaded;
    if (!loaded?.prefixes) return;
    loaded.prefixes.pin(owner, prefixes);
    await this.warm(loaded);
  }

  /** The prefixes an owner has pinned (what its last setWarmPrefixes call set). */
  warmPrefixes(owner: string): PromptPrefix[] {
    return [...(this.pins.get(owner) ?? [])];
  }

  /** The prefix cache's counters (null when the model is not loaded or the cache is off). */
  prefixStats(): PrefixCacheStats | null {
    return this.loaded?.prefixes?.stats() ?? null;
  }

  /**
   * Holds the runtime for an evolution until the returned function is called: meanwhile it has the evolution's
   * sequences and contexts (on CPU one context per sequence, see defaultEvolutionContexts), and when the last hold
   * ends, the tasks' again. Each change waits for running requests (new ones wait for it) and keeps the model
   * loaded; a runtime that is not loaded only records the layout for its next load.
   */
  async beginEvolution(): Promise<() => Promise<void>> {
    this.evolutions++;
    let held = true;
    await this.relayout();
    return async () => {
      if (!held) return;
      held = false;
      this.evolutions--;
      await this.relayout();
    };
  }

  /** Prompt tokens of a request as the model sees it, chat template included (loads the model). */
  async countPromptTokens(request: Pick<GenerateRequest, 'system' | 'prompt'>): Promise<number> {
    this.activity.begin();
    try {
      return promptTokensOf(await this.load(), request);
    } finally {
      this.activity.end();
    }
  }

  /** Tokens of plain text (no chat template), e.g. an answer's length (loads the model). */
  async countTokens(text: string): Promise<number> {
    this.activity.begin();
    try {
      return (await this.load()).model.tokenize(text).length;
    } finally {
      this.activity.end();
    }
  }

  /** Aborts running requests, waits for them, frees the model. The runtime stays usable (next call reloads). */
  async dispose(): Promise<void> {
    this.activity.clearIdleTimer();
    this.lifecycle.abort(new AbortError('model runtime disposed'));
    this.loaded?.pool.rejectWaiters(new AbortError('model runtime disposed'));
    await this.activity.drained();
    await this.unload();
    this.lifecycle = new AbortController();
  }

  private async run(loaded: Loaded, chat: LlamaChat, request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    const rule = outputRule(request.stop);
    const history = historyOf(request);
    const contextSize = loaded.info.contextSize;
    const promptTokens = promptTokensOf(loaded, request);
    if (promptTokens >= contextSize) {
      throw new UserError(
        `the prompt is ${promptTokens} tokens but the model context holds ${contextSize}; shorten the input or raise the context size`,
        {
          code: 'prompt_too_long',
        },
      );
    }
    const wanted = request.maxTokens ?? this.options.maxTokens ?? rule.defaultMaxTokens;
    const maxTokens = Math.max(1, Math.min(wanted, contextSize - promptTokens));
    const temperature = request.temperature ?? this.options.temperature ?? DEFAULT_TEMPERATURE;
    const seed = temperature > 0 ? (request.seed ?? this.options.seed ?? crypto.randomInt(2 ** 31)) : undefined;
    const grammar = rule.grammar ? await this.grammar(loaded, rule.grammar) : undefined;
    const started = this.startRunning();
    const predictor = chat.sequence.tokenPredictor instanceof DraftTokenPredictor ? chat.sequence.tokenPredictor : null;
    const before = tokenUsage(chat.sequence);
    try {
      const prefix = loaded.prefixes?.match(request.system, request.prompt, request.cachePrefix);
      if (prefix) await loaded.prefixes!.prepare(chat.sequence, chat.sequence.context.totalSequences, prefix);
      const drafted = request.draft && predictor && loaded.drafts.shouldOffer();
      if (drafted) predictor.setDraft(draftTokens(loaded, request, promptTokens), maxTokens);
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
      const { generatedTokens, computedPromptTokens, draft } = tokensUsed(before, tokenUsage(chat.sequence));
      this.counters.requests++;
      this.counters.promptTokens += promptTokens;
      this.counters.computedPromptTokens += computedPromptTokens;
      this.counters.generatedTokens += generatedTokens;
      if (drafted) loaded.drafts.record(draft.accepted, draft.refuted);
      this.counters.draftTokensAccepted += draft.accepted;
      this.counters.draftTokensRefuted += draft.refuted;
      return {
        text: rule.clean(response.response),
        promptTokens,
        computedPromptTokens,
        generatedTokens,
        ...(drafted ? { draftTokens: draft } : {}),
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
      predictor?.setDraft([]);
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

  private get use(): RuntimeUse {
    return this.evolutions > 0 ? 'evolution' : 'tasks';
  }

  /** Makes the loaded contexts those of the current use; when neither layout can be made, the model is unloaded. */
  private relayout(): Promise<void> {
    const next = this.relayouting.then(async () => {
      const loaded = this.loaded;
      if (!loaded) return;
      this.activity.begin();
      try {
        // The pinned prefixes (tasks' active prompts) get snapshots in the new shapes, in the background.
        if (await relayoutRuntime(loaded, this.use)) void this.warm(loaded).catch(() => undefined);
      } catch {
        // The next request loads the model again and reports what stops it.
        if (this.loaded === loaded) await this.unload();
      } finally {
        this.activity.end();
      }
    });
    this.relayouting = next;
    return next;
  }

  private async loadNow(): Promise<Loaded> {
    await this.relayouting;
    const loaded = await loadRuntime({ ...this.options, use: this.use });
    this.knownId = loaded.info.id;
    this.counters.loads++;
    this.loaded = loaded;
    // An evolution began or ended while the model was loading.
    if (!sameSplit(loaded, loaded.layout.uses[this.use])) void this.relayout();
    if (loaded.prefixes && this.pins.size > 0) {
      for (const [owner, prefixes] of this.pins) loaded.prefixes.pin(owner, prefixes);
      // In the background: the request that loaded the model should not wait for other prompts' prefixes.
      void this.warm(loaded).catch(() => undefined);
    }
    return loaded;
  }

  /**
   * Computes the pinned prefixes that have no snapshot yet for a context shape in use, one at a time, each on a free
   * sequence of that shape (a snapshot loads only into the shape it was taken in: 3 sequences over 2 contexts need two).
   */
  private async warm(loaded: Loaded): Promise<void> {
    const cache = loaded.prefixes;
    if (!cache) return;
    this.activity.begin();
    try {
      // Each (prefix, shape) once per call: a prefix too short to snapshot, or already on the sequence, stays "cold".
      const tried = new Set<string>();
      const tag = (c: { prefix: PromptPrefix; shape: number }) => `${c.shape}\u0000${prefixKey(c.prefix)}`;
      for (;;) {
        const shapes = loaded.contexts.map((context) => context.totalSequences);
        const next = cache.cold([...new Set(shapes)]).find((c) => !tried.has(tag(c)));
        if (!next || this.loaded !== loaded || this.lifecycle.signal.aborted) return;
        tried.add(tag(next));
        const groups = new Set(shapes.flatMap((shape, group) => (shape === next.shape ? [group] : [])));
        const chat = await loaded.pool.acquire(this.lifecycle.signal, prefixKey(next.prefix), groups);
        try {
          // The layout may have changed while this waited: the sequence's own shape is the one it gets.
          await cache.prepare(chat.sequence, chat.sequence.context.totalSequences, next.prefix);
        } finally {
          loaded.pool.release(chat);
        }
      }
    } catch (error) {
      if (!isAbortError(error) && !(error instanceof DisposedError)) throw error;
    } finally {
      this.activity.end();
    }
  }

  private unload(): Promise<void> {
    if (this.unloading) return this.unloading;
    const loaded = this.loaded;
    if (!loaded) return Promise.resolve();
    this.loaded = null;
    loaded.pool.rejectWaiters(new AbortError('model unloaded'));
    this.unloading = (async () => {
      await unloadRuntime(loaded);
      this.counters.unloads++;
    })().finally(() => {
      this.unloading = null;
    });
    return this.unloading;
  }

  private startRunning(): number {
    const now = performance.now();
    if (this.running++ === 0) this.runningSince = now;
    return now;
  }

  private stopRunning(): void {
    if (--this.running === 0) this.counters.busyMs += performance.now() - this.runningSince;
  }
}
