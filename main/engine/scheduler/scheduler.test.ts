import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DAY_MS, HOUR_MS, systemClock } from '../util/clock';
import { createScheduler } from './scheduler';

describe('createScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-02T08:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('runs at start-up and every 24 h: four weeks in milliseconds', async () => {
    const runs: string[] = [];
    const scheduler = createScheduler({ clock: systemClock, intervalMs: DAY_MS, run: () => void runs.push(new Date().toISOString()) });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(28 * DAY_MS);
    expect(runs).toHaveLength(29);
    expect(runs[0]).toBe('2026-03-02T08:00:00.000Z');
    expect(runs[28]).toBe('2026-03-30T08:00:00.000Z');
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(5 * DAY_MS);
    expect(runs).toHaveLength(29);
  });

  it('does not run at start-up when the last run is recent, and runs when it falls due', async () => {
    const run = vi.fn();
    const lastRunAt = () => new Date(Date.now() - 20 * HOUR_MS);
    const scheduler = createScheduler({ clock: systemClock, intervalMs: DAY_MS, run, lastRunAt });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(HOUR_MS);
    expect(run).not.toHaveBeenCalled();
    expect(scheduler.nextRunAt()?.toISOString()).toBe('2026-03-02T12:00:00.000Z');
    await vi.advanceTimersByTimeAsync(3 * HOUR_MS);
    expect(run).toHaveBeenCalledTimes(1);
    scheduler.stop();
  });

  it('keeps its schedule when the job throws, reporting the error', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const scheduler = createScheduler({
      clock: systemClock,
      intervalMs: DAY_MS,
      run: () => {
        calls += 1;
        throw new Error('disk full');
      },
      onError: (e) => errors.push(e),
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(2 * DAY_MS);
    expect(calls).toBe(3);
    expect(errors).toHaveLength(3);
    scheduler.stop();
  });

  it('runNow (wake from sleep) catches up and pushes the next run a full interval out', async () => {
    const run = vi.fn();
    const scheduler = createScheduler({ clock: systemClock, intervalMs: DAY_MS, run });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10 * HOUR_MS);
    await scheduler.runNow();
    expect(run).toHaveBeenCalledTimes(2);
    expect(scheduler.nextRunAt()?.toISOString()).toBe('2026-03-03T18:00:00.000Z');
    scheduler.stop();
  });

  it('waits longer than the 24.8-day timer limit without firing early', async () => {
    const run = vi.fn();
    const scheduler = createScheduler({ clock: systemClock, intervalMs: 40 * DAY_MS, run, lastRunAt: () => new Date() });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(30 * DAY_MS);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(10 * DAY_MS);
    expect(run).toHaveBeenCalledTimes(1);
    scheduler.stop();
  });
});
