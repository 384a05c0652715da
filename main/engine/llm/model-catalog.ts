import fs from 'node:fs';
import path from 'node:path';
import { APP_ROOT } from '../data-paths';
import { UserError } from '../util/errors';
import { problems, v } from '../util/schema';

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

const text = (expected = 'a non-empty string') =>
  v.pipe(
    v.string(expected),
    v.check((s) => s.trim() !== '', expected),
  );
const textOrNull = (expected = 'a non-empty string or null') => v.nullable(text(expected));

const ENTRY = v.object({
  id: v.pipe(text(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "an id of letters, digits, '.', '_' and '-'")),
  name: text(),
  hfUri: v.pipe(
    textOrNull(),
    v.check((s) => s === null || /^hf:[^/\s:]+\/[^/\s:]+(?:\/[^\s:]+)?(?::[A-Za-z0-9_.-]+)?$/.test(s), 'a URI like hf:user/repo:QUANT'),
  ),
  downloadUrl: v.pipe(
    textOrNull(),
    v.check((s) => s === null || /^https:\/\//.test(s), 'an https URL'),
  ),
  homepage: v.optional(textOrNull(), null),
  fileName: v.pipe(
    text(),
    v.check((s) => s.endsWith('.gguf') && !/[/\\]/.test(s), 'a bare *.gguf file name'),
  ),
  sizeBytes: v.nullable(
    v.pipe(
      v.number('a positive integer or null'),
      v.safeInteger('a positive integer or null'),
      v.minValue(1, 'a positive integer or null'),
    ),
  ),
  sha256: v.nullable(v.pipe(v.string('64 lowercase hex digits or null'), v.regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits or null'))),
  license: text(),
  chatTemplate: v.optional(textOrNull(), null),
  testOnly: v.boolean('true or false'),
  notes: v.optional(v.string('a string'), ''),
});

const CATALOG = v.object(
  {
    version: v.literal(1, '1'),
    defaultModel: v.string('a model id'),
    models: v.pipe(v.array(ENTRY, 'a non-empty array'), v.minLength(1, 'a non-empty array')),
  },
  'a JSON object',
);

/** Checks a parsed catalog; throws one UserError listing every problem. */
export function validateCatalog(raw: unknown, source = 'models/catalog.json'): ModelCatalog {
  const parsed = v.safeParse(CATALOG, raw);
  if (!parsed.success) throw new UserError(`${source} is invalid: ${problems(parsed.issues).join('; ')}`);
  const { defaultModel, models } = parsed.output;
  const found: string[] = [];
  models.forEach((entry, index) => {
    if (!entry.testOnly && (!entry.hfUri || !entry.downloadUrl)) {
      found.push(`models[${index}] (${entry.id}) needs hfUri and downloadUrl: only test-only entries may lack them`);
    }
  });
  const ids = models.map((entry) => entry.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) found.push(`duplicate id "${id}"`);
  const chosen = models.find((entry) => entry.id === defaultModel);
  if (!chosen) found.push(`defaultModel "${defaultModel}" is not a model id in the catalog`);
  else if (chosen.testOnly) found.push(`defaultModel "${defaultModel}" is test-only`);
  if (found.length > 0) throw new UserError(`${source} is invalid: ${found.join('; ')}`);
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

export const findCatalogEntryByFileName = (fileName: string, catalog: ModelCatalog = loadCatalog()): CatalogEntry | null =>
  catalog.models.find((model) => model.fileName === fileName) ?? null;

/** The config key naming an explicit model file. */
export const MODEL_PATH_CONFIG_KEY = 'prompt_evolution.smollm2.model_path';

export const modelsDir = (dataDir: string): string => path.join(dataDir, 'models');

/** Where a catalog model (default: the catalog's default) lives in the data folder, whether or not it is there. */
export const dataFolderModelPath = (dataDir: string, catalog: ModelCatalog = loadCatalog(), id: string | null = null): string =>
  path.join(modelsDir(dataDir), getCatalogEntry(id, catalog).fileName);
