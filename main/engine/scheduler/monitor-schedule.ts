import type { Engine, MonitorRun } from '../engine';
import { HOUR_MS } from '../util/clock';
import { createScheduler, type Scheduler, type Timers } from './scheduler';

export interface MonitorScheduleOptions {
  timers?: Timers;
  onRun?: (run: MonitorRun) => void;
  onError?: (error: unknown) => void;
  /** While true, checks still run (verdicts are recorded) but no evolution starts. */
  paused?: () => boolean;
  /** Replaces the check itself (the app runs it through its own action queue, and skips it while paused). */
  run?: () => Promise<void>;
}

export const monitorIntervalMs = (engine: Engine): number => engine.ctx.config.config.prompt_evolution.triggers.check_interval_hours * HOUR_MS;

/**
 * The monitor on its schedule: at start-up (unless a check ran within the interval) and every
 * check_interval_hours, with the engine's clock. The app calls runNow() after the Mac wakes.
 */
export function scheduleMonitor(engine: Engine, options: MonitorScheduleOptions = {}): Scheduler {
  return createScheduler({
    clock: engine.ctx.clock,
    intervalMs: monitorIntervalMs(engine),
    timers: options.timers,
    lastRunAt: () => {
      const last = engine.monitor.lastChecks(undefined, 1)[0];
      return last ? new Date(last.checkedAt) : null;
    },
    run:
      options.run ??
      (async () => {
        const run = await engine.runMonitor({ startEvolutions: !(options.paused?.() ?? false) });
        options.onRun?.(run);
      }),
    onError: options.onError,
  });
}
