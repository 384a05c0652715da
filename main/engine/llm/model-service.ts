import type { TinyArmsConfig } from '../config/schema';
import { UserError } from '../util/errors';
import { loadCatalog, type ModelCatalog } from './model-catalog';
import { locateModel, type LocatedModel } from './model-locate';
import type { DownloadProgress, PullResult } from './model-resolve';
import type { LlamaRuntime, RuntimeOptions } from './runtime';
import { DEFAULT_IDLE_DISPOSE_MS } from './runtime-defaults';
import type { ModelInfo, ModelSource, TextModel } from './types';

/**
 * Sequences of the one runtime for tasks: an A/B round's three arms at once. Each sequence's KV cache is held whole
 * (SmolLM2-360M: 40 MB per 1,024 tokens in f16), so a fourth one only for tasks would cost the memory the app allows
 * itself (tinyarms serve peaked at 665-670 MB with 4, 629-639 MB with 3; bench:serve, 30 Nov 2026).
 */
export const TASK_SEQUENCES = 3;
/** Sequences while an evolution holds the runtime: its parallel requests (EVOLUTION_SEQUENCES in evolution/settings.ts). */
export const EVOLUTION_MODEL_SEQUENCES = 4;

export interface ModelServiceOptions {
  dataDir: string;
  /** The configuration in effect (read on every lookup, so a new model_path takes effect). */
  config: () => TinyArmsConfig;
  /** models/catalog.json; the packaged app passes it explicitly. */
  catalogFile?: string;
  /** A file named for this process only (`--model`); wins over the configuration. */
  modelPath?: string | null;
  /** A model to use instead of loading a GGUF (the bench, tests of the GA's mechanics): an instance or a factory. */
  model?: TextModel | (() => TextModel | Promise<TextModel>) | null;
  /** Runtime overrides (threads, contexts, sizes); tests pin one thread. */
  runtime?: Partial<RuntimeOptions>;
  /** The downloader; node-llama-cpp's by default, imported only when a download starts. */
  pull?: (request: {
    dataDir: string;
    catalog: ModelCatalog;
    onDownloadProgress: (progress: DownloadProgress) => void;
    signal?: AbortSignal;
  }) => Promise<Pick<PullResult, 'path' | 'downloaded'>>;
}

export interface ModelStatus {
  configuredPath: string | null;
  resolvedPath: string | null;
  source: ModelSource | null;
  expectedPath: string;
  loaded: boolean;
  /** Bytes of a download in progress; null when none runs. */
  download: { downloadedBytes: number; totalBytes: number } | null;
  /**
   * What went wrong: a load or download that failed, or a file the person named that is not there. Null when
   * fine, and also on a first run with no model yet (see `missing`): that is not an error.
   */
  error: string | null;
  /** Why there is no model file, naming where to put one; null when there is one. */
  missing: string | null;
}

/**
 * The process's one model: found in one place, loaded once on first use and shared by tasks and evolutions
 * (one copy of the weights; the runtime's sequences are the KV budget both draw from), unloaded when idle,
 * replaced when the configured file changes, and downloaded on request.
 */
