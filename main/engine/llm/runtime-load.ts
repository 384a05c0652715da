import fs from 'node:fs';
import {
  LlamaChat,
  type ChatWrapper,
  type LlamaContext,
  type LlamaContextOptions,
  type LlamaGrammar,
  type LlamaModel,
} from 'node-llama-cpp';
import { UserError } from '../util/errors';
import { chatWrapperName, pickChatWrapper } from './chat-wrapper';
import { DraftPolicy, DraftTokenPredictor, draftsSupported, type DraftMode } from './draft-predictor';
import { sha256File } from './file-hash';
import { checkGgufFile } from './gguf-check';
import { getSharedLlama, type GpuSetting } from './llama-instance';
import { modelsDir, resolveModel, type ResolvedModel, type ResolveOptions } from './model-resolve';
import { PrefixCache } from './prefix-cache';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_CONTEXT_SIZE,
  DEFAULT_FLASH_ATTENTION,
  DEFAULT_KV_CACHE_TYPE,
  DEFAULT_PREFIX_CACHE_BYTES,
  DEFAULT_SEQUENCES,
  defaultContexts,
  defaultEvolutionContexts,
  defaultThreads,
  splitSequences,
} from './runtime-defaults';
import { SlotPool, type Slot } from './slot-pool';
import type { KvCacheType, ModelInfo } from './types';

/** What the runtime is serving: tasks (few requests, memory counts), or an evolution (many short requests at once). */
export type RuntimeUse = 'tasks' | 'evolution';

/** Which model file (resolveModel's options) and how its contexts are made. */
export interface LoadOptions extends Omit<ResolveOptions, 'signal' | 'catalog'> {
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
  /**
   * The layout while an evolution holds the runtime (LlamaRuntime.beginEvolution); `sequences` and `contexts` above are
   * the one for tasks. sequences: default as for tasks. contexts null/undefined: on CPU with one thread per context,
   * one context per sequence (at most 2 per core), otherwise as for tasks.
   */
  evolution?: { sequences?: number; contexts?: number | null };
  /** Which layout to make at load (default 'tasks'). */
  use?: RuntimeUse;
  gpu?: GpuSetting;
  /** Flash attention (default on; forced on by a quantized KV cache). */
  flashAttention?: boolean;
  /** KV cache element type (default f16; q8_0 halves the cache, measured ~20% slower on CPU). */
  kvCacheType?: KvCacheType;
  /** Tokens per llama.cpp batch (default 512). */
  batchSize?: number;
  /** Temp-folder bytes for unpinned prompt-prefix snapshots (default 256 MB; 0 turns the prefix cache off). */
  prefixCacheBytes?: number;
  /** Requests' drafts: 'auto' (default) offers them while they pay (DraftPolicy), 'always' / 'never' as said. */
  drafts?: DraftMode;
}

export interface Loaded {
  model: LlamaModel;
  contexts: LlamaContext[];
  chatWrapper: ChatWrapper;
  pool: SlotPool<LlamaChat>;
  /** Whether requests' drafts are offered (see DraftPolicy). */
  drafts: DraftPolicy;
  grammars: Map<string, Promise<LlamaGrammar>>;
  /** null when prefixCacheBytes is 0. */
  prefixes: PrefixCache | null;
  info: ModelInfo;
  layout: ContextLayout;
}

const KV_TYPES: Record<KvCacheType, 'F16' | 'Q8_0'> = { f16: 'F16', q8_0: 'Q8_0' };

/** The context options in effect: a quantized V cache needs flash attention (llama.cpp refuses the context otherwise). */
export function contextSettings(options: Pick<LoadOptions, 'flashAttention' | 'kvCacheType' | 'batchSize'>): Pick<
  LlamaContextOptions,
  'flashAttention' | 'batchSize' | 'experimentalKvCacheKeyType' | 'experimentalKvCacheValueType'
