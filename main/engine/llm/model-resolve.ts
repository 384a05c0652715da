import fs from 'node:fs';
import path from 'node:path';
import { createModelDownloader } from 'node-llama-cpp';
import { UserError } from '../util/errors';
import { expandHome, isFile } from '../util/fs';
import { AbortError } from './abort';
import { sha256File } from './file-hash';
import { checkGgufFile } from './gguf-check';
import { missingModelMessage } from './model-locate';
import { findCatalogEntryByFileName, getCatalogEntry, loadCatalog, MODEL_PATH_CONFIG_KEY, modelsDir, type CatalogEntry, type ModelCatalog } from './model-catalog';
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

/** Finds the model file: configured path, then the data folder, then (only if allowed) a download. */
export async function resolveModel(options: ResolveOptions): Promise<ResolvedModel> {
  const catalog = options.catalog ?? loadCatalog();
  if (options.modelPath) {
    const file = path.resolve(expandHome(options.modelPath));
    if (!isFile(file)) {
      throw new UserError(`the model file ${file} does not exist (set by --model or ${MODEL_PATH_CONFIG_KEY})`, { code: 'model_missing' });
    }
    return { path: file, source: 'config', entry: findCatalogEntryByFileName(path.basename(file), catalog) };
  }
  const entry = getCatalogEntry(options.catalogId, catalog);
  const dest = path.join(modelsDir(options.dataDir), entry.fileName);
  if (isFile(dest)) return { path: dest, source: 'data-folder', entry };
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

async function verifyAgainstCatalog(file: string, entry: CatalogEntry, cacheDir: string): Promise<string> {
  const size = fs.statSync(file).size;
  if (entry.sizeBytes !== null && size !== entry.sizeBytes) {
    throw new UserError(`model file ${file} has ${size} bytes, the catalog expects ${entry.sizeBytes}`, { code: 'invalid_model' });
  }
  await checkGgufFile(file);
  const hash = await sha256File(file, cacheDir);
  if (entry.sha256 !== null && hash !== entry.sha256) {
    throw new UserError(`model file ${file} has SHA-256 ${hash}, the catalog expects ${entry.sha256}`, { code: 'invalid_model' });
  }
  return hash;
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
    const sha256 = await verifyAgainstCatalog(dest, entry, dir);
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
      const sha256 = await verifyAgainstCatalog(dest, entry, dir);
      return { path: dest, entry, downloaded: true, sizeBytes: fs.statSync(dest).size, sha256 };
    } catch (error) {
      fs.rmSync(dest, { force: true });
      throw error;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
