import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../engine';
import { DAY_MS, HOUR_MS } from '../util/clock';
import { VARIANTS } from '../../test-support/temp-engine';
import { scheduleMonitor } from './monitor-schedule';

let dataDir: string;
let engine: Engine;
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-03-02T08:00:00Z'));
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-sched-'));
  // The system clock follows the fake timers, so the engine and the scheduler share one timeline.
  engine = Engine.open({ dataDir, seed: 'sched', variantGenerator: async () => VARIANTS.map((prompt) => ({ prompt })) });
});
afterEach(() => {
  engine.close();
  vi.useRealTimers();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const record = (n: number, rate: number) => {
  for (let i = 0; i < n; i += 1) {
    const ok = Math.floor((i + 1) * rate) > Math.floor(i * rate);
    engine.recordTask(
      { skill: 'file-naming', input: `f${i}.png`, output: ok ? 'good.png' : 'bad.png' },
      ok ? { outcome: 'accepted' } : { outcome: 'edited', finalOutput: 'good.png' },
    );
  }
};

describe('scheduleMonitor', () => {
  it('checks at start-up and every 24 h, and starts an evolution the day accuracy drops: three weeks in milliseconds', async () => {
    const runs: string[] = [];
    const scheduler = scheduleMonitor(engine, { onRun: (r) => runs.push(r.checks.find((c) => c.skill === 'file-naming')!.verdict) });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(HOUR_MS);
    record(30, 0.95);
    await vi.advanceTimersByTimeAsync(DAY_MS);
    record(60, 0.4);
    await vi.advanceTimersByTimeAsync(DAY_MS);
    await vi.advanceTimersByTimeAsync(19 * DAY_MS);
    scheduler.stop();
    expect(runs.slice(0, 3)).toEqual(['too_few_samples', 'healthy', 'triggered']);
    expect(runs[3]).toBe('testing');
    expect(runs).toHaveLength(22);
    expect(engine.sessions.list({ skill: 'file-naming' })).toHaveLength(1);
  });

  it('does not run twice after a restart within the interval', async () => {
    await engine.runMonitor();
    const scheduler = scheduleMonitor(engine);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(HOUR_MS);
    expect(engine.monitor.lastChecks('file-naming')).toHaveLength(1);
    expect(scheduler.nextRunAt()?.toISOString()).toBe('2026-03-03T08:00:00.000Z');
    scheduler.stop();
  });

  it('records verdicts but starts no evolution while paused', async () => {
    record(30, 0.4);
    const scheduler = scheduleMonitor(engine, { paused: () => true });
    await scheduler.runNow();
    expect(engine.monitor.lastChecks('file-naming', 1)[0].verdict).toBe('triggered');
    expect(engine.sessions.list()).toHaveLength(0);
  });
});
