import os from 'node:os';

// CPU-seconds of this process and the CPU the rest of the machine used meanwhile. Wall time alone says little on a
// machine others share: the same work took 1.5 or 5.2 minutes on the 2-core bench machine, at the same CPU-seconds.

export interface Measured {
  wallS: number;
  /** This process's user + system CPU time. */
  cpuS: number;
  /** Other processes' CPU use over the interval, in cores (null where the OS does not say). */
  othersCores: number | null;
}

/** Busy and total milliseconds over all cores (os.cpus() on every platform; null where it reports nothing). */
function machineTimes(): { busy: number; total: number } | null {
  const cpus = os.cpus();
  if (cpus.length === 0) return null;
  let busy = 0;
  let total = 0;
  for (const { times } of cpus) {
    busy += times.user + times.nice + times.sys + times.irq;
    total += times.user + times.nice + times.sys + times.irq + times.idle;
  }
  return total > 0 ? { busy, total } : null;
}

/** Starts a measurement; the returned function reads it (it may be read more than once). */
export function startMeter(): () => Measured {
  const cpu0 = process.cpuUsage();
  const machine0 = machineTimes();
  const t0 = performance.now();
  return () => {
    const cpu = process.cpuUsage(cpu0);
    const wallS = (performance.now() - t0) / 1000;
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const machine1 = machineTimes();
    let othersCores: number | null = null;
    if (machine0 && machine1 && machine1.total > machine0.total) {
      const busyCores = ((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * os.cpus().length;
      othersCores = Math.max(0, busyCores - (wallS > 0 ? cpuS / wallS : 0));
    }
    return { wallS, cpuS, othersCores };
  };
}

/** The machine now: its cores and the runnable threads the last minute averaged (os.loadavg; 0 on Windows). */
export interface MachineLoad {
  cpus: number;
  load: number;
  /** Cores other processes used over the last ~15 s, where this process has been sampling (util/load-sampler). */
  recent?: number | null;
}
