import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempEngine, VARIANTS, type TempEngine } from '../../test-support/temp-engine';
import type { AppStateView } from '../../../contract/api';
import { createHttpApi } from '../../../contract/http-client';
import { AppService } from '../../app/app-service';
import { startBrowserMode, type BrowserMode } from './browser-mode';
import { CONTENT_SECURITY_POLICY } from './static-files';

let t: TempEngine;
let mode: BrowserMode;
let rendererDir: string;
let outside: string;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request, so the test controls the Host header and the exact path bytes. */
function request(pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: mode.server.port,
        path: pathname,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${mode.server.port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const api = (method: string, args: unknown[], headers: Record<string, string> = {}) =>
  request(`/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tinyarms-token': mode.server.token, ...headers },
    body: JSON.stringify(args),
  });

function startSessionWithRound(taskId = 'task-1'): string {
  const session = t.engine.sessions.create({ skill: 'file-naming', variants: VARIANTS.map((prompt) => ({ prompt })), reason: 'manual' });
  t.engine.sessions.openRound(session.id, { taskId, input: `${taskId}.png`, outputs: { A: 'alpha.png', B: 'beta.png', C: 'gamma.png' } });
  return session.id;
}

beforeEach(async () => {
  t = tempEngine();
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-renderer-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-outside-'));
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'SECRET');
  fs.mkdirSync(path.join(rendererDir, 'assets'));
  fs.writeFileSync(
    path.join(rendererDir, 'index.html'),
    '<!doctype html><title>tinyArms</title><script type="module" src="/assets/app.js"></script>',
  );
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("hi")');
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(rendererDir, 'assets', 'link.txt'));
  mode = await startBrowserMode({
    service: new AppService({ engine: t.engine, watchIntervalMs: 0, log: () => {} }),
    rendererDir,
    schedule: false,
    log: () => {},
  });
});

afterEach(async () => {
  await mode.close();
  t.cleanup();
  fs.rmSync(rendererDir, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('browser mode server: guards', () => {
  it('prints a loopback page URL with the token and the popover route', () => {
    expect(mode.url).toBe(`http://127.0.0.1:${mode.server.port}/?token=${mode.server.token}#/popover`);
    expect(mode.server.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses API calls without the right token with 401 and a JSON error', async () => {
    const variants: Record<string, string>[] = [{}, { 'x-tinyarms-token': 'wrong' }, { 'x-tinyarms-token': `${mode.server.token}x` }];
    for (const headers of variants) {
      const reply = await request('/api/getState', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '[]',
      });
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.body)).toMatchObject({
        ok: false,
        code: 'unauthorized',
        error: expect.stringMatching(/^unauthorized: missing or wrong token/),
      });
    }
    // The query parameter only opens the event stream, not the methods.
    const viaQuery = await request(`/api/getState?token=${mode.server.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[]',
    });
    expect(viaQuery.status).toBe(401);
    expect((await request('/api/events')).status).toBe(401);
    expect((await request('/api/events?token=nope')).status).toBe(401);
  });

  it('refuses a foreign Host header with 403, even with the token', async () => {
    for (const host of ['evil.example', `evil.example:${mode.server.port}`, '127.0.0.1:1', `127.0.0.1.nip.io:${mode.server.port}`]) {
      const reply = await api('getState', [], { host });
      expect(reply.status).toBe(403);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, code: 'bad_host' });
    }
    expect((await request('/', { headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await api('getState', [], { host: `localhost:${mode.server.port}` })).status).toBe(200);
  });

  it("refuses requests from another site's page", async () => {
    const reply = await api('getState', [], { origin: 'https://evil.example' });
    expect(reply.status).toBe(403);
    expect((await api('getState', [], { origin: `http://127.0.0.1:${mode.server.port}` })).status).toBe(200);
  });

  it('serves only files inside the renderer build', async () => {
    const index = await request('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    expect(index.body).toContain('<title>tinyArms</title>');
    expect((await request('/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await request('/assets/missing.js')).status).toBe(404);

    const outsidePath = path.relative(rendererDir, path.join(outside, 'secret.txt'));
    const attempts = [
      `/${outsidePath}`,
      `/assets/../../${outsidePath}`,
      `/${encodeURIComponent(outsidePath)}`,
      `/%2e%2e/%2e%2e/${outsidePath}`,
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/assets/..%5c..%5cpackage.json',
      '/%00index.html',
      '/%E0%A4%A',
      '/assets/link.txt',
      `/${path.join(outside, 'secret.txt')}`,
    ];
    for (const attempt of attempts) {
      const reply = await request(attempt);
      expect(reply.body, attempt).not.toContain('SECRET');
      expect([403, 404], attempt).toContain(reply.status);
    }
  });

  it('says how to build the renderer when it is missing', async () => {
    fs.rmSync(path.join(rendererDir, 'index.html'));
    const reply = await request('/');
    expect(reply.status).toBe(503);
    expect(reply.body).toContain('npm run build:renderer');
  });
});

describe('browser mode server: the contract over HTTP', () => {
  it('answers methods with an ApiResult and bad calls with one line', async () => {
    const state = await api('getState', []);
    expect(state.status).toBe(200);
    expect(JSON.parse(state.body)).toMatchObject({ ok: true, value: { dataDir: t.dataDir, revision: 1 } });

    const bad = await api('vote', ['task-1']);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ ok: false, error: 'vote: expects 2 arguments (got 1)', code: 'bad_payload' });

    const engineRefusal = await api('rollback', ['file-naming', 3]);
    expect(engineRefusal.status).toBe(400);
    expect(JSON.parse(engineRefusal.body).error).toBe('file-naming has no version 3 (versions: 1)');

    expect((await api('exec', [])).status).toBe(404);
    expect((await request('/api/getState', { headers: { 'x-tinyarms-token': mode.server.token } })).status).toBe(405);
    const notJson = await request('/api/getState', {
      method: 'POST',
      headers: { 'x-tinyarms-token': mode.server.token, 'content-type': 'text/plain' },
      body: '[]',
    });
    expect(notJson.status).toBe(415);
    const broken = await request('/api/getState', {
      method: 'POST',
      headers: { 'x-tinyarms-token': mode.server.token, 'content-type': 'application/json' },
      body: '[',
    });
    expect(JSON.parse(broken.body)).toMatchObject({ ok: false, code: 'bad_payload' });
  });

  it('pushes the new state over SSE after a vote', async () => {
    startSessionWithRound('task-1');
    const client = createHttpApi(mode.server.origin, mode.server.token, { reconnectMs: 50 });
    const states: AppStateView[] = [];
    let wake: () => void = () => {};
    const off = client.onState((state) => {
      states.push(state);
      wake();
    });
    const next = (test: (s: AppStateView) => boolean) =>
      new Promise<AppStateView>((resolve) => {
        const check = () => {
          const found = states.find(test);
          if (found) resolve(found);
        };
        wake = check;
        check();
      });

    const first = await next(() => true);
    expect(first.pendingVotes.map((r) => r.taskId)).toEqual(['task-1']);
    const result = await client.vote('task-1', '1');
    expect(result).toMatchObject({ duplicate: false, round: { status: 'picked', picked: '1' } });
    const after = await next((s) => s.pendingVotes.length === 0);
    expect(after.revision).toBeGreaterThan(first.revision);
    expect(after.skills.find((s) => s.skill === 'file-naming')!.state.label).toMatch(/^Testing \(1 vote; /);
    off();
  });

  it('the HTTP client throws the one-line message and navigates for window calls', async () => {
    const location = { hash: '' };
    const client = createHttpApi(`${mode.server.origin}/`, mode.server.token, { location });
    await expect(client.vote('nope', '1')).rejects.toThrow("no vote round for task 'nope'");
    await expect(client.setPreference('accuracyThreshold', 3)).rejects.toThrow('Enter a value from 0% to 100%.');
    expect((await client.setPreference('accuracyThreshold', 0.75)).accuracyThreshold).toBe(0.75);
    expect(await client.getRound()).toBeNull();
    await client.openWindow('preferences');
    expect(location.hash).toBe('#/preferences');
    await client.closeWindow();
    expect(location.hash).toBe('#/popover');
    // No native dialogs or Finder in a browser: the page types paths and shows them instead.
    await expect(client.chooseFile('model')).rejects.toMatchObject({
      code: 'not_available',
      message: 'choosing a file needs the tinyArms app; in the browser, type the path instead',
    });
    await expect(client.revealInFinder('/etc/hosts')).rejects.toMatchObject({ code: 'not_available' });
    await client.fitWindow(300);
    const refused = createHttpApi(mode.server.origin, 'wrong');
    await expect(refused.getState()).rejects.toThrow(/^unauthorized: missing or wrong token/);
  });

  it('tells the page when the event stream opens and when it drops', async () => {
    const own = await startBrowserMode({
      service: new AppService({ engine: t.engine, watchIntervalMs: 0, log: () => {} }),
      rendererDir,
      schedule: false,
      log: () => {},
    });
    const seen: string[] = [];
    const client = createHttpApi(own.server.origin, own.server.token, { onConnection: (s) => seen.push(s.state), reconnectMs: 20 });
    const until = (test: () => boolean) =>
      new Promise<void>((resolve) => {
        const poll = () => (test() ? resolve() : setTimeout(poll, 10));
        poll();
      });
    const off = client.onState(() => {});
    await until(() => seen.includes('open'));
    await own.close();
    await until(() => seen.includes('retrying'));
    off();
    expect(seen[0]).toBe('open');
  });

  it('reports a refused event stream instead of retrying forever', async () => {
    const errors: string[] = [];
    const client = createHttpApi(mode.server.origin, 'wrong', {
      onConnection: (s) => s.state === 'refused' && errors.push(s.message),
      reconnectMs: 10,
    });
    const off = client.onState(() => {});
    await new Promise<void>((resolve) => {
      const poll = () => (errors.length ? resolve() : setTimeout(poll, 10));
      poll();
    });
    expect(errors[0]).toMatch(/^unauthorized/);
    off();
  });
});
