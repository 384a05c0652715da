import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_ROOT } from '../../engine/data-paths';

// A data folder this user cannot write (another account's, a read-only volume) still shows what it holds. Run
// as a real process: as root (CI) through setpriv as `nobody`, since root writes through any permission.
const asNobody = process.getuid?.() === 0;
const setpriv = spawnSync('setpriv', ['--version']).status === 0;
const cannotTest = asNobody && !setpriv ? 'running as root without setpriv, so a read-only folder cannot be simulated' : null;

let dataDir: string;
afterEach(() => {
  if (!dataDir) return;
  fs.chmodSync(dataDir, 0o755);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function cli(args: string[], readOnlyUser: boolean) {
  const command = [process.execPath, path.join(APP_ROOT, 'bin', 'tinyarms.mjs'), '--data-dir', dataDir, ...args];
  const [file, ...rest] = readOnlyUser && asNobody ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...command] : command;
  return spawnSync(file, rest, { encoding: 'utf8', env: { ...process.env, HOME: os.tmpdir() } });
}

describe.skipIf(cannotTest !== null)('a read-only data folder', () => {
  it('serves reads and refuses writes with one line', () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-ro-'));
    expect(cli(['task', 'record', 'file-naming', '--input', 'a.png', '--output', 'b.png', '--outcome', 'accepted'], false).status).toBe(0);
    for (const file of fs.readdirSync(dataDir)) fs.chmodSync(path.join(dataDir, file), 0o444);
    fs.chmodSync(dataDir, 0o555);

    const stats = cli(['prompt', 'stats', 'file-naming'], true);
    expect(stats.stderr).toBe('');
    expect(stats.status).toBe(0);
    expect(stats.stdout).toContain('Current accuracy: 100%');
    expect(cli(['prompt', 'history', 'file-naming'], true).status).toBe(0);

    const write = cli(['task', 'record', 'file-naming', '--input', 'c.png', '--output', 'd.png'], true);
    expect(write.status).toBe(1);
    expect(write.stderr.trim()).toBe(
      `tinyarms: the data folder ${dataDir} is read-only: tinyArms can show what it holds but not change it`,
    );
  });
});

if (cannotTest) console.warn(`read-only data folder test skipped: ${cannotTest}`);
