// CPU-seconds of this process and the machine's load beside every figure: the bench machine is shared, so wall time
// alone says little. Load = CPU the rest of the machine used meanwhile, in cores (from /proc/stat where it exists).
import fs from 'node:fs';
import os from 'node:os';

export interface Measured {
  wallS: number;
  /** This process's user + system CPU time. */
  cpuS: number;
  /** Other processes' CPU use over the interval, in cores (null where /proc/stat is missing). */
  othersCores: number | null;
}

function procStat(): number[] | null {
  try {
    return fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  } catch {
    return null;
  }
}

/** Starts a measurement; the returned function ends it. */
export function startMeter(): () => Measured {
  const cpu0 = process.cpuUsage();
  const stat0 = procStat();
  const t0 = performance.now();
  return () => {
    const cpu = process.cpuUsage(cpu0);
    const wallS = (performance.now() - t0) / 1000;
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const stat1 = procStat();
    let othersCores: number | null = null;
    if (stat0 && stat1) {
      const delta = stat1.map((v, i) => v - stat0[i]);
      const total = delta.reduce((a, b) => a + b, 0);
      const idle = delta[3] + (delta[4] ?? 0);
      const busyCores = total > 0 ? ((total - idle) / total) * os.availableParallelism() : 0;
      othersCores = Math.max(0, busyCores - (wallS > 0 ? cpuS / wallS : 0));
    }
    return { wallS, cpuS, othersCores };
  };
}

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