export class ModelService {
  private runtime: { path: string; model: Promise<TextModel>; llama: LlamaRuntime | null } | null = null;
  private catalog: ModelCatalog | null = null;
  private downloaded: string | null = null;
  private download: ModelStatus['download'] = null;
  private pulling: Promise<void> | null = null;
  private lastError: string | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: ModelServiceOptions) {}

  /** Where the model is (or is expected), without loading anything. */
  locate(): LocatedModel {
    if (this.options.model)
      return { path: '(injected model)', source: 'config', entry: null, expectedPath: '(injected model)', problem: null };
    return locateModel({
      modelPath: this.options.modelPath ?? this.options.config().prompt_evolution.smollm2.model_path,
      dataDir: this.options.dataDir,
      catalog: this.loadedCatalog(),
    });
  }

  available(): boolean {
    return this.locate().path !== null;
  }

  status(): ModelStatus {
    const located = this.locate();
    const source = located.path !== null && located.path === this.downloaded ? 'downloaded' : located.source;
    return {
      configuredPath: this.options.config().prompt_evolution.smollm2.model_path,
      resolvedPath: located.path,
      source,
      expectedPath: located.expectedPath,
      loaded: this.isLoaded(),
      download: this.download,
      error: this.lastError ?? (located.path === null && this.namedFile() ? located.problem : null),
      missing: located.problem,
    };
  }

  /** A file named by --model or the configuration (rather than the catalog's default in the data folder). */
  private namedFile(): boolean {
    return Boolean(this.options.modelPath ?? this.options.config().prompt_evolution.smollm2.model_path);
  }

  isLoaded(): boolean {
    if (!this.runtime) return false;
    return this.runtime.llama ? this.runtime.llama.isLoaded : true;
  }

  /** The one-line error for "no model here", naming where to put one. */
  missingError(): UserError {
    // A file the person named that is not there is bad input (2); no model installed yet is a failed step (1).
    return new UserError(this.locate().problem ?? 'no model available', { code: 'no_model', exitCode: this.namedFile() ? 2 : 1 });
  }

  /** The shared model, loaded on first use; a 'no_model' UserError when there is no file. */
  async get(): Promise<TextModel> {
    const located = this.locate();
    if (!located.path) throw this.missingError();
    if (this.runtime && this.runtime.path !== located.path) await this.unload();
    if (!this.runtime) {
      const entry: { path: string; model: Promise<TextModel>; llama: LlamaRuntime | null } = {
        path: located.path,
        model: null!,
        llama: null,
      };
      entry.model = this.open(located.path, entry);
      this.runtime = entry;
      entry.model.then(
        () => this.setError(null),
        (error: unknown) => {
          if (this.runtime === entry) this.runtime = null;
          this.setError(`could not load the model: ${(error as Error).message}`);
        },
      );
    }
    return this.runtime.model;
  }

  /** The model if it is loaded now (never loads one), else null. */
  loaded(): Promise<TextModel> | null {
    return this.isLoaded() ? this.runtime!.model : null;
  }

  /** Loads the model (if it is not loaded) and says what it is and how it runs; null for an injected model. */
  async info(): Promise<ModelInfo | null> {
    await this.get();
    return this.runtime?.llama?.modelInfo() ?? null;
  }

  /** Downloads the catalog's default model into the data folder; one download at a time. */
  pull(signal?: AbortSignal): Promise<void> {
    this.pulling ??= this.runPull(signal).finally(() => {
      this.pulling = null;
    });
    return this.pulling;
  }

  /** Called when the status may have changed (a download's progress, a load failing); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Frees the weights; the next get() loads them again. */
  async unload(): Promise<void> {
    const current = this.runtime;
    this.runtime = null;
    if (current?.llama) await current.llama.dispose();
  }

  async dispose(): Promise<void> {
    this.listeners.clear();
    await this.unload();
  }

  private async open(file: string, entry: { llama: LlamaRuntime | null }): Promise<TextModel> {
    const injected = this.options.model;
    if (injected) return typeof injected === 'function' ? injected() : injected;
    // Imported here: node-llama-cpp takes a noticeable time to import, and most commands never need it.
    const [{ LlamaRuntime }, { runtimeOptionsFromConfig }, { checkExpected }] = await Promise.all([
      import('./runtime'),
      import('./runtime-config'),
      import('./model-resolve'),
    ]);
    // A file named like a catalog model must be the file the catalog pins (not a partial download or another quant).
    await checkExpected(file, this.locate().source ?? 'data-folder', { dataDir: this.options.dataDir }, this.loadedCatalog());
    const llama = new LlamaRuntime(
      runtimeOptionsFromConfig(this.options.config(), this.options.dataDir, {
        sequences: TASK_SEQUENCES,
        evolution: { sequences: EVOLUTION_MODEL_SEQUENCES },
        idleDisposeMs: DEFAULT_IDLE_DISPOSE_MS,
        ...this.options.runtime,
        modelPath: file,
      }),
    );
    entry.llama = llama;
    await llama.ensureLoaded();
    return llama;
  }

  private async runPull(signal?: AbortSignal): Promise<void> {
    const puller = this.options.pull ?? (async (request) => (await import('./model-resolve')).pullModel(request));
    let lastPush = 0;
    this.lastError = null;
    this.download = { downloadedBytes: 0, totalBytes: 0 };
    this.notify();
    try {
      const result = await puller({
        dataDir: this.options.dataDir,
        catalog: this.loadedCatalog(),
        signal,
        onDownloadProgress: (progress) => {
          this.download = { downloadedBytes: progress.downloadedBytes, totalBytes: progress.totalBytes };
          const now = Date.now();
          if (now - lastPush >= DOWNLOAD_PUSH_MS) {
            lastPush = now;
            this.notify();
          }
        },
      });
      if (result.downloaded) this.downloaded = result.path;
    } catch (error) {
      this.lastError = (error as Error).message.split('\n')[0];
      throw error;
    } finally {
      this.download = null;
      this.notify();
    }
  }

  private setError(error: string | null): void {
    if (error === this.lastError) return;
    this.lastError = error;
    this.notify();
  }

  private loadedCatalog(): ModelCatalog {
    this.catalog ??= this.options.catalogFile ? loadCatalog(this.options.catalogFile) : loadCatalog();
    return this.catalog;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** How often a download's progress reaches the listeners. */
const DOWNLOAD_PUSH_MS = 250;
