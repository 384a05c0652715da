import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../server/static-files';
import { registerAppScheme, rendererResponse, serveRenderer } from './app-protocol';
import * as fake from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

let dir: string;
beforeEach(() => {
  fake.resetFakeElectron();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-protocol-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>tinyArms</title>');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('registers a standard, secure scheme', () => {
    registerAppScheme();
    expect(fake.callsOf('protocol.registerSchemesAsPrivileged')).toEqual([
      [[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } }]],
    ]);
  });

  it('serves the renderer build with the CSP', async () => {
    serveRenderer(dir);
    const response = (await fake.protocol.handlers.get('app')!({ url: 'app://tinyarms/index.html' })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('<title>tinyArms</title>');
  });

  it('refuses other hosts and paths out of the build', async () => {
    expect((await rendererResponse(dir, 'app://elsewhere/index.html')).status).toBe(403);
    expect((await rendererResponse(dir, 'app://tinyarms/../package.json')).status).toBe(403);
    expect((await rendererResponse(dir, 'app://tinyarms/%2e%2e/%2e%2e/etc/passwd')).status).toBe(403);
    expect((await rendererResponse(dir, 'app://tinyarms/missing.js')).status).toBe(404);
  });

  it('explains a missing renderer build', async () => {
    fs.rmSync(path.join(dir, 'index.html'));
    const response = await rendererResponse(dir, 'app://tinyarms/');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:renderer');
  });
});
