import { afterEach, describe, expect, it } from 'vitest';
import { machineLoad, recentOthers, resetLoadSamplerForTests, sample, startLoadSampler } from './load-sampler';

afterEach(resetLoadSamplerForTests);

const reading = (seconds: number, others: number) => ({ wallS: seconds, cpuS: 0, othersCores: others });

describe('load sampler', () => {
  it('knows nothing until its samples cover 8 seconds, then weighs the last 15 s by their length', () => {
    const t = 1_000_000;
    expect(recentOthers(15_000, 8, t)).toBeNull();
    sample(t - 20_000, reading(5, 2));
    sample(t - 10_000, reading(5, 1.5));
    expect(recentOthers(15_000, 8, t)).toBeNull();
    sample(t - 5_000, reading(5, 0));
    sample(t, reading(2.5, 0.3));
    // The 20-s-old sample is out of the window: (1.5 × 5 + 0 × 5 + 0.3 × 2.5) / 12.5.
    expect(recentOthers(15_000, 8, t)).toBeCloseTo(0.66, 6);
  });

  it('forgets samples older than a minute and skips readings without the machine figure', () => {
    const t = 2_000_000;
    sample(t - 70_000, reading(10, 2));
    sample(t, reading(5, 0));
    sample(t, { wallS: 5, cpuS: 0, othersCores: null });
    expect(recentOthers(120_000, 8, t)).toBeNull();
  });

  it('starts once, never keeps the process alive, and feeds machineLoad', () => {
    const stop = startLoadSampler(60_000);
    expect(startLoadSampler(60_000)).toBe(stop);
    expect(machineLoad().recent).toBeNull();
    sample(Date.now(), reading(10, 0.4));
    expect(machineLoad()).toMatchObject({ recent: 0.4 });
    expect(machineLoad().cpus).toBeGreaterThan(0);
    stop();
  });
});
