import { shuffle } from '../../../main/engine/util/random';
import { decisionsMatch } from '../acks';
import type { CallResult } from '../calls';
import type { Scenario } from '../harness';
import type { JobSpec } from '../pool';
import { httpSequence } from '../serve';
import { readSnapshot } from '../snapshot';
import { seedProposals, writeQuietConfig } from '../seed';

const PROPOSALS = 3;

type Via = 'cli' | 'engine' | 'http';

/** Accept and edit of the same rename proposals from two processes at once (the CLI, an engine, the app). */
export const acceptVsEdit: Scenario = {
  id: 'accept-vs-edit',
  title: 'accept vs edit of one rename proposal (2 of CLI/engine/serve)',
  trials: 25,
  workers: 2,
  allowed: ['alreadyDecided'],
  async trial(kit) {
    const dataDir = kit.folder('data');
    writeQuietConfig(dataDir);
    const { ids, watched } = await seedProposals(dataDir, kit.folder('Screenshots'), PROPOSALS);
    // One accepts, the other edits; who does which, through which door, is drawn per trial.
    const [acceptVia, editVia] = shuffle(kit.rng, ['cli', 'engine', 'http'] as Via[]);
    const serve = acceptVia === 'http' || editVia === 'http' ? await kit.serve(dataDir) : null;
    const name = (i: number) => `mine-${editVia}-${i}`;
    const at = kit.barrier(300);
    // Within 3 ms of each other: both must find the proposal pending for the rename itself to race.
    const [offsetAccept, offsetEdit] = kit.offsets(2, 3);
    const job = (via: 'cli' | 'engine', action: 'accept' | 'edit'): JobSpec =>
      via === 'cli'
        ? { kind: 'cli', dataDir, commands: ids.map((id, i) => ['files', action, id, ...(action === 'edit' ? [name(i)] : [])]) }
        : { kind: 'engine', dataDir, op: { op: 'proposal', decisions: ids.map((id, i) => ({ id, action, name: name(i) })) } };
    const workerJobs: { spec: JobSpec; offset: number; action: 'accept' | 'edit' }[] = [];
    if (acceptVia !== 'http') workerJobs.push({ spec: job(acceptVia, 'accept'), offset: offsetAccept, action: 'accept' });
    if (editVia !== 'http') workerJobs.push({ spec: job(editVia, 'edit'), offset: offsetEdit, action: 'edit' });
    const httpAction = acceptVia === 'http' ? 'accept' : editVia === 'http' ? 'edit' : null;
    const [workerResults, http] = await Promise.all([
      kit.pool.run(workerJobs.map((j) => j.spec), { at, offsetsMs: workerJobs.map((j) => j.offset) }),
      serve && httpAction
        ? httpSequence(at + (httpAction === 'accept' ? offsetAccept : offsetEdit), ids.map((id, i) => () =>
          httpAction === 'accept' ? serve.app('acceptProposal', [id]) : serve.app('editProposal', [id, name(i)]),
        ))
        : Promise.resolve([] as CallResult[]),
    ]);
    const calls = [...workerResults.flat(), ...http];
    const decisions = [...workerResults, http].flatMap((list) => list.map((call, i) => ({ id: ids[Math.min(i, ids.length - 1)], call })));
    return { dataDir, calls, violations: decisionsMatch(readSnapshot(dataDir), decisions), check: { watched } };
  },
};
