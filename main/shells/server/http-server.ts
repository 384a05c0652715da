import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DispatchTarget } from '../../app/dispatch';
import { dispatch } from '../../app/dispatch';
import { errorCode, oneLine } from '../../app/errors';
import { isUserError } from '../../engine';
import {
  HTTP_API_PREFIX,
  HTTP_EVENTS_PATH,
  HTTP_TOKEN_HEADER,
  HTTP_TOKEN_PARAM,
  STATE_EVENT,
  type ApiResult,
  type AppStateView,
} from '../../../contract/api';
import { rendererMissingPage, resolveStaticFile, SECURITY_HEADERS } from './static-files';

/**
 * A group of routes under /api/<prefix>/, behind the same Host and token checks as the contract's methods
 * (the task API, task-routes.ts, is one: POST /api/tasks/run and POST /api/tasks/feedback).
 */
export interface RouteGroup {
  prefix: string;
  handle(request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<void> | void;
}

export interface ApiServerOptions {
  /** The contract's methods (the app service plus window operations). */
  target: DispatchTarget;
  rendererDir: string;
  host?: string;
  /** 0 (default) = a free port chosen by the system. */
  port?: number;
  /** Default: 32 random bytes, hex. */
  token?: string;
  /** Comment lines on open event streams so proxies and sleeping laptops notice dead connections. */
  heartbeatMs?: number;
  routeGroups?: RouteGroup[];
  log?: (line: string) => void;
}

export interface ApiServer {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** The URL to open: origin + /?token=... + #/route. */
  pageUrl(route?: string): string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
/** Beyond this an oversized body is not even read to the end: the connection is dropped. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/** A refusal with its HTTP status; the server answers it as one JSON line. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export function sendJson(response: http.ServerResponse, status: number, body: ApiResult): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

export const sendError = (response: http.ServerResponse, status: number, error: string, code: string): void =>
  sendJson(response, status, { ok: false, error, code });

/**
 * The request body as text. Past the limit the rest is read and dropped, then the answer is 413: stopping
 * mid-upload would reset the connection, and the caller would see a network error instead of the reason.
 */
export function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) request.destroy();
      else if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(new HttpError(413, `request body is larger than ${MAX_BODY_BYTES} bytes`, 'too_large'));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}

