import type { Clock } from '../util/clock';

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SchedulerOptions {
  clock: Clock;
  intervalMs: number;
  /** The job; errors are reported to onError and never stop the schedule. */
  run: () => Promise<void> | void;
  /** When the job last ran (e.g. the newest monitor check), so a restart does not run it twice. */
  lastRunAt?: () => Date | null;
  onError?: (error: unknown) => void;
  timers?: Timers;
}

export interface Scheduler {
  start(): void;
  stop(): void;
  /** Runs the job now (start-up, wake from sleep) and reschedules the next run one interval later. */
  runNow(): Promise<void>;
  nextRunAt(): Date | null;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

// setTimeout overflows above 2^31-1 ms (~24.8 days); long waits are split into hops that re-check the clock.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs a job at start-up and every interval after the last run. Time comes from the injected clock and
 * timers, so tests cover weeks in milliseconds; a late wake-up (laptop asleep) runs the job at once.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const timers = options.timers ?? realTimers;
  let handle: unknown = null;
  let next: Date | null = null;
  let running: Promise<void> | null = null;
  let started = false;

  const schedule = (at: Date): void => {
    if (handle !== null) timers.clearTimeout(handle);
    next = at;
    const wait = Math.max(0, Math.min(MAX_TIMER_MS, at.getTime() - options.clock.now().getTime()));
    handle = timers.setTimeout(() => {
      handle = null;
      if (next && options.clock.now().getTime() >= next.getTime()) void runNow();
      else if (next) schedule(next);
    }, wait);
  };

  const runNow = (): Promise<void> => {
    if (running) return running;
    const job = (async () => {
      try {
        await options.run();
      } catch (error) {
        options.onError?.(error);
      }
    })();
    // Cleared in a later microtask, so a job that throws synchronously cannot leave a stale promise behind.
    running = job.finally(() => {
      running = null;
      if (started) schedule(new Date(options.clock.now().getTime() + options.intervalMs));
    });
    return running;
  };

  return {
    start() {
      if (started) return;
      started = true;
      const last = options.lastRunAt?.() ?? null;
      const due = last ? new Date(last.getTime() + options.intervalMs) : options.clock.now();
      if (due.getTime() <= options.clock.now().getTime()) void runNow();
      else schedule(due);
    },
    stop() {
      started = false;
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
      next = null;
    },
    runNow,
    nextRunAt: () => next,
  };
}
