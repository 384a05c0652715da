import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServeChild, type ServeChild } from '../../main/test-support/serve-child';
import { REPO_DIR } from './browser';

export { TINYARMS_BIN } from '../../main/test-support/cli-process';
export const RENDERER_INDEX = path.join(REPO_DIR, 'renderer', 'dist', 'index.html');
export { FIXTURE_MODEL } from '../../main/engine/llm/test-fixture';

export interface ServeProcess extends ServeChild {
  /** The page URL `tinyarms serve` printed, without its #/route. */
  pageUrl: string;
  dataDir: string;
  /** The page of one window, e.g. `${pageUrl}#/choice`. */
  windowUrl(route: 'popover' | 'choice' | 'preferences'): string;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its data folder. */
  stop(): Promise<void>;
}

export function makeDataDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tinyarms-e2e-${label}-`));
}

/** Removes a temporary data folder; TINYARMS_E2E_KEEP=1 keeps them for a post-mortem. */
export function removeDataDir(dir: string): void {
  if (!process.env.TINYARMS_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * A test's serve must never watch the real screenshots folder (~/Desktop on a Mac): unless the test's config.yaml
 * sets its own watch block, watching is turned off.
 */
function keepOffRealFolders(dataDir: string): void {
  const file = path.join(dataDir, 'config.yaml');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (/^watch:/m.test(text)) return;
  fs.writeFileSync(
    file,
    `${text}${text && !text.endsWith('\n') ? '\n' : ''}watch:\n  enabled: false   # e2e: not the real screenshots folder\n`,
  );
}

/** Starts `tinyarms serve --port 0` on a data folder and waits for the URL line it prints. */
export async function startServe(
  dataDir: string,
  { timeoutMs = 60_000, env = {} as NodeJS.ProcessEnv, watchOff = true } = {},
): Promise<ServeProcess> {
  if (!fs.existsSync(RENDERER_INDEX))
    throw new Error(`${RENDERER_INDEX} is missing: run npm run build:renderer first (node e2e/run-e2e.mjs does)`);
  if (watchOff) keepOffRealFolders(dataDir);
  const serve = await startServeChild(dataDir, { timeoutMs, env });
  const pageUrl = `${serve.origin}/?token=${serve.token}`;
  return {
    ...serve,
    pageUrl,
    dataDir,
    windowUrl: (route) => `${pageUrl}#/${route}`,
    async stop() {
      await serve.stop();
      removeDataDir(dataDir);
    },
  };
}