/**
 * Browser mode's server: the contract over HTTP (POST /api/<method>, JSON array of arguments, ApiResult back),
 * state pushes as server-sent events (GET /api/events), and the renderer build as static files. It listens on
 * loopback, answers only requests whose Host is its own loopback address (no DNS rebinding), and every API
 * request must carry the random token printed at start.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? crypto.randomBytes(32).toString('hex');
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const streams = new Set<http.ServerResponse>();
  let allowedHosts = new Set<string>();
  const groups = options.routeGroups ?? [];

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error) => {
      if (!isUserError(error) && !(error instanceof HttpError)) log(`tinyArms serve: ${(error as Error)?.stack ?? String(error)}`);
      if (error instanceof HttpError) sendError(response, error.status, error.message, error.code);
      else sendError(response, 500, oneLine(error), errorCode(error));
    });
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const hostHeader = (request.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(hostHeader)) {
      return sendError(response, 403, `forbidden: the Host header must be one of ${[...allowedHosts].join(', ')}`, 'bad_host');
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedHosts.has(originHost(origin))) {
      return sendError(response, 403, 'forbidden: requests from other sites are refused', 'bad_origin');
    }
    const url = new URL(request.url ?? '/', `http://${hostHeader}`);

    if (url.pathname === '/api' || url.pathname.startsWith(HTTP_API_PREFIX)) {
      const isEvents = url.pathname === HTTP_EVENTS_PATH;
      const given = request.headers[HTTP_TOKEN_HEADER];
      const headerToken = Array.isArray(given) ? given[0] : given;
      if (!sameToken(headerToken ?? (isEvents ? url.searchParams.get(HTTP_TOKEN_PARAM) : null), token)) {
        return sendError(response, 401, 'unauthorized: missing or wrong token; open the URL that `tinyarms serve` printed', 'unauthorized');
      }
      if (isEvents) return openEventStream(request, response);
      const name = url.pathname.slice(HTTP_API_PREFIX.length);
      const group = groups.find((g) => name === g.prefix || name.startsWith(`${g.prefix}/`));
      if (group) return group.handle(request, response, url);
      return callMethod(request, response, name);
    }
    return serveStatic(request, response, url);
  }

  async function callMethod(request: http.IncomingMessage, response: http.ServerResponse, name: string): Promise<void> {
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST');
      return sendError(response, 405, `${request.method} is not allowed: call API methods with POST`, 'method_not_allowed');
    }
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) {
      return sendError(response, 415, 'the request body must be JSON (Content-Type: application/json)', 'bad_content_type');
    }
    const body = await readBody(request);
    let args: unknown;
    try {
      args = body.trim() === '' ? [] : JSON.parse(body);
    } catch {
      return sendError(response, 400, `${name}: the body is not valid JSON`, 'bad_payload');
    }
    const result = await dispatch(options.target, name, args, (method, error) =>
      log(`tinyArms serve: ${method} failed: ${(error as Error)?.stack ?? String(error)}`),
    );
    if (result.ok) return sendJson(response, 200, result);
    const status = result.code === 'internal' ? 500 : result.code === 'unknown_method' ? 404 : 400;
    return sendJson(response, status, result);
  }

  async function openEventStream(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (request.method !== 'GET') return sendError(response, 405, 'the event stream is read with GET', 'method_not_allowed');
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();
    streams.add(response);
    const write = (state: AppStateView) => {
      response.write(`event: ${STATE_EVENT}\nid: ${state.revision}\ndata: ${JSON.stringify(state)}\n\n`);
    };
    response.write('retry: 2000\n\n');
    const unsubscribe = options.target.onState(write);
    const heartbeat = setInterval(() => response.write(': ping\n\n'), options.heartbeatMs ?? 20_000);
    heartbeat.unref();
    const cleanup = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(response);
    };
    request.on('close', cleanup);
    response.on('close', cleanup);
    try {
      write(await options.target.getState());
    } catch (error) {
      response.write(`event: error\ndata: ${JSON.stringify({ error: oneLine(error) })}\n\n`);
    }
  }

  function serveStatic(request: http.IncomingMessage, response: http.ServerResponse, url: URL): void {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return sendError(response, 405, `${request.method} is not allowed here`, 'method_not_allowed');
    }
    // The raw path, not url.pathname: the URL parser would quietly resolve "..", hiding attempts to climb out.
    const rawPath = (request.url ?? '/').split(/[?#]/)[0];
    const found = resolveStaticFile(options.rendererDir, rawPath);
    const head = request.method === 'HEAD';
    switch (found.kind) {
      case 'forbidden':
        return sendError(response, 403, 'forbidden: that path is outside the app', 'forbidden_path');
      case 'not-found':
        return sendError(response, 404, `not found: ${url.pathname}`, 'not_found');
      case 'no-build': {
        response.writeHead(503, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
        response.end(head ? undefined : rendererMissingPage(options.rendererDir));
        return;
      }
      case 'file': {
        const stat = fs.statSync(found.file);
        response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': found.contentType, 'Content-Length': stat.size });
        if (head) {
          response.end();
          return;
        }
        fs.createReadStream(found.file)
          .on('error', () => response.destroy())
          .pipe(response);
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `${hostPart}:${port}`].map((h) => h.toLowerCase()));
  const origin = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : hostPart}:${port}`;

  return {
    host,
    port,
    token,
    origin,
    pageUrl: (route = 'popover') => `${origin}/?${HTTP_TOKEN_PARAM}=${token}#/${route}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function originHost(origin: string): string {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return '';
  }
}
