import path from 'node:path';
import { expandHome, isFile } from '../util/fs';
import {
  findCatalogEntryByFileName,
  getCatalogEntry,
  MODEL_PATH_CONFIG_KEY,
  modelsDir,
  type CatalogEntry,
  type ModelCatalog,
} from './model-catalog';
import type { ModelSource } from './types';

export interface LocatedModel {
  /** The model file, or null when there is none where it is expected. */
  path: string | null;
  source: ModelSource | null;
  /** Catalog entry describing the file (by file name), when the catalog knows it. */
  entry: CatalogEntry | null;
  /** Where a model is expected: the configured file, else the data folder's copy of the catalog's default. */
  expectedPath: string;
  /** One line saying why there is no model; null when there is one. */
  problem: string | null;
}

export interface LocateOptions {
  /** A file the user named (--model, or prompt_evolution.smollm2.model_path); when set it must exist. */
  modelPath?: string | null;
  dataDir: string;
  catalog: ModelCatalog;
  /** Catalog entry to look for in the data folder; default: the catalog's defaultModel. */
  catalogId?: string | null;
}

/**
 * Where the model is, without loading or downloading anything (and without importing node-llama-cpp): the one
 * place a model file is looked up, for the model service, `tinyarms model info` and the app's model pane.
 */
export function locateModel(options: LocateOptions): LocatedModel {
  if (options.modelPath) {
    const file = path.resolve(expandHome(options.modelPath));
    const entry = findCatalogEntryByFileName(path.basename(file), options.catalog);
    return isFile(file)
      ? { path: file, source: 'config', entry, expectedPath: file, problem: null }
      : {
          path: null,
          source: null,
          entry,
          expectedPath: file,
          problem: `the model file ${file} does not exist (set by --model or ${MODEL_PATH_CONFIG_KEY})`,
        };
  }
  const entry = getCatalogEntry(options.catalogId, options.catalog);
  const file = path.join(modelsDir(options.dataDir), entry.fileName);
  return isFile(file)
    ? { path: file, source: 'data-folder', entry, expectedPath: file, problem: null }
    : { path: null, source: null, entry, expectedPath: file, problem: missingModelMessage(entry, file) };
}

/** What to do when a catalog model is not in the data folder: where to get it, where to put it. */
export function missingModelMessage(entry: CatalogEntry, dest: string): string {
  const where = entry.downloadUrl ? `download it from ${entry.downloadUrl} and put it at ${dest}` : `put it at ${dest}`;
  const pull = entry.hfUri ? `, run \`tinyarms model pull ${entry.id}\`` : '';
  return `model ${entry.name} is not installed: ${where}${pull}, or set ${MODEL_PATH_CONFIG_KEY} to a GGUF file`;
}
