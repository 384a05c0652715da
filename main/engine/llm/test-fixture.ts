import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
