import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { APP_ROOT } from '../../main/engine/data-paths';
import type { CallResult } from './calls';
import type { CliJob, EngineJob, Job, WorkerMessage } from './protocol';

const lastLines = (text: string): string => text.trim().split('\n').slice(-3).join(' | ');

const RUN_TS = path.join(APP_ROOT, 'bin', 'run-ts.mjs');
const WORKER = path.join(APP_ROOT, 'bench', 'integrity', 'worker.ts');
const READY_TIMEOUT_MS = 60_000;
const JOB_TIMEOUT_MS = 120_000;

export type JobSpec = Omit<CliJob, 'id' | 'at'> | Omit<EngineJob, 'id' | 'at'>;

export interface RunOptions {
  /** Epoch ms at which every job starts (default: now + 150 ms). */
  at?: number;
  /** Job i starts this many ms after the barrier (seeded jitter, so races meet at different steps). */
  offsetsMs?: number[];
  /** SIGKILL job i's process this many ms after the barrier (kill -9 scenarios). */
  killAfterMs?: Map<number, number>;
  /** Job i's process is expected to kill itself (TINYARMS_CRASH_AT): its unfinished call is "killed", not failed. */
  expectDeath?: Set<number>;
}

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
  stderr: string;
  exited: boolean;
}

function startWorker(): Worker {
  const child = spawn(process.execPath, [RUN_TS, WORKER], { cwd: APP_ROOT, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const worker: Worker = { child, ready: Promise.resolve(), stderr: '', exited: false };
  child.once('exit', () => {
    worker.exited = true;
  });
  // A send racing the process's death is answered by its exit, not by an 'error' event nobody handles.
  child.on('error', () => {});
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    worker.stderr = (worker.stderr + chunk).slice(-4000);
  });
  worker.ready = new Promise<void>((resolve, reject) => {
    const fail = () => reject(new Error(`integrity worker did not start within ${READY_TIMEOUT_MS} ms: ${worker.stderr}`));
    const timer = setTimeout(fail, READY_TIMEOUT_MS);
    child.on('message', (message: WorkerMessage) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`integrity worker exited (${code ?? signal}) before it was ready: ${worker.stderr}`));
    });
  });
  // A worker killed before anyone waits on it must not become an unhandled rejection.
  worker.ready.catch(() => {});
  return worker;
}

/**
 * Warm worker processes, one job each per run: every job waits for the same barrier time, then acts. A worker
 * that dies (killed on purpose, or crashing) is replaced by a fresh process for the next run.
 */
export class WorkerPool {
  private workers: Worker[] = [];
  private nextId = 1;

  private constructor(size: number) {
    for (let i = 0; i < size; i += 1) this.workers.push(startWorker());
  }

  static async start(size: number): Promise<WorkerPool> {
    const pool = new WorkerPool(size);
    await Promise.all(pool.workers.map((w) => w.ready));
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs up to `size` jobs at one barrier; each job's call results in order (a killed call last, marked killed). */
  async run(jobs: JobSpec[], options: RunOptions = {}): Promise<CallResult[][]> {
    if (jobs.length > this.workers.length) throw new Error(`${jobs.length} jobs for ${this.workers.length} workers`);
    // A worker killed just as it finished its last job was not replaced by that job: replace it now.
    for (let i = 0; i < jobs.length; i += 1) {
      if (this.workers[i].exited || !this.workers[i].child.connected) this.workers[i] = startWorker();
    }
    await Promise.all(this.workers.slice(0, jobs.length).map((w) => w.ready));
    const at = options.at ?? Date.now() + 150;
    const job = (spec: JobSpec, i: number) => ({ ...spec, id: this.nextId++, at: at + (options.offsetsMs?.[i] ?? 0) }) as Job;
    return Promise.all(jobs.map((spec, i) => this.runOne(i, job(spec, i), options)));
  }

  private runOne(index: number, job: Job, options: RunOptions): Promise<CallResult[]> {
    const worker = this.workers[index];
    const { child } = worker;
    const results: CallResult[] = [];
    const killAfter = options.killAfterMs?.get(index);
    return new Promise<CallResult[]>((resolve) => {
      let killedOnPurpose = options.expectDeath?.has(index) ?? false;
      const killer =
        killAfter === undefined
          ? null
          : setTimeout(
              () => {
                killedOnPurpose = true;
                child.kill('SIGKILL');
              },
              Math.max(0, job.at + killAfter - Date.now()),
            );
      const timeout = setTimeout(() => child.kill('SIGKILL'), job.at - Date.now() + JOB_TIMEOUT_MS);
      const finish = () => {
        if (killer) clearTimeout(killer);
        clearTimeout(timeout);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(results);
      };
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'call' && message.id === job.id) results.push(message.result);
        if (message.type === 'done' && message.id === job.id) finish();
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        const label = `${job.kind} process (pid ${child.pid}) ${killedOnPurpose ? 'killed' : `died (${code ?? signal})`}`;
        results.push({
          via: job.kind === 'cli' ? 'cli' : 'engine',
          label,
          ok: false,
          message: killedOnPurpose ? '' : `internal error: the process died (${code ?? signal}): ${lastLines(worker.stderr)}`,
          code: null,
          internal: !killedOnPurpose,
          killed: killedOnPurpose,
        });
        if (this.workers[index] === worker) this.workers[index] = startWorker();
        finish();
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send(job);
    });
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.child.exitCode !== null || w.child.signalCode !== null) return resolve();
            w.child.once('exit', () => resolve());
            w.child.kill('SIGKILL');
          }),
      ),
    );
  }
}
