import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { APP_ROOT } from '../../main/engine/data-paths';
import { HTTP_API_PREFIX, HTTP_TOKEN_HEADER, type ApiMethod, type ApiResult } from '../../contract/api';
import type { CallResult } from './calls';

const TINYARMS_BIN = path.join(APP_ROOT, 'bin', 'tinyarms.mjs');
const URL_LINE = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([0-9A-Za-z_-]+)/;

/** How often `tinyarms serve` looks for other processes' changes (AppService's default watchIntervalMs). */
export const SERVE_POLL_MS = 2000;

/** A running `tinyarms serve --port 0` on a data folder (its config.yaml keeps the file watch off). */
export interface Serve {
  origin: string;
  token: string;
  child: ChildProcess;
  output(): string;
  /** A contract method over HTTP, as browser mode's page calls it: POST /api/<method> with the arguments. */
  app(method: ApiMethod, args: unknown[]): Promise<CallResult>;
  /** The task API for other local tools: POST /api/tasks/<route>. */
  task(route: 'feedback' | 'run', body: Record<string, unknown>): Promise<CallResult>;
  /** SIGTERM, then SIGKILL after 10 s; resolves when it exited. */
  stop(): Promise<void>;
}

export async function startServe(dataDir: string, { timeoutMs = 60_000 } = {}): Promise<Serve> {
  const child = spawn(process.execPath, [TINYARMS_BIN, '--data-dir', dataDir, 'serve', '--port', '0'], {
    cwd: APP_ROOT,
    env: { ...process.env, NO_COLOR: '1', TINYARMS_CRASH_AT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (out = (out + chunk).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`tinyarms serve printed no URL within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
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
  const [, origin, token] = match;

  async function post(via: CallResult['via'], label: string, url: string, body: unknown): Promise<CallResult> {
    let response: Response;
    try {
      const headers = { 'content-type': 'application/json', [HTTP_TOKEN_HEADER]: token };
      response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    } catch (error) {
      const message = `internal error: serve unreachable (${(error as Error).message})`;
      return { via, label, ok: false, message, code: null, internal: true };
    }
    let result: ApiResult;
    try {
      result = (await response.json()) as ApiResult;
    } catch {
      return { via, label, ok: false, message: `HTTP ${response.status} without a JSON answer`, code: response.status, internal: true };
    }
    if (result.ok) return { via, label, ok: true, message: '', code: response.status, internal: false, value: result.value };
    const internal = response.status >= 500 || result.code === 'internal';
    return { via, label, ok: false, message: result.error, code: response.status, internal };
  }

  return {
    origin,
    token,
    child,
    output: () => out,
    app: (method, args) => {
      const label = `http ${method}(${args.map((a) => JSON.stringify(a)).join(', ')})`;
      return post('http-app', label, `${origin}${HTTP_API_PREFIX}${method}`, args);
    },
    task: (route, body) => {
      const label = `http tasks/${route} ${JSON.stringify(body)}`;
      return post('http-task', label, `${origin}${HTTP_API_PREFIX}tasks/${route}`, body);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}

/** Runs `calls` one after another from the harness, starting at the barrier `at` (epoch ms). */
export async function httpSequence(at: number, calls: (() => Promise<CallResult>)[]): Promise<CallResult[]> {
  const wait = at - Date.now() - 2;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  while (Date.now() < at) {
    // the last milliseconds, as the workers do
  }
  const results: CallResult[] = [];
  for (const call of calls) results.push(await call());
  return results;
}
