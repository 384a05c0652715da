import os from 'node:os';
import { startMeter, type MachineLoad, type Measured } from './cpu-meter';

// A long-lived process (the app, `tinyarms serve`) samples how much CPU the rest of the machine uses, so that a run's
// projection knows the last quarter-minute. The load average lags a change by a minute (a build that ended 10 s ago
// still reads as busy) and the probe sees only its own three seconds.

interface Sample {
  at: number;
  seconds: number;
  others: number;
}

const KEEP_MS = 60_000;

let timer: NodeJS.Timeout | null = null;
let read: (() => Measured) | null = null;
let samples: Sample[] = [];

/** Starts sampling every `intervalMs` (idempotent); returns the function that stops it. The timer never keeps Node alive. */
export function startLoadSampler(intervalMs = 5_000): () => void {
  if (!timer) {
    read = startMeter();
    timer = setInterval(sample, intervalMs);
    timer.unref();
  }
  return stopLoadSampler;
}

export const isLoadSamplerRunning = (): boolean => timer !== null;

export function stopLoadSampler(): void {
  if (timer) clearInterval(timer);
  timer = null;
  read = null;
}

/** Takes a sample: what the meter read since the last one (the timer's tick; tests pass their own reading). */
export function sample(now = Date.now(), reading?: Measured): void {
  const measured = reading ?? read?.();
  if (!reading) read = startMeter();
  if (!measured || measured.othersCores === null || measured.wallS <= 0) return;
  samples.push({ at: now, seconds: measured.wallS, others: measured.othersCores });
  samples = samples.filter((s) => now - s.at <= KEEP_MS);
}

/**
 * Cores the rest of the machine used over the samples of the last `windowMs`, weighted by their length; null until
 * the samples cover `minSeconds` (a process that just started knows nothing yet).
 */
export function recentOthers(windowMs = 15_000, minSeconds = 8, now = Date.now()): number | null {
  const recent = samples.filter((s) => now - s.at <= windowMs);
  const seconds = recent.reduce((sum, s) => sum + s.seconds, 0);
  if (seconds < minSeconds) return null;
  return recent.reduce((sum, s) => sum + s.others * s.seconds, 0) / seconds;
}

/** The machine now: its cores, the load average, and what the sampler saw lately (null where it has not run long). */
export const machineLoad = (): MachineLoad => ({ cpus: os.availableParallelism(), load: os.loadavg()[0], recent: recentOthers() });

export function resetLoadSamplerForTests(): void {
  stopLoadSampler();
  samples = [];
}
