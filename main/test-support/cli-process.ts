import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APP_ROOT } from '../engine/data-paths';

export const TINYARMS_BIN = path.join(APP_ROOT, 'bin', 'tinyarms.mjs');
const TRACE_HOOK = path.join(APP_ROOT, 'main', 'test-support', 'import-trace.mjs');

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  /** Module URLs the process resolved (only with `trace: true`). */
  imports: string[];
}

export interface ProcessOptions {
  env?: NodeJS.ProcessEnv;
  /** Record every module the process resolves (node --import main/test-support/import-trace.mjs). */
  trace?: boolean;
  cwd?: string;
}

const baseEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of ['NO_COLOR', 'FORCE_COLOR', 'TINYARMS_HOME', 'TINYARMS_DEBUG']) if (!(key in extra)) delete env[key];
  return env;
};

/** Runs `tinyarms args…` as a real process (bin/tinyarms.mjs on this Node) and waits for it. */
export function tinyarms(args: string[], options: ProcessOptions = {}): ProcessResult {
  const trace = options.trace ? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-trace-')), 'imports.txt') : null;
  const nodeArgs = trace ? ['--import', TRACE_HOOK] : [];
  const result = spawnSync(process.execPath, [...nodeArgs, TINYARMS_BIN, ...args], {
    cwd: options.cwd ?? APP_ROOT,
    encoding: 'utf8',
    env: baseEnv({ ...options.env, ...(trace ? { TINYARMS_IMPORT_TRACE: trace } : {}) }),
    timeout: 120_000,
  });
  const imports = trace && fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8').split('\n').filter(Boolean) : [];
  if (trace) fs.rmSync(path.dirname(trace), { recursive: true, force: true });
  return { code: result.status, signal: result.signal, out: result.stdout, err: result.stderr, imports };
}

/** Runs a shell command line (pipes) with `tinyarms` meaning this checkout's bin; returns its output and status. */
export function shell(command: string): { code: number | null; out: string; err: string } {
  const result = spawnSync('bash', ['-c', command], {
    cwd: APP_ROOT,
    encoding: 'utf8',
    env: baseEnv({ TINYARMS: `${process.execPath} ${TINYARMS_BIN}` }),
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** A running `tinyarms` whose output can be awaited line by line (for Ctrl-C and servers). */
export function startTinyarms(args: string[], options: ProcessOptions = {}) {
  const child = spawn(process.execPath, [TINYARMS_BIN, ...args], {
    cwd: options.cwd ?? APP_ROOT,
    env: baseEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = async (pattern: RegExp, stream: 'out' | 'err' = 'err', timeoutMs = 90_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(stream === 'out' ? out : err)) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`never saw ${pattern} (exit ${child.exitCode})\nstdout: ${out}\nstderr: ${err}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, exited, waitFor, out: () => out, err: () => err };
}

/** A module URL list never touched node-llama-cpp or React. */
export const loadedModel = (imports: string[]): boolean => imports.some((url) => /node_modules\/node-llama-cpp\//.test(url));
export const loadedReact = (imports: string[]): boolean => imports.some((url) => /node_modules\/react(-dom)?\//.test(url));
