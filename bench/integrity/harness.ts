import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../main/engine/engine';
import { createRng, randomInt, type Rng } from '../../main/engine/util/random';
import { judge, type CallResult, type RefusalName } from './calls';
import { checkInvariants, type CheckOptions, type Violation } from './invariants';
import { WorkerPool } from './pool';
import { startServe, type Serve } from './serve';
import { emptyStats, noteFailedCall, noteViolation, type ScenarioStats } from './report';
import { readSnapshot } from './snapshot';

/** What a scenario's trial hands back: every call it made and what its own checks found. */
export interface TrialReport {
  calls: CallResult[];
  /** The scenario's own findings (acknowledged writes not kept, two winners); the harness adds the generic invariants. */
  violations: Violation[];
  /** The data folder to check, and how. */
  dataDir: string;
  check?: CheckOptions;
}

export interface TrialKit {
  pool: WorkerPool;
  rng: Rng;
  trial: number;
  /** A new empty folder under this run's temporary root. */
  folder(name: string): string;
  /** `tinyarms serve` on a data folder, stopped by the harness when the trial ends (before the checks). */
  serve(dataDir: string): Promise<Serve>;
  /** The barrier for the next simultaneous start: a little after now. */
  barrier(ms?: number): number;
  /**
   * Start offsets of `n` actors after the barrier: seeded jitter in [0, maxMs], so races meet at different steps from
   * trial to trial; in a --serial control run, one actor after another, far enough apart that nothing overlaps.
   */
  offsets(n: number, maxMs: number): number[];
}

/** A --serial control run's gap between actors: longer than any actor's whole job in these scenarios. */
export const SERIAL_GAP_MS = 2500;

/** What a scenario built once per run: the folder every trial copies, and what the trials need to know of it. */
export interface Template<T> {
  folder: string;
  data: T;
}

/** `any` by default, so one list holds scenarios whose templates differ. */
export interface Scenario<T = any> {
  id: string;
  title: string;
  /** Trials at scale 1. */
  trials: number;
  /** Worker processes the scenario needs at once. */
  workers: number;
  /** Refusals a race's loser may get here (see REFUSALS); every other non-success is a failed call. */
  allowed: readonly RefusalName[];
  /** Builds the template in `folder` (once per run); returns what the trials need to know of it. */
  prepare?(folder: string): Promise<T>;
  trial(kit: TrialKit, template: Template<T>): Promise<TrialReport>;
}

export interface RunOptions {
  /** Multiplies the scenario's trial count (at least 1 trial). */
  scale?: number;
  /** An exact trial count instead of a scale. */
  trials?: number;
  seed: string;
  keep?: boolean;
  /** Warm workers to use (a test shares one pool across scenarios); by default the run starts and stops its own. */
  pool?: WorkerPool;
  /** The control run: the same calls, one actor after another; whatever is found then is not a race. */
  serial?: boolean;
  onTrial?: (stats: ScenarioStats, trial: number) => void;
}

/** The next start-up's recovery (Engine.open runs Promotion.recover), as any next command would do. */
function settle(dataDir: string): Violation[] {
  try {
    Engine.open({ dataDir }).close();
    return [];
  } catch (error) {
    return [{ kind: 'broken', what: `the data folder no longer opens: ${(error as Error).message.split('\n')[0]}` }];
  }
}

function check(report: TrialReport): Violation[] {
  try {
    return [...checkInvariants(readSnapshot(report.dataDir), report.check), ...report.violations];
  } catch (error) {
    return [{ kind: 'broken', what: `the data folder cannot be read: ${(error as Error).message.split('\n')[0]}` }];
  }
}

function tally(stats: ScenarioStats, scenario: Scenario, violations: Violation[], calls: CallResult[]): void {
  stats.trials += 1;
  for (const kind of ['broken', 'lost', 'duplicated'] as const) if (violations.some((x) => x.kind === kind)) stats[kind] += 1;
  for (const x of violations) noteViolation(stats, x.kind, x.what);
  const failedBefore = stats.failedCalls;
  for (const call of calls) {
    const judged = judge(call, scenario.allowed);
    stats.calls += 1;
    if (judged.verdict === 'failed') {
      stats.failedCalls += 1;
      noteFailedCall(stats, call, judged.reason!);
    }
    if (judged.verdict === 'refused') stats.refused += 1;
    if (judged.verdict === 'killed') stats.killed += 1;
  }
  if (violations.length > 0 || stats.failedCalls > failedBefore) stats.failedTrials += 1;
}

/** Seeded start offsets in [0, max] ms, so races meet at different steps from trial to trial. */
export const jitter = (rng: Rng, n: number, max: number): number[] => Array.from({ length: n }, () => randomInt(rng, max + 1));

export const trialsAt = (scenario: Scenario, scale: number): number => Math.max(1, Math.round(scenario.trials * scale));

export async function runScenario(scenario: Scenario, options: RunOptions): Promise<ScenarioStats> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `tinyarms-integrity-${scenario.id}-`));
  const stats = emptyStats(scenario.id, scenario.title);
  const pool = options.pool ?? (await WorkerPool.start(scenario.workers));
  if (pool.size < scenario.workers) throw new Error(`${scenario.id} needs ${scenario.workers} workers, the pool has ${pool.size}`);
  try {
    const folder = path.join(root, 'template');
    fs.mkdirSync(folder);
    const template = { folder, data: scenario.prepare ? await scenario.prepare(folder) : undefined };
    const trials = options.trials ?? trialsAt(scenario, options.scale ?? 1);
    for (let trial = 0; trial < trials; trial += 1) {
      const serves: Serve[] = [];
      const rng = createRng(`${options.seed}:${scenario.id}:${trial}`);
      const kit: TrialKit = {
        pool,
        rng,
        trial,
        folder: (name) => {
          const dir = path.join(root, `t${trial}`, name);
          fs.mkdirSync(dir, { recursive: true });
          return dir;
        },
        serve: async (dataDir) => {
          const serve = await startServe(dataDir);
          serves.push(serve);
          return serve;
        },
        barrier: (ms = 200) => Date.now() + ms,
        offsets: (n, maxMs) => (options.serial ? Array.from({ length: n }, (_, i) => i * SERIAL_GAP_MS) : jitter(rng, n, maxMs)),
      };
      let report: TrialReport;
      try {
        report = await scenario.trial(kit, template);
      } finally {
        await Promise.all(serves.map((s) => s.stop()));
      }
      const violations = [...settle(report.dataDir), ...check(report)];
      tally(stats, scenario, violations, report.calls);
      options.onTrial?.(stats, trial);
      if (!options.keep) fs.rmSync(path.join(root, `t${trial}`), { recursive: true, force: true });
    }
  } finally {
    if (!options.pool) await pool.close();
    if (!options.keep) fs.rmSync(root, { recursive: true, force: true });
  }
  return stats;
}
