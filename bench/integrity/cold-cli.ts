import { spawn } from 'node:child_process';
import path from 'node:path';
import { APP_ROOT } from '../../main/engine/data-paths';
import type { CallResult } from './calls';

const TINYARMS_BIN = path.join(APP_ROOT, 'bin', 'tinyarms.mjs');

/**
 * One `node bin/tinyarms.mjs --data-dir D --json …` process, exactly as a user or a git hook starts it (tsx start-up
 * included, so it does not start at the barrier's millisecond); SIGKILLed after `killAfterMs` when given.
 */
export function coldCli(dataDir: string, args: string[], options: { killAfterMs?: number } = {}): Promise<CallResult> {
  const label = `cold cli ${args.join(' ')}`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TINYARMS_BIN, '--data-dir', dataDir, '--json', ...args], {
      cwd: APP_ROOT,
      env: { ...process.env, TINYARMS_CRASH_AT: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const killer =
      options.killAfterMs === undefined
        ? null
        : setTimeout(() => {
            killed = true;
            child.kill('SIGKILL');
          }, options.killAfterMs);
    child.once('exit', (code, signal) => {
      if (killer) clearTimeout(killer);
      const message = err
        .split('\n')
        .filter((line) => line && !line.startsWith('warning: '))
        .join('\n');
      if (killed && signal === 'SIGKILL') {
        return resolve({ via: 'cli', label, ok: false, message: '', code: null, internal: false, killed: true });
      }
      let value: unknown;
      try {
        value = code === 0 && out ? JSON.parse(out) : undefined;
      } catch {
        value = out;
      }
      const internal = code !== 0 && (code === null || (code !== 1 && code !== 2) || /internal error/.test(message));
      resolve({ via: 'cli', label, ok: code === 0, message: message || (signal ? `killed by ${signal}` : ''), code, internal, value });
    });
  });
}
