import type { MachineLoad, Measured } from '../util/cpu-meter';
import type { CpuCost } from './speed';

/**
 * Cores a run's lanes get / the cores they ask for, on a quiet machine. The lanes no longer wait for each other
 * (util/lanes.ts); what is left idle is a round's tail (its last match racing alone, its last mutations) and the
 * work between phases. Measured on the shaped SmolLM2-360M (2 one-thread contexts, 2 cores, bench:evolve, fully paid
 * design runs, 30 Nov 2026): 1.82 and 1.83 cores (1.67 and 1.73 while a batch waited for its slowest call).
 */
export const DEFAULT_EFFICIENCY = 0.9;

/** On a CPU: what the run costs in CPU-seconds and the cores it is expected to get. */
export interface CpuProjection {
  /** CPU-seconds of the work (tokens × the probe's CPU costs, corrected by the last run's measured / projected). */
  seconds: number;
  /** Cores expected at the machine's load when the run starts, and when nothing else runs. */
  cores: number;
  quietCores: number;
  /** Wall seconds at those cores. */
  quietSeconds: number;
  /** The load the projection saw: runnable threads averaged over the last minute, and the machine's cores. */
  machine: MachineLoad;
  /** Other processes' runnable threads it assumed (the lasting reading's and the probe's, averaged: see lastingOthers). */
  others: number;
  threads: number;
  efficiency: number;
}

/** CPU-seconds of `calls` calls computing `prompt` and generating `generated` tokens in all, at a probe's costs. */
export const cpuSecondsFor = (cost: CpuCost, prompt: number, generated: number, calls: number): number =>
  prompt * cost.perPromptToken + generated * cost.perGeneratedToken + calls * cost.perCall;

/** Cores a run's threads can use at once. */
const wantedCores = (threads: number, cpus: number): number => Math.min(Math.max(1, threads), cpus);

/**
 * Cores a run's threads get while the rest of the machine keeps `machine.load` threads runnable: all it asks for
 * (times the lanes' efficiency) while the cores go round, and the scheduler's fair share per runnable thread once
 * they do not. Measured on the 2-core machine, 2 one-thread lanes: 1.67–1.74 cores alone, 1.28 beside one busy
 * thread (fair share 1.33).
 */
export function coresForRun(threads: number, machine: MachineLoad, efficiency: number): number {
  const wanted = wantedCores(threads, machine.cpus);
  const others = Math.max(0, machine.load);
  const fair = wanted + others > machine.cpus ? (machine.cpus * wanted) / (wanted + others) : wanted;
  return Math.max(0.05, Math.min(wanted * efficiency, fair));
}

export function projectCpu(
  cost: CpuCost,
  work: { promptTokens: number; generatedTokens: number; calls: number },
  machine: MachineLoad,
  efficiency: number | null,
): CpuProjection {
  const e = efficiency ?? DEFAULT_EFFICIENCY;
  const seconds = cpuSecondsFor(cost, work.promptTokens, work.generatedTokens, work.calls);
  const others = (lastingOthers(machine) + othersBesideProbe(cost, machine.cpus)) / 2;
  const cores = coresForRun(cost.threads, { cpus: machine.cpus, load: others }, e);
  const quietCores = coresForRun(cost.threads, { cpus: machine.cpus, load: 0 }, e);
  return { seconds, cores, quietCores, quietSeconds: seconds / quietCores, machine, others, threads: cost.threads, efficiency: e };
}

/**
 * Other processes' runnable threads before the probe. The load average lags a change by a minute and the probe reads
 * only its own three seconds, so the projection averages the two; a process that has been sampling the machine (the
 * app, `tinyarms serve`) has the last ~15 s instead of the load average, which catches a load that just ended. Sampled
 * use cannot exceed the cores, so once others take them all the load average's thread count is the better reading.
 */
export function lastingOthers(machine: MachineLoad): number {
  const load = Math.max(0, machine.load);
  if (machine.recent === null || machine.recent === undefined) return load;
  return machine.recent >= machine.cpus - 0.25 ? Math.max(machine.recent, load) : machine.recent;
}

/** A probe batch's requests use this share of the cores they ask for when nothing else runs (2 cores: 1.9). */
const PROBE_EFFICIENCY = 0.95;

/** Other runnable threads that would leave the probe the cores it got, by the fair share of coresForRun. */
export function othersBesideProbe(cost: Pick<CpuCost, 'threads' | 'probeCores'>, cpus: number): number {
  const wanted = wantedCores(cost.threads, cpus);
  const got = Math.min(wanted, cost.probeCores / PROBE_EFFICIENCY);
  if (!(got > 0)) return 0;
  return got >= wanted ? 0 : Math.min(64, (wanted * cpus) / got - wanted);
}

/** After a run on a CPU: CPU-seconds against the projection, and the lanes' efficiency at the load they met. */
export interface CpuCheck {
  estimatedCpuSeconds: number;
  measuredCpuSeconds: number;
  /** (estimated − measured) / measured. */
  cpuError: number;
  /** The rest of the machine's use over the run, in cores (null where the OS does not say). */
  othersCores: number | null;
  /** Measured / projected CPU-seconds: what the next run's CPU costs are multiplied by (fresh runs only). */
  cpuCalibration: number | null;
  /** Cores the run got / the cores left to it, when others left it (nearly) all it asked for: the next run's efficiency. */
  efficiency: number | null;
}

/** Others' use, in cores, below which a run still shows its own lanes' efficiency (a quiet machine's background). */
const QUIET_OTHERS = 0.25;

export function checkCpu(cpu: CpuProjection, measured: Measured, fresh: boolean): CpuCheck {
  const cpuError = measured.cpuS > 0 ? (cpu.seconds - measured.cpuS) / measured.cpuS : 0;
  // The lanes' efficiency shows only while other processes left the run (nearly) every core it asked for.
  const wanted = wantedCores(cpu.threads, cpu.machine.cpus);
  const others = measured.othersCores;
  const free = others !== null && (others <= QUIET_OTHERS || cpu.machine.cpus - others >= wanted);
  const efficiency =
    free && measured.wallS > 0 && measured.cpuS > 0
      ? Math.min(1, Math.max(0.3, measured.cpuS / measured.wallS / Math.min(wanted, cpu.machine.cpus - others)))
      : null;
  return {
    estimatedCpuSeconds: cpu.seconds,
    measuredCpuSeconds: measured.cpuS,
    cpuError,
    othersCores: measured.othersCores,
    cpuCalibration: fresh && cpu.seconds > 0 && measured.cpuS > 0 ? measured.cpuS / cpu.seconds : null,
    efficiency,
  };
}
