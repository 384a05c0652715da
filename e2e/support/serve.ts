import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_DIR } from './browser';

export const TINYARMS_BIN = path.join(REPO_DIR, 'bin', 'tinyarms.mjs');
export const RENDERER_INDEX = path.join(REPO_DIR, 'renderer', 'dist', 'index.html');
export { FIXTURE_MODEL } from '../../main/engine/llm/test-fixture';

const URL_LINE = /(http:\/\/127\.0\.0\.1:(\d+))\/\?token=([0-9A-Za-z_-]+)/;

export interface ServeProcess {
  /** The page URL `tinyarms serve` printed, without its #/route. */
  pageUrl: string;
  origin: string;
  token: string;
  dataDir: string;
  child: ChildProcess;
  output(): string;
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
  const child = spawn(process.execPath, [TINYARMS_BIN, '--data-dir', dataDir, 'serve', '--port', '0'], {
    cwd: REPO_DIR,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`tinyarms serve printed no URL within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(error);
    };
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const m = out.match(URL_LINE);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => fail(new Error(`tinyarms serve exited (${code}) before printing its URL:\n${out}`)));
  });

  const [, origin, , token] = match;
  const pageUrl = `${origin}/?token=${token}`;
  return {
    pageUrl,
    origin,
    token,
    dataDir,
    child,
    output: () => out,
    windowUrl: (route) => `${pageUrl}#/${route}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      removeDataDir(dataDir);
    },
  };
}
