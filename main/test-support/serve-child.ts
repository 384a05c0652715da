import { spawn, type ChildProcess } from 'node:child_process';
import { APP_ROOT } from '../engine/data-paths';
import { TINYARMS_BIN } from './cli-process';

const URL_LINE = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([0-9A-Za-z_-]+)/;

/** A running `tinyarms serve --port 0`, as the e2e suite and the benches start it. */
export interface ServeChild {
  origin: string;
  token: string;
  child: ChildProcess;
  /** What it printed on stdout and stderr (the last `keepOutput` characters). */
  output(): string;
  /** SIGTERM, then SIGKILL after 10 s; resolves when it exited. */
  stop(): Promise<void>;
}

export interface ServeChildOptions {
  timeoutMs?: number;
  /** Added to this process's environment (NO_COLOR is set). */
  env?: NodeJS.ProcessEnv;
  /** How much output to keep for output() and error messages: a long benchmark keeps only the tail. */
  keepOutput?: number;
  /** The CLI entry to run: bin/tinyarms.mjs unless a bench measures the bundled one. */
  script?: string;
}

/** Starts `tinyarms serve --port 0` on a data folder and waits for the URL line it prints. */
export async function startServeChild(
  dataDir: string,
  { timeoutMs = 60_000, env = {}, keepOutput = Number.POSITIVE_INFINITY, script = TINYARMS_BIN }: ServeChildOptions = {},
): Promise<ServeChild> {
  const child = spawn(process.execPath, [script, '--data-dir', dataDir, 'serve', '--port', '0'], {
    cwd: APP_ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: string) => {
    out += chunk;
    if (out.length > keepOutput) out = out.slice(-keepOutput);
  };
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`tinyarms serve printed no URL within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout!.on('data', (chunk: string) => {
      keep(chunk);
      const m = out.match(URL_LINE);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => fail(new Error(`tinyarms serve exited (${code}) before printing its URL:\n${out}`)));
  });

  const [, origin, token] = match;
  return {
    origin,
    token,
    child,
    output: () => out,
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
