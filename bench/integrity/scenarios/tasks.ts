import { pickFrom } from '../../../main/engine/util/random';
import { recordsKept } from '../acks';
import type { Scenario } from '../harness';
import type { JobSpec } from '../pool';
import type { RecordItem } from '../protocol';
import { readSnapshot } from '../snapshot';
import { copyFolder, seedSession, SKILL } from '../seed';

const CLI_WRITERS = 4;
const PER_WRITER = 10;

/** Ordinary concurrent writes: 4 CLI processes and an engine record tasks at once while serve runs. */
export const recordMany: Scenario = {
  id: 'record-many',
  title: `${CLI_WRITERS + 1} processes recording ${PER_WRITER} tasks each (4 CLI + engine, serve running)`,
  trials: 10,
  workers: CLI_WRITERS + 1,
  allowed: [],
  prepare: async (folder) => {
    await seedSession(folder);
  },
  async trial(kit, template) {
    const dataDir = copyFolder(template.folder, kit.folder('data'));
    await kit.serve(dataDir);
    const writers = Array.from({ length: CLI_WRITERS + 1 }, (_, w) =>
      Array.from({ length: PER_WRITER }, (_, i): RecordItem => {
        const outcome = pickFrom(kit.rng, ['accepted', 'rejected', undefined] as const);
        // Some tasks were served by an A/B arm: their feedback moves that arm's counters too.
        const variant = pickFrom(kit.rng, [undefined, undefined, 'A', 'B'] as const);
        return { id: `rec-${w}-${i}`, skill: SKILL, input: `IMG_${w}${i}.png`, output: `photo-${w}-${i}.png`, outcome, variant };
      }),
    );
    const jobs: JobSpec[] = writers.map((items, w) =>
      w < CLI_WRITERS
        ? {
            kind: 'cli',
            dataDir,
            commands: items.map((t) => [
              'task',
              'record',
              t.skill,
              '--input',
              t.input,
              '--output',
              t.output,
              '--task-id',
              t.id,
              ...(t.outcome ? ['--outcome', t.outcome] : []),
              ...(t.variant ? ['--variant', t.variant] : []),
            ]),
          }
        : { kind: 'engine', dataDir, op: { op: 'record', tasks: items } },
    );
    const results = await kit.pool.run(jobs, { at: kit.barrier(300), offsetsMs: kit.offsets(jobs.length, 10) });
    const items = results.flatMap((calls, w) => calls.map((call, i) => ({ id: writers[w][i].id, outcome: writers[w][i].outcome, call })));
    return { dataDir, calls: results.flat(), violations: recordsKept(readSnapshot(dataDir), items) };
  },
};

/** Six processes opening one fresh, empty data folder at the same millisecond (no config.yaml, no database). */
export const firstRuns: Scenario = {
  id: 'first-runs',
  title: 'first runs on one fresh folder (4 CLI + 2 engines)',
  trials: 20,
  workers: 6,
  allowed: [],
  async trial(kit) {
    const dataDir = kit.folder('data');
    const taskId = `first-${kit.trial}`;
    const jobs: JobSpec[] = [
      { kind: 'cli', dataDir, commands: [['prompt', 'stats']] },
      { kind: 'cli', dataDir, commands: [['prompt', 'stats', SKILL]] },
      {
        kind: 'cli',
        dataDir,
        commands: [
          ['task', 'record', SKILL, '--input', 'IMG_1.png', '--output', 'beach.png', '--outcome', 'accepted', '--task-id', taskId],
        ],
      },
      { kind: 'cli', dataDir, commands: [['vote', 'list']] },
      { kind: 'engine', dataDir, op: { op: 'open' } },
      { kind: 'engine', dataDir, op: { op: 'open' } },
    ];
    const results = await kit.pool.run(jobs, { offsetsMs: kit.offsets(jobs.length, 3) });
    return {
      dataDir,
      calls: results.flat(),
      violations: recordsKept(readSnapshot(dataDir), [{ id: taskId, outcome: 'accepted', call: results[2][0] }]),
    };
  },
};
