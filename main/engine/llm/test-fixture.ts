import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeOptions } from './runtime';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The real toy model CI keeps beside the clone (../shared/models); never copied into the repo. */
export const FIXTURE_MODEL = path.resolve(REPO_ROOT, '../shared/models/stories260K.gguf');

/** The fixture's path, or a clear failure naming where it should be. */
export function requireFixtureModel(): string {
  if (!fs.existsSync(FIXTURE_MODEL)) {
    throw new Error(`test fixture missing: expected the stories260K model at ${FIXTURE_MODEL} (shared/models beside the clone)`);
  }
  return FIXTURE_MODEL;
}

/** A runtime on the fixture for tests: its own temp data folder, CPU, 1 thread, 512 tokens, no idle unload. */
export function fixtureRuntimeOptions(extra: Partial<RuntimeOptions> = {}): RuntimeOptions {
  return {
    modelPath: requireFixtureModel(),
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-llm-')),
    gpu: false,
    threads: 1,
    contextSize: 512,
    idleDisposeMs: 0,
    ...extra,
  };
}
