import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_ROOT } from '../../engine/data-paths';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-serve-cli-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function runServe(args: string[]) {
  const child = spawn(process.execPath, [path.join(APP_ROOT, 'bin', 'tinyarms.mjs'), '--data-dir', dataDir, ...args], {
    cwd: APP_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

describe('tinyarms serve', () => {
  it('prints its URL and token, serves the contract, and stops cleanly on SIGTERM', async () => {
    const serve = runServe(['--json', 'serve']);
    const info = await new Promise<{ url: string; origin: string; token: string; port: number }>((resolve, reject) => {
      const poll = setInterval(() => {
        try {
          const parsed = JSON.parse(serve.out());
          clearInterval(poll);
          resolve(parsed);
        } catch {
          /* not complete yet */
        }
      }, 50);
      void serve.exited.then((code) => {
        clearInterval(poll);
        reject(new Error(`serve exited early (${code}): ${serve.err()}`));
      });
    });
    expect(info.url).toBe(`http://127.0.0.1:${info.port}/?token=${info.token}#/popover`);
    const response = await fetch(`${info.origin}/api/getState`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tinyarms-token': info.token },
      body: '[]',
    });
    expect(await response.json()).toMatchObject({ ok: true, value: { dataDir } });
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  });

  it('refuses a bad port with one line', async () => {
    const serve = runServe(['serve', '--port', 'eighty']);
    expect(await serve.exited).toBe(2);
    expect(serve.err().trim()).toBe("tinyarms: --port must be a whole number from 0 to 65535 (got 'eighty')");
  });
});