> & {
  kvCacheType: KvCacheType;
} {
  const kvCacheType = options.kvCacheType ?? DEFAULT_KV_CACHE_TYPE;
  const flashAttention = kvCacheType !== 'f16' ? true : (options.flashAttention ?? DEFAULT_FLASH_ATTENTION);
  return {
    kvCacheType,
    flashAttention,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    ...(kvCacheType === 'f16'
      ? {}
      : { experimentalKvCacheKeyType: KV_TYPES[kvCacheType], experimentalKvCacheValueType: KV_TYPES[kvCacheType] }),
  };
}

/** Attention head size (key length): a q8_0 KV cache needs it to be a multiple of its 32-value blocks. */
export function headDim(model: LlamaModel): number {
  const metadata = model.fileInfo.metadata as unknown as Record<
    string,
    { embedding_length?: number; attention?: { head_count?: number; key_length?: number } }
  >;
  const arch = metadata[String(model.fileInfo.metadata.general.architecture)] ?? {};
  return arch.attention?.key_length ?? Math.floor((arch.embedding_length ?? 0) / Math.max(1, arch.attention?.head_count ?? 1));
}

/** The KV type this model can take: a quantized cache falls back to f16 when its blocks do not divide a head. */
export const kvTypeFor = (model: LlamaModel, wanted: KvCacheType | undefined): KvCacheType =>
  (wanted ?? DEFAULT_KV_CACHE_TYPE) !== 'f16' && headDim(model) % 32 !== 0 ? 'f16' : (wanted ?? DEFAULT_KV_CACHE_TYPE);

/** Resolves, checks and loads the model, then its contexts and one LlamaChat per sequence. */
export async function loadRuntime(options: LoadOptions): Promise<Loaded> {
  const started = performance.now();
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
    throw new UserError(`cannot load model file ${resolved.path} (${(error as Error).message})`, {
      code: 'model_load_failed',
      cause: error,
    });
  }
  const threads = options.threads ?? defaultThreads();
  const gpu = llama.gpu !== false;
  const sequences = options.sequences ?? DEFAULT_SEQUENCES;
  const contextSize = options.contextSize ?? DEFAULT_CONTEXT_SIZE;
  const { kvCacheType, ...settings } = contextSettings({ ...options, kvCacheType: kvTypeFor(model, options.kvCacheType) });
  const drafts = draftsSupported() && options.drafts !== 'never';
  const evolving = options.evolution?.sequences ?? sequences;
  const uses: Record<RuntimeUse, Split> = {
    tasks: { sequences, contexts: options.contexts ?? defaultContexts(gpu, threads) },
    evolution: {
      sequences: evolving,
      contexts: options.evolution?.contexts ?? defaultEvolutionContexts(gpu, threads, evolving) ?? defaultContexts(gpu, threads),
    },
  };
  const chatWrapper = pickChatWrapper(model);
  const layout: ContextLayout = { contextSize, threads, settings, drafts, chatWrapper, uses };
  const use = uses[options.use ?? 'tasks'];
  let made: { contexts: LlamaContext[]; slots: Slot<LlamaChat>[] };
  try {
    made = await makeContexts(model, layout, use);
  } catch (error) {
    await model.dispose();
    throw error;
  }
  const { contexts, slots } = made;
  const prefixBytes = options.prefixCacheBytes ?? DEFAULT_PREFIX_CACHE_BYTES;
  const info: ModelInfo = {
    ...describeModel(resolved, { model, context: contexts[0], contexts: contexts.length, sha256, sequences: use.sequences, chatWrapper }),
    architecture: String(fileInfo.metadata.general.architecture),
    evolution: { sequences: uses.evolution.sequences, contexts: contextsOf(uses.evolution) },
    loadMs: performance.now() - started,
    flashAttention: settings.flashAttention === true,
    kvCacheType,
    batchSize: contexts[0].batchSize,
  };
  return {
    model,
    contexts,
    chatWrapper,
    pool: new SlotPool(slots),
    drafts: new DraftPolicy(options.drafts ?? 'auto', gpu),
    grammars: new Map(),
    prefixes: prefixBytes > 0 ? new PrefixCache(model, chatWrapper, prefixBytes) : null,
    info,
    layout,
  };
}

/** Sequences in all, and the contexts they are split over. */
export interface Split {
  sequences: number;
  contexts: number;
}

