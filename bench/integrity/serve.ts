import { HTTP_API_PREFIX, HTTP_TOKEN_HEADER, type ApiMethod, type ApiResult } from '../../contract/api';
import { startServeChild, type ServeChild } from '../../main/test-support/serve-child';
import type { CallResult } from './calls';

/** How often `tinyarms serve` looks for other processes' changes (AppService's default watchIntervalMs). */
export const SERVE_POLL_MS = 2000;

/** A running `tinyarms serve --port 0` on a data folder (its config.yaml keeps the file watch off). */
export interface Serve extends ServeChild {
  /** A contract method over HTTP, as browser mode's page calls it: POST /api/<method> with the arguments. */
  app(method: ApiMethod, args: unknown[]): Promise<CallResult>;
  /** The task API for other local tools: POST /api/tasks/<route>. */
  task(route: 'feedback' | 'run', body: Record<string, unknown>): Promise<CallResult>;
}

export async function startServe(dataDir: string, { timeoutMs = 60_000 } = {}): Promise<Serve> {
  // A crash point set for the workers must not stop serve; a long run keeps only the tail of its output.
  const serve = await startServeChild(dataDir, { timeoutMs, env: { TINYARMS_CRASH_AT: '' }, keepOutput: 20_000 });
  const { origin, token } = serve;

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
    ...serve,
    app: (method, args) => {
      const label = `http ${method}(${args.map((a) => JSON.stringify(a)).join(', ')})`;
      return post('http-app', label, `${origin}${HTTP_API_PREFIX}${method}`, args);
    },
    task: (route, body) => {
      const label = `http tasks/${route} ${JSON.stringify(body)}`;
      return post('http-task', label, `${origin}${HTTP_API_PREFIX}tasks/${route}`, body);
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
