// A `tinyarms serve` child process for the serve benches: start it, post tasks, read its memory.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { startServeChild, type ServeChild } from '../main/test-support/serve-child';
import { createHttpApi } from '../contract/http-client';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const mb = (x: number) => `${x.toFixed(1)} MB`;

export type Served = ServeChild;

export function statusMb(pid: number, key: string): number {
  const kb = Number(new RegExp(`${key}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

export interface TaskReply {
  status: number;
  json: { ok?: boolean; error?: string; value?: { output: string | null; round?: unknown } };
}

export function postTask(served: Served, body: unknown): Promise<TaskReply> {
  const { port } = new URL(served.origin);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: Number(port),
        path: '/api/tasks/run',
        method: 'POST',
        headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json', 'x-tinyarms-token': served.token },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

/** `tinyarms serve --port 0` from `script` (bin/tinyarms.mjs or the bundled CLI), as the e2e suite starts it. */
export const startServe = (script: string, dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<Served> =>
  startServeChild(dataDir, { script, env: { NODE_OPTIONS: '', ...env }, keepOutput: 100_000 });

export function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    if (kb > 0) return kb / 1024;
  } catch {
    /* not Linux */
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
}

/** RSS after start-up and one full state read, once the process has settled: the median of five samples. */
export async function idleRss(served: Served): Promise<number> {
  const api = createHttpApi(served.origin, served.token);
  await api.getState();
  await sleep(3000);
  const samples: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    samples.push(rssMb(served.child.pid!));
    await sleep(400);
  }
  return median(samples);
}
