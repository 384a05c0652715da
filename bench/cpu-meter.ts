// CPU-seconds of this process and the machine's load beside every figure (the meter is the engine's own).
import os from 'node:os';
import { startMeter, type Measured } from '../main/engine/util/cpu-meter';

export { startMeter, type Measured };

export async function measure<T>(work: () => Promise<T>): Promise<[T, Measured]> {
  const stop = startMeter();
  const value = await work();
  return [value, stop()];
}

/** "12.3 CPU-s, 7.1 s wall, others 0.4 cores" */
export function describeMeasured(m: Measured): string {
  return `${m.cpuS.toFixed(1)} CPU-s, ${m.wallS.toFixed(1)} s wall, ${loadNote(m)}`;
}

export const loadNote = (m: Measured): string =>
  m.othersCores === null ? 'load unknown' : `others ${m.othersCores.toFixed(1)} of ${os.availableParallelism()} cores`;

export const rssMb = (): number => process.memoryUsage.rss() / 1024 / 1024;
