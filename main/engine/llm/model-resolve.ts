import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/errors';
import { expandHome, isFile } from '../util/fs';
import { AbortError } from './abort';
import { sha256File } from './file-hash';
import { missingModelMessage } from './model-locate';
import {
  findCatalogEntryByFileName,
  getCatalogEntry,
  loadCatalog,
  MODEL_PATH_CONFIG_KEY,
  modelsDir,
  type CatalogEntry,
  type ModelCatalog,
} from './model-catalog';
import type { ModelSource } from './types';

export { MODEL_PATH_CONFIG_KEY, modelsDir };

export interface DownloadProgress {
  downloadedBytes: number;
  totalBytes: number;
}

export interface ResolveOptions {
  /** The configured file (config key prompt_evolution.smollm2.model_path); when set it must exist. */
  modelPath?: string | null;
  dataDir: string;
  /** Catalog entry to look for in the data folder / download; default: the catalog's defaultModel. */
  catalogId?: string | null;
  /** Only an explicit caller (`tinyarms model pull`, first-run setup) should allow downloads. */
  allowDownload?: boolean;
  onDownloadProgress?: (progress: DownloadProgress) => void;
  /** Hugging Face mirror (node-llama-cpp also honours HF_ENDPOINT). */
  huggingFaceEndpoint?: string;
  signal?: AbortSignal;
  catalog?: ModelCatalog;
}

export interface ResolvedModel {
  path: string;
  source: ModelSource;
  /** Catalog entry describing the file, when its file name is in the catalog. */
  entry: CatalogEntry | null;
}

const missingModelError = (entry: CatalogEntry, dest: string): UserError =>
  new UserError(missingModelMessage(entry, dest), { code: 'model_missing' });

export interface ModelIdentity {
  /** The catalog entry the file is: by its file name, or (a renamed copy) by its pinned size and SHA-256. */
  entry: CatalogEntry | null;
  /** true / false when the entry pins a size or hash, null when nothing is pinned or the file is not in the catalog. */
  verified: boolean | null;
  sizeBytes: number;
  /** Computed only when needed to decide (and then cached by path, size and mtime). */
  sha256: string | null;
}

/** Which catalog model a file is, and whether it is the exact file the catalog pins. */
export async function identifyModel(file: string, options: { catalog?: ModelCatalog; cacheDir?: string } = {}): Promise<ModelIdentity> {
  const catalog = options.catalog ?? loadCatalog();
  const sizeBytes = fs.statSync(file).size;
  const hash = async () => {
    if (options.cacheDir) fs.mkdirSync(options.cacheDir, { recursive: true });
    return sha256File(file, options.cacheDir);
  };
  const byName = findCatalogEntryByFileName(path.basename(file), catalog);
  if (byName) {
    if (byName.sizeBytes === null && byName.sha256 === null) return { entry: byName, verified: null, sizeBytes, sha256: null };
    if (byName.sizeBytes !== null && byName.sizeBytes !== sizeBytes) return { entry: byName, verified: false, sizeBytes, sha256: null };
    const sha256 = byName.sha256 === null ? null : await hash();
    return { entry: byName, verified: sha256 === byName.sha256 || byName.sha256 === null, sizeBytes, sha256 };
  }
  const sameSize = catalog.models.filter((m) => m.sizeBytes === sizeBytes && m.sha256 !== null);
  if (sameSize.length === 0) return { entry: null, verified: null, sizeBytes, sha256: null };
  const sha256 = await hash();
  const entry = sameSize.find((m) => m.sha256 === sha256) ?? null;
  return { entry, verified: entry ? true : null, sizeBytes, sha256 };
}

/** "x.gguf is not SmolLM2 …": a file under a catalog model's name that is not the file the catalog pins. */
export function unexpectedModelError(file: string, id: ModelIdentity, hint: string): UserError {
  const entry = id.entry!;
  const got = id.sha256 && entry.sizeBytes === id.sizeBytes ? `SHA-256 ${id.sha256}` : `${id.sizeBytes} bytes`;
  const want = id.sha256 && entry.sizeBytes === id.sizeBytes ? `SHA-256 ${entry.sha256}` : `${entry.sizeBytes} bytes`;
  return new UserError(`model file ${file} is not ${entry.name}: it has ${got}, the catalog pins ${want}; ${hint}`, {
    code: 'unexpected_model',
  });
}

/** Refuses a file named like a catalog model that is not the pinned file (a partial download, another quant). */
export async function checkExpected(
  file: string,
  source: ModelSource,
  options: Pick<ResolveOptions, 'dataDir'>,
  catalog: ModelCatalog,
): Promise<void> {
  const id = await identifyModel(file, { catalog, cacheDir: modelsDir(options.dataDir) });
  if (id.verified !== false) return;
  const hint =
    source === 'config'
      ? `rename it if it is another model, or set ${MODEL_PATH_CONFIG_KEY} to the real file (\`tinyarms model use FILE\`)`
      : `delete it and run \`tinyarms model pull ${id.entry!.id}\``;
  throw unexpectedModelError(file, id, hint);
}

