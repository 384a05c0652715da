// The messages between the harness and its warm worker processes (bench/integrity/worker.ts).
import type { CallResult } from './calls';

/** One engine held open in a worker process, as the app holds it: opened at the barrier, closed after its calls. */
export type EngineOp =
  /** A first run: open the data folder and read every skill's stats (which records their initial versions). */
  | { op: 'open' }
  | { op: 'vote'; votes: { taskId: string; choice: string }[] }
  | { op: 'feedback'; items: { taskId: string; outcome: 'accepted' | 'edited' | 'rejected'; final?: string }[] }
  | { op: 'record'; tasks: RecordItem[] }
  | { op: 'promote'; skill: string; letter: string }
  | { op: 'rollback'; skill: string; to?: number }
  /** config.yaml writes through the engine's ConfigStore, one after another. */
  | { op: 'config'; sets: { path: string[]; value: unknown }[] }
  | { op: 'proposal'; decisions: { id: string; action: 'accept' | 'edit'; name?: string }[] };

export interface RecordItem {
  id: string;
  skill: string;
  input: string;
  output: string;
  variant?: string;
  outcome?: 'accepted' | 'edited' | 'rejected';
  final?: string;
}

interface JobBase {
  id: number;
  /** Epoch ms: the worker waits until then (the barrier), then acts. */
  at: number;
  dataDir: string;
  /** Set in the worker's environment for this job (e.g. TINYARMS_CRASH_AT). */
  env?: Record<string, string>;
}

/** `tinyarms --data-dir D --json <args>` for each entry, one after another, through the CLI's own runCli. */
export interface CliJob extends JobBase {
  kind: 'cli';
  commands: string[][];
}

export interface EngineJob extends JobBase {
  kind: 'engine';
  op: EngineOp;
}

export type Job = CliJob | EngineJob;

export type WorkerMessage =
  | { type: 'ready'; pid: number }
  /** One call finished (sent at once, so a worker killed mid-job has told what it finished). */
  | { type: 'call'; id: number; result: CallResult }
  | { type: 'done'; id: number };
