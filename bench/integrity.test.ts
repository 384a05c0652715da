import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from './integrity/harness';
import { WorkerPool } from './integrity/pool';
import type { ScenarioStats } from './integrity/report';
import { scenario } from './integrity/scenarios/index';

// The fast subset of `npm run bench:integrity` (issue 9): a few trials of the most important races, each run with
// real processes on a temp data folder, must leave nothing broken, lost or duplicated, and no call may fail other
// than a race loser's clean refusal.
//
// KNOWN_BROKEN lists what the engine does not guarantee yet, with what goes wrong today; those expectations are
// marked `it.fails` (each fails in practically every run at these trial counts). Once the engine is fixed, delete
// the scenario's entry: the same test then asserts the guarantee.

interface FastCase {
  id: string;
  trials: number;
  /** Also require 0 failed calls (default true). */
  calls?: boolean;
}

// Trial counts: enough that a scenario failing today fails in practically every run (< 0.3% chance of a clean run at
// the per-trial rates measured on the current engine: promote-race 19/20 trials with a finding, crash-config-serve
// 10/10, vote-conflict 23/30, vote-repeat 28/30, feedback-conflict 27/30, record-many 10/10, first-runs 20/20,
// accept-vs-edit 26/50).
const FAST: FastCase[] = [
  { id: 'promote-race', trials: 3 },
  { id: 'crash-config-serve', trials: 1 },
  { id: 'vote-conflict', trials: 4 },
  { id: 'vote-repeat', trials: 3 },
  { id: 'feedback-conflict', trials: 3 },
  { id: 'record-many', trials: 1 },
  { id: 'first-runs', trials: 3 },
  { id: 'accept-vs-edit', trials: 8 },
  // Crash safety with serve running holds today (0 findings in 51 trials); its "database is locked" failures of
  // ordinary writes (5 of 21 trials) are record-many's, measured there and by the bench.
  { id: 'kill-9-serve', trials: 1, calls: false },
];

const KNOWN_BROKEN: Record<string, string> = {
  'promote-race': 'two current v2 rows; a loser ("already exists with a different prompt") deletes the winner\'s version file',
  'crash-config-serve': 'serve records a phantom "imported" v2 whose file recovery then deletes',
  'vote-conflict': 'different votes on one round are all applied: rounds flip, ab_test_results doubled, counters above picked rounds',
  'vote-repeat': 'identical repeats fail with "UNIQUE constraint failed: task_history.id" and double ab_test_results',
  'feedback-conflict': 'conflicting verdicts are all acknowledged; served/accepted counters above the recorded feedback',
  'record-many': '"database is locked" (deferred read-then-write transactions are not covered by busy_timeout)',
  'first-runs': '"table … already exists" / "duplicate column name": migrations read user_version outside their transaction',
  'accept-vs-edit': 'the loser marks the renamed proposal stale (and "database is locked"); the winner\'s rename is no longer recorded',
};

const summary = (s: ScenarioStats) => ({
  broken: s.broken,
  lost: s.lost,
  duplicated: s.duplicated,
  failedCalls: s.failedCalls,
  findings: [...s.findings.keys()],
});

describe('one data folder, many writers: the fast subset of bench:integrity', () => {
  // One set of warm worker processes for every scenario (each starts in about a second).
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = await WorkerPool.start(Math.max(...FAST.map((f) => scenario(f.id).workers)));
  }, 120_000);
  afterAll(() => pool?.close());

  for (const { id, trials, calls = true } of FAST) {
    const broken = KNOWN_BROKEN[id];
    const test = broken ? it.fails : it;
    const title = `${id}: ${trials} trial(s), nothing broken, lost or duplicated${calls ? ', no failed call' : ''}`;
    test(`${title}${broken ? ` [fails today: ${broken}]` : ''}`, async () => {
      const stats = await runScenario(scenario(id), { trials, seed: 'vitest', pool });
      expect(stats.trials).toBe(trials);
      const found = summary(stats);
      if (!calls) {
        found.failedCalls = 0;
        found.findings = found.findings.filter((f) => !f.startsWith('failed call'));
      }
      expect(found).toEqual({ broken: 0, lost: 0, duplicated: 0, failedCalls: 0, findings: [] });
    }, 180_000);
  }
});
