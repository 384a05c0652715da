import fs from 'node:fs';
import path from 'node:path';
import { APP_ROOT } from '../data-paths';
import { UserError } from '../util/errors';

export interface CatalogEntry {
  id: string;
  name: string;
  /** node-llama-cpp URI naming the quant, e.g. 'hf:bartowski/SmolLM2-360M-Instruct-GGUF:Q4_K_M'. */
  hfUri: string | null;
  downloadUrl: string | null;
  homepage: string | null;
  fileName: string;
  sizeBytes: number | null;
  sha256: string | null;
  license: string;
  chatTemplate: string | null;
  testOnly: boolean;
  notes: string;
}

export interface ModelCatalog {
  version: 1;
  defaultModel: string;
  models: CatalogEntry[];
}

export const CATALOG_PATH = path.join(APP_ROOT, 'models', 'catalog.json');

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const HF_URI = /^hf:[^/\s:]+\/[^/\s:]+(?:\/[^\s:]+)?(?::[A-Za-z0-9_.-]+)?$/;
const SHA256 = /^[0-9a-f]{64}$/;

type Raw = Record<string, unknown>;

const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

function nullableString(entry: Raw, key: string, where: string, problems: string[]): string | null {
  const value = entry[key];
  if (value === null) return null;
  if (typeof value === 'string' && value.trim() !== '') return value;
  problems.push(`${where}.${key} must be a non-empty string or null`);
  return null;
}

function requiredString(entry: Raw, key: string, where: string, problems: string[]): string {
  const value = entry[key];
  if (typeof value === 'string' && value.trim() !== '') return value;
  problems.push(`${where}.${key} must be a non-empty string`);
  return '';
}

function validateEntry(raw: unknown, index: number, problems: string[]): CatalogEntry | null {
  const where = `models[${index}]`;
  if (!isObject(raw)) {
    problems.push(`${where} must be an object`);
    return null;
  }
  const id = requiredString(raw, 'id', where, problems);
  if (id && !ID.test(id)) problems.push(`${where}.id "${id}" may only use letters, digits, '.', '_' and '-'`);
  const fileName = requiredString(raw, 'fileName', where, problems);
  if (fileName && (!fileName.endsWith('.gguf') || /[/\\]/.test(fileName))) {
    problems.push(`${where}.fileName "${fileName}" must be a bare *.gguf file name`);
  }
  const hfUri = nullableString(raw, 'hfUri', where, problems);
  if (hfUri && !HF_URI.test(hfUri)) problems.push(`${where}.hfUri "${hfUri}" must look like hf:user/repo:QUANT`);
  const downloadUrl = nullableString(raw, 'downloadUrl', where, problems);
  if (downloadUrl && !/^https:\/\//.test(downloadUrl)) problems.push(`${where}.downloadUrl must be an https URL`);
  const sha256 = raw.sha256 === null ? null : typeof raw.sha256 === 'string' ? raw.sha256 : undefined;
  if (sha256 === undefined || (sha256 !== null && !SHA256.test(sha256))) {
    problems.push(`${where}.sha256 must be 64 lowercase hex digits or null`);
  }
  const sizeBytes = raw.sizeBytes;
  if (sizeBytes !== null && !(Number.isSafeInteger(sizeBytes) && (sizeBytes as number) > 0)) {
    problems.push(`${where}.sizeBytes must be a positive integer or null`);
  }
  const testOnly = raw.testOnly;
  if (typeof testOnly !== 'boolean') problems.push(`${where}.testOnly must be true or false`);
  if (testOnly === false && (!hfUri || !downloadUrl)) {
    problems.push(`${where} (${id}) needs hfUri and downloadUrl: only test-only entries may lack them`);
  }
  const notes = raw.notes === undefined ? '' : raw.notes;
  if (typeof notes !== 'string') problems.push(`${where}.notes must be a string`);
  return {
    id,
    name: requiredString(raw, 'name', where, problems),
    hfUri,
    downloadUrl,
    homepage: raw.homepage === undefined ? null : nullableString(raw, 'homepage', where, problems),
    fileName,
    sizeBytes: (sizeBytes as number | null) ?? null,
    sha256: sha256 ?? null,
    license: requiredString(raw, 'license', where, problems),
    chatTemplate: raw.chatTemplate === undefined ? null : nullableString(raw, 'chatTemplate', where, problems),
    testOnly: testOnly === true,
    notes: typeof notes === 'string' ? notes : '',
  };
}

/** Checks a parsed catalog; throws one UserError listing every problem. */
export function validateCatalog(raw: unknown, source = 'models/catalog.json'): ModelCatalog {
  const problems: string[] = [];
  if (!isObject(raw)) throw new UserError(`${source} is invalid: it must be a JSON object`);
  if (raw.version !== 1) problems.push(`version must be 1`);
  const models: CatalogEntry[] = [];
  if (!Array.isArray(raw.models) || raw.models.length === 0) {
    problems.push('models must be a non-empty array');
  } else {
    raw.models.forEach((entry, index) => {
      const valid = validateEntry(entry, index, problems);
      if (valid) models.push(valid);
    });
  }
  const seen = new Set<string>();
  for (const entry of models) {
    if (seen.has(entry.id)) problems.push(`duplicate id "${entry.id}"`);
    seen.add(entry.id);
  }
  const defaultModel = typeof raw.defaultModel === 'string' ? raw.defaultModel : '';
  const chosen = models.find((entry) => entry.id === defaultModel);
  if (!chosen) problems.push(`defaultModel "${defaultModel}" is not a model id in the catalog`);
  else if (chosen.testOnly) problems.push(`defaultModel "${defaultModel}" is test-only`);
  if (problems.length > 0) throw new UserError(`${source} is invalid: ${problems.join('; ')}`);
  return { version: 1, defaultModel, models };
}

let cached: ModelCatalog | null = null;

/** Loads the catalog shipped in the repo (memoized), or another file when a path is given. */
export function loadCatalog(file: string = CATALOG_PATH): ModelCatalog {
  if (file === CATALOG_PATH && cached) return cached;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`cannot read the model catalog ${file} (${(error as Error).message})`, { cause: error });
  }
  const catalog = validateCatalog(parsed, file);
  if (file === CATALOG_PATH) cached = catalog;
  return catalog;
}

/** The entry with this id, or the catalog's default; a UserError names the known ids. */
export function getCatalogEntry(id?: string | null, catalog: ModelCatalog = loadCatalog()): CatalogEntry {
  const wanted = id ?? catalog.defaultModel;
  const entry = catalog.models.find((model) => model.id === wanted);
  if (!entry) {
    const known = catalog.models.map((model) => model.id).join(', ');
    throw new UserError(`unknown model "${wanted}" (known: ${known})`, { exitCode: 2, code: 'unknown_model' });
  }
  return entry;
}

export const findCatalogEntryByFileName = (
  fileName: string,
  catalog: ModelCatalog = loadCatalog(),
): CatalogEntry | null => catalog.models.find((model) => model.fileName === fileName) ?? null;

/** The config key naming an explicit model file. */
export const MODEL_PATH_CONFIG_KEY = 'prompt_evolution.smollm2.model_path';

export const modelsDir = (dataDir: string): string => path.join(dataDir, 'models');

/** Where a catalog model (default: the catalog's default) lives in the data folder, whether or not it is there. */
export const dataFolderModelPath = (dataDir: string, catalog: ModelCatalog = loadCatalog(), id: string | null = null): string =>
  path.join(modelsDir(dataDir), getCatalogEntry(id, catalog).fileName);
