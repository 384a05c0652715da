import {
  API_METHODS,
  HTTP_API_PREFIX,
  HTTP_EVENTS_PATH,
  HTTP_TOKEN_HEADER,
  HTTP_TOKEN_PARAM,
  STATE_EVENT,
  type ApiMethod,
  type ApiResult,
  type AppStateView,
  type TinyArmsApi,
  type WindowRoute,
} from './api';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { unwrapResult } from './unwrap';

// Browser mode's window.tinyArms: the same contract as Electron's preload, over `tinyarms serve`'s HTTP API.
// Runs in the page (and in Node for tests): fetch, streams, TextDecoder and eventsource-parser; no DOM types needed.

/** The event stream's health, for a page to say when what it shows may be stale. */
export type ConnectionStatus =
  | { state: 'open' }
  /** Dropped or unreachable; retrying every `reconnectMs`. */
  | { state: 'retrying'; message: string }
  /** The server refused the token (a restarted `tinyarms serve` has a new one); no more retries. */
  | { state: 'refused'; message: string };

export interface HttpApiOptions {
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Where openWindow/closeWindow navigate; default: the page's location. */
  location?: { hash: string };
  /** Wait before reconnecting a dropped event stream. */
  reconnectMs?: number;
  /** Told when the event stream opens, drops (it keeps retrying) or is refused (it stops). */
  onConnection?: (status: ConnectionStatus) => void;
}

/**
 * `baseUrl` is the server's origin (location.origin in the page; '' for same-origin relative URLs), `token`
 * the one `tinyarms serve` printed. Every call sends it as the x-tinyarms-token header; the event stream, like an
 * EventSource URL, carries it as a query parameter.
 */
export function createHttpApi(baseUrl: string, token: string, options: HttpApiOptions = {}): TinyArmsApi {
  const base = baseUrl.replace(/\/+$/, '');
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const reconnectMs = options.reconnectMs ?? 2000;
  const tell = options.onConnection ?? (() => {});
  const report = (message: string) => tell({ state: 'retrying', message });

  async function call(method: ApiMethod, args: unknown[]): Promise<unknown> {
    const trimmed = [...args];
    while (trimmed.length > 0 && trimmed[trimmed.length - 1] === undefined) trimmed.pop();
    let response: Response;
    try {
      response = await doFetch(`${base}${HTTP_API_PREFIX}${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [HTTP_TOKEN_HEADER]: token },
        body: JSON.stringify(trimmed),
      });
    } catch (error) {
      throw new Error(
        `tinyArms is not reachable at ${base || 'this page'}: is \`tinyarms serve\` still running? (${(error as Error).message})`,
      );
    }
    let result: ApiResult;
    try {
      result = (await response.json()) as ApiResult;
    } catch {
      throw new Error(`tinyArms answered ${method} with HTTP ${response.status} and no result`);
    }
    return unwrapResult(result);
  }

  // One event stream for all listeners, opened with the first and closed with the last.
  const listeners = new Set<(state: AppStateView) => void>();
  let controller: AbortController | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let last: AppStateView | null = null;

  const deliver = (state: AppStateView) => {
    if (state.revision === last?.revision) return;
    last = state;
    for (const listener of [...listeners]) listener(state);
  };

  const onEvent = (event: EventSourceMessage) => {
    if (event.event !== STATE_EVENT || !event.data) return;
    try {
      deliver(JSON.parse(event.data) as AppStateView);
    } catch {
      // Not a connection problem: the stream stays open and the next state replaces this one.
      console.warn('tinyArms sent a state that could not be read');
    }
  };

  const connect = (): void => {
    const current = new AbortController();
    controller = current;
    void (async () => {
      try {
        const url = `${base}${HTTP_EVENTS_PATH}?${HTTP_TOKEN_PARAM}=${encodeURIComponent(token)}`;
        const response = await doFetch(url, { headers: { accept: 'text/event-stream' }, signal: current.signal });
        if (response.status === 401 || response.status === 403) {
          const body = (await response.json().catch(() => null)) as ApiResult | null;
          tell({ state: 'refused', message: body && !body.ok ? body.error : `the event stream was refused (HTTP ${response.status})` });
          return;
        }
        if (!response.ok || !response.body) throw new Error(`the event stream answered HTTP ${response.status}`);
        tell({ state: 'open' });
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        const parser = createParser({ onEvent });
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.feed(decoder.decode(value, { stream: true }));
        }
        if (!current.signal.aborted) report('the event stream ended; reconnecting');
      } catch (error) {
        if (current.signal.aborted) return;
        report(`the event stream failed (${(error as Error).message}); reconnecting`);
      }
      if (!current.signal.aborted && controller === current && listeners.size > 0) {
        retry = setTimeout(() => {
          retry = null;
          if (controller === current && listeners.size > 0) connect();
        }, reconnectMs);
      }
    })();
  };

  const disconnect = () => {
    if (retry) clearTimeout(retry);
    retry = null;
    controller?.abort();
    controller = null;
    last = null;
  };

  const navigate = (route: WindowRoute) => {
    const location = options.location ?? (globalThis as unknown as { location?: { hash: string } }).location;
    if (location) location.hash = `#/${route}`;
  };

  const methods = Object.fromEntries(
    API_METHODS.map((method) => [method, (...args: unknown[]) => call(method, args)]),
  ) as unknown as TinyArmsApi;

  return {
    ...methods,
    onState(listener) {
      listeners.add(listener);
      if (!controller) connect();
      // A late subscriber gets the state the stream already delivered, as the first one did.
      else if (last) {
        const state = last;
        queueMicrotask(() => listeners.has(listener) && listener(state));
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) disconnect();
      };
    },
    // Browser mode has one page: "windows" are routes of it.
    async openWindow(route) {
      navigate(route);
    },
    async closeWindow() {
      navigate('popover');
    },
  };
}
