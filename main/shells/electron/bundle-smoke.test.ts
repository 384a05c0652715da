import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROOT } from '../../engine/data-paths';
import { CONTENT_SECURITY_POLICY } from '../server/static-files';
import { API_METHODS } from '../../../contract/api';

// Builds out/ with scripts/build-main.mjs and starts out/main/index.js under Node with a stand-in `electron`,
// so the bundle itself is known to load, find its files (skills, defaults.yaml, catalog, assets, preload),
// answer IPC and quit. The real Electron binary is not needed.

let dataDir: string;
beforeAll(() => {
  execFileSync(process.execPath, [path.join(APP_ROOT, 'scripts', 'build-main.mjs')], { cwd: APP_ROOT, stdio: 'pipe' });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-bundle-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function runBuiltMain(): Promise<{ code: number | null; report: Record<string, any>; stderr: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      path.join(APP_ROOT, 'main', 'shells', 'electron', 'bundle-smoke', 'register.mjs'),
      path.join(APP_ROOT, 'out', 'main', 'index.js'),
    ],
    {
      cwd: APP_ROOT,
      env: { ...process.env, TINYARMS_HOME: dataDir, TINYARMS_RENDERER_URL: '', TINYARMS_USER_DATA: path.join(dataDir, 'profile') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('REPORT '));
      resolve({ code, report: line ? JSON.parse(line.slice(7)) : {}, stderr });
    }),
  );
}

describe('the built Electron main', () => {
  it('keeps node-llama-cpp out of the start-up path and the preload in one file', () => {
    const main = fs.readFileSync(path.join(APP_ROOT, 'out', 'main', 'index.js'), 'utf8');
    expect(main).not.toMatch(/from\s*["']node-llama-cpp["']/);
    const preload = fs.readFileSync(path.join(APP_ROOT, 'out', 'preload', 'index.cjs'), 'utf8');
    expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
  });

  it('starts, composes and quits with its files found', async () => {
    const { code, report, stderr } = await runBuiltMain();
    expect(report.errors, stderr).toEqual([]);
    expect(code).toBe(0);
    expect(report.schemes).toEqual(['app']);
    expect(report.paths).toEqual({ userData: path.join(dataDir, 'profile') });
    expect(report.ipcChannels).toHaveLength(API_METHODS.length);
    expect(report.getState).toEqual({
      ok: true,
      dataDir,
      skills: ['audio-actions', 'code-linting-fast', 'file-naming', 'markdown-analysis'],
      revision: expect.any(Number),
    });
    expect(report.refused).toMatchObject({ ok: false, code: 'forbidden' });
    expect(report.trayImages[0]).toBe(path.join(APP_ROOT, 'assets', 'trayTemplate.png'));
    expect(report.trayTitles[0]).toEqual(['', { fontType: 'monospacedDigit' }]);
    expect(report.windows[0]).toEqual({
      url: 'app://tinyarms/index.html#/popover',
      preload: path.join(APP_ROOT, 'out', 'preload', 'index.cjs'),
      sandbox: true,
      contextIsolation: true,
    });
    expect(fs.existsSync(report.windows[0].preload)).toBe(true);
    expect([200, 503]).toContain(report.page.status);
    expect(report.page.csp).toBe(CONTENT_SECURITY_POLICY);
    expect(report.trayDestroyed).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'tinyarms.db'))).toBe(true);
  });
});