/** How the contexts are made, kept so they can be made again for another use (relayoutRuntime). */
export interface ContextLayout {
  contextSize: number;
  threads: number | undefined;
  settings: Omit<ReturnType<typeof contextSettings>, 'kvCacheType'>;
  drafts: boolean;
  chatWrapper: ChatWrapper;
  uses: Record<RuntimeUse, Split>;
}

/** The sequences split over their contexts, one LlamaChat per sequence; a failure disposes what was made. */
async function makeContexts(
  model: LlamaModel,
  layout: ContextLayout,
  use: Split,
): Promise<{ contexts: LlamaContext[]; slots: Slot<LlamaChat>[] }> {
  const { contextSize, threads, settings } = layout;
  const { sequences } = use;
  const split = splitSequences(sequences, use.contexts);
  const contexts: LlamaContext[] = [];
  try {
    for (const n of split) contexts.push(await model.createContext({ sequences: n, contextSize, threads, ...settings }));
  } catch (error) {
    for (const context of contexts) await context.dispose();
    throw new UserError(
      `cannot create ${split.length} context(s) of ${contextSize} tokens for ${sequences} sequences (${(error as Error).message})`,
      {
        code: 'model_load_failed',
        cause: error,
      },
    );
  }
  const { chatWrapper } = layout;
  const slots = contexts.flatMap((context, group) =>
    Array.from({ length: split[group] }, () => ({
      value: new LlamaChat({
        contextSequence: context.getSequence(layout.drafts ? { tokenPredictor: new DraftTokenPredictor() } : {}),
        chatWrapper,
      }),
      group,
    })),
  );
  return { contexts, slots };
}

/**
 * Makes the contexts of another use while the model stays loaded: waits for running requests (new ones wait), disposes
 * the contexts, makes the new ones and hands their sequences out. The old contexts go first, so memory never holds
 * both. When the new ones cannot be made the old layout is made again; when that fails too the error is thrown and the
 * caller unloads. Prefix snapshots stay valid (they are kept per context shape). False when the layout is the same.
 */
export async function relayoutRuntime(loaded: Loaded, use: RuntimeUse): Promise<boolean> {
  const wanted = loaded.layout.uses[use];
  if (sameSplit(loaded, wanted)) return false;
  await loaded.pool.drain();
  const previous: Split = { sequences: loaded.info.sequences, contexts: loaded.contexts.length };
  for (const context of loaded.contexts) await context.dispose();
  loaded.contexts = [];
  let made: { contexts: LlamaContext[]; slots: Slot<LlamaChat>[] };
  let now = wanted;
  try {
    made = await makeContexts(loaded.model, loaded.layout, wanted);
  } catch {
    made = await makeContexts(loaded.model, loaded.layout, previous);
    now = previous;
  }
  loaded.contexts = made.contexts;
  loaded.info = { ...loaded.info, sequences: now.sequences, contexts: made.contexts.length };
  loaded.pool.replace(made.slots);
  return true;
}

/** Whether the loaded contexts already are this split. */
export const sameSplit = (loaded: Loaded, split: Split): boolean =>
  loaded.info.sequences === split.sequences && loaded.contexts.length === contextsOf(split);

/** Contexts a split makes (fewer than asked when there are fewer sequences). */
const contextsOf = (split: Split): number => splitSequences(split.sequences, split.contexts).length;

export async function unloadRuntime(loaded: Loaded): Promise<void> {
  for (const context of loaded.contexts) await context.dispose();
  await loaded.model.dispose();
  loaded.prefixes?.clear();
}

function describeModel(
  resolved: ResolvedModel,
  loaded: { model: LlamaModel; context: LlamaContext; contexts: number; sha256: string; sequences: number; chatWrapper: ChatWrapper },
): Omit<ModelInfo, 'architecture' | 'loadMs'> {
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
    trainContextSize: model.trainContextSize,
    contextSize: context.contextSize,
    sequences: loaded.sequences,
    contexts: loaded.contexts,
    threads: context.idealThreads,
    gpu: model.llama.gpu,
    gpuLayers: model.gpuLayers,
  };
}