/** Finds the model file: configured path, then the data folder, then (only if allowed) a download. */
export async function resolveModel(options: ResolveOptions): Promise<ResolvedModel> {
  const catalog = options.catalog ?? loadCatalog();
  if (options.modelPath) {
    const file = path.resolve(expandHome(options.modelPath));
    if (!isFile(file)) {
      throw new UserError(`the model file ${file} does not exist (set by --model, \`tinyarms model use\` or ${MODEL_PATH_CONFIG_KEY})`, {
        exitCode: 2,
        code: 'model_missing',
      });
    }
    await checkExpected(file, 'config', options, catalog);
    return { path: file, source: 'config', entry: findCatalogEntryByFileName(path.basename(file), catalog) };
  }
  const entry = getCatalogEntry(options.catalogId, catalog);
  const dest = path.join(modelsDir(options.dataDir), entry.fileName);
  if (isFile(dest)) {
    await checkExpected(dest, 'data-folder', options, catalog);
    return { path: dest, source: 'data-folder', entry };
  }
  if (!options.allowDownload) throw missingModelError(entry, dest);
  const pulled = await pullModel({ ...options, catalog, catalogId: entry.id });
  return { path: pulled.path, source: pulled.downloaded ? 'downloaded' : 'data-folder', entry };
}

export interface PullResult {
  path: string;
  entry: CatalogEntry;
  /** false when a valid file was already in the data folder. */
  downloaded: boolean;
  sizeBytes: number;
  sha256: string;
}

async function verifyAgainstCatalog(file: string, entry: CatalogEntry, cacheDir: string, hint: string): Promise<string> {
  const id = await identifyModel(file, { catalog: { version: 1, defaultModel: entry.id, models: [entry] }, cacheDir });
  if (id.verified === false) throw unexpectedModelError(file, id, hint);
  // node-llama-cpp is slow to import: only the commands that check or load a model pay for it.
  const { checkGgufFile } = await import('./gguf-check');
  await checkGgufFile(file);
  return id.sha256 ?? (await sha256File(file, cacheDir));
}

/**
 * Downloads a catalog model into `<dataDir>/models/<fileName>` with node-llama-cpp's downloader
 * (explicit: `tinyarms model pull`). The file only appears under its final name once complete and checked.
 */
export async function pullModel(options: Omit<ResolveOptions, 'modelPath' | 'allowDownload'>): Promise<PullResult> {
  const catalog = options.catalog ?? loadCatalog();
  const entry = getCatalogEntry(options.catalogId, catalog);
  const dir = modelsDir(options.dataDir);
  const dest = path.join(dir, entry.fileName);
  if (isFile(dest)) {
    const sha256 = await verifyAgainstCatalog(dest, entry, dir, `delete it and run \`tinyarms model pull ${entry.id}\` again`);
    return { path: dest, entry, downloaded: false, sizeBytes: fs.statSync(dest).size, sha256 };
  }
  if (entry.testOnly || !entry.hfUri) {
    throw new UserError(`model ${entry.id} is test-only and has no download; put ${entry.fileName} at ${dest}`, {
      code: 'model_missing',
    });
  }
  const staging = path.join(dir, `.download-${process.pid}-${Date.now()}`);
  fs.mkdirSync(staging, { recursive: true });
  try {
    let file: string;
    try {
      const { createModelDownloader } = await import('node-llama-cpp');
      const downloader = await createModelDownloader({
        modelUri: entry.hfUri,
        dirPath: staging,
        fileName: entry.fileName,
        showCliProgress: false,
        deleteTempFileOnCancel: true,
        endpoints: options.huggingFaceEndpoint ? { huggingFace: options.huggingFaceEndpoint } : undefined,
        onProgress: ({ downloadedSize, totalSize }) =>
          options.onDownloadProgress?.({ downloadedBytes: downloadedSize, totalBytes: totalSize }),
      });
      file = await downloader.download({ signal: options.signal });
    } catch (error) {
      if (options.signal?.aborted) throw new AbortError('model download aborted', { cause: options.signal.reason });
      const reason = (error as Error)?.message ?? String(error);
      const where = entry.downloadUrl ? `download ${entry.downloadUrl} yourself and put it at ${dest}` : `put it at ${dest}`;
      throw new UserError(`cannot download ${entry.name} from ${entry.hfUri} (${reason}); if offline, ${where}`, {
        code: 'download_failed',
        cause: error,
      });
    }
    fs.renameSync(file, dest);
    try {
      const sha256 = await verifyAgainstCatalog(
        dest,
        entry,
        dir,
        `the download was removed; try again, or download ${entry.downloadUrl ?? 'it'} yourself and check it`,
      );
      return { path: dest, entry, downloaded: true, sizeBytes: fs.statSync(dest).size, sha256 };
    } catch (error) {
      fs.rmSync(dest, { force: true });
      throw error;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
