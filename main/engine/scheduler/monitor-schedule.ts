import type { TinyArmsConfig } from '../config/schema';
import { HOUR_MS, type Clock } from '../util/clock';
import { createScheduler, type Scheduler, type Timers } from './scheduler';

/** What the schedule drives: the clock and config, the last recorded check, and the check itself (the engine). */
export interface MonitorScheduleTarget<Run> {
  ctx: { clock: Clock; config: { config: TinyArmsConfig } };
  monitor: { lastChecks(skill?: string, limit?: number): { checkedAt: string }[] };
  runMonitor(options: { startEvolutions?: boolean }): Promise<Run>;
}

export interface MonitorScheduleOptions<Run> {
  timers?: Timers;
  onRun?: (run: Run) => void;
  onError?: (error: unknown) => void;
  /** While true, checks still run (verdicts are recorded) but no evolution starts. */
  paused?: () => boolean;
  /** Replaces the check itself (the app runs it through its own action queue, and skips it while paused). */
  run?: () => Promise<void>;
}

export const monitorIntervalMs = (config: TinyArmsConfig): number => config.prompt_evolution.triggers.check_interval_hours * HOUR_MS;

/**
 * The monitor on its schedule: at start-up (unless a check ran within the interval) and every
 * check_interval_hours, with the engine's clock. The app calls runNow() after the Mac wakes.
 */
export function scheduleMonitor<Run>(target: MonitorScheduleTarget<Run>, options: MonitorScheduleOptions<Run> = {}): Scheduler {
  return createScheduler({
    clock: target.ctx.clock,
    intervalMs: monitorIntervalMs(target.ctx.config.config),
    timers: options.timers,
    lastRunAt: () => {
      const last = target.monitor.lastChecks(undefined, 1)[0];
      return last ? new Date(last.checkedAt) : null;
    },
    run:
      options.run ??
      (async () => {
        const run = await target.runMonitor({ startEvolutions: !(options.paused?.() ?? false) });
        options.onRun?.(run);
      }),
    onError: options.onError,
  });
}
