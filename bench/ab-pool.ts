import { Worker } from 'node:worker_threads';
import type { RuleSummary } from './ab-sim';
import { runJob, type Job } from './ab-worker';

/** Runs jobs on `workers` threads (0: in this thread), longest first; results come back in job order. */
export async function runJobs(jobs: readonly Omit<Job, 'id'>[], workers: number, onDone?: (done: number) => void): Promise<RuleSummary[]> {
  const numbered = jobs.map((job, id) => ({ ...job, id }));
  const results = new Array<RuleSummary>(jobs.length);
  let done = 0;
  if (workers <= 0) {
    for (const job of numbered) {
      results[job.id] = runJob(job);
      onDone?.(++done);
    }
    return results;
  }
  // The joint rule's sessions cost the most; start them first so the threads finish together.
  const queue = [...numbered].sort((a, b) => Number(b.rule === 'new') - Number(a.rule === 'new'));
  const threads = Array.from({ length: Math.min(workers, jobs.length) }, () => new Worker(new URL('./ab-worker.mjs', import.meta.url)));
  await Promise.all(
    threads.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          const next = (): void => {
            const job = queue.shift();
            if (!job) {
              void worker.terminate().then(() => resolve());
              return;
            }
            worker.postMessage(job);
          };
          worker.on('message', (msg: { id: number; summary: RuleSummary }) => {
            results[msg.id] = msg.summary;
            onDone?.(++done);
            next();
          });
          worker.on('error', reject);
          next();
        }),
    ),
  );
  return results;
}
