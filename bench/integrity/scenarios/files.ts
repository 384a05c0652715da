import { randomInt, shuffle } from '../../../main/engine/util/random';
import { decisionsMatch } from '../acks';
import type { Scenario } from '../harness';
import type { JobSpec } from '../pool';
import { httpSequence } from '../serve';
import { readSnapshot } from '../snapshot';
import { seedProposals, writeQuietConfig } from '../seed';

const PROPOSALS = 6;

export type Via = 'cli' | 'engine' | 'http';

interface Actor {
  via: Via;
  action: 'accept' | 'edit';
  /** ms after the barrier. */
  offset: number;
}

/**
 * Accept and edit of the same rename proposals from two processes at once, through two of `doors` (the CLI, an engine
 * held open, serve's app API). Serve answers each decision with a state refresh, so races through it are rarer.
 */
export function acceptVsEditScenario(doors: readonly Via[] = ['cli', 'engine', 'http']): Scenario {
  const title = doors.includes('http') ? '2 of CLI/engine/serve' : doors.join(' + ');
  return {
    id: doors.includes('http') ? 'accept-vs-edit' : `accept-vs-edit-${doors.join('-')}`,
    title: `accept vs edit of one rename proposal (${title})`,
    trials: 25,
    workers: 2,
    allowed: ['alreadyDecided'],
    async trial(kit) {
      const dataDir = kit.folder('data');
      writeQuietConfig(dataDir);
      const { ids, watched } = await seedProposals(dataDir, kit.folder('Screenshots'), PROPOSALS);
      // One accepts, the other edits; who does which, through which door, is drawn per trial.
      const [acceptVia, editVia] = shuffle(kit.rng, doors);
      const serve = acceptVia === 'http' || editVia === 'http' ? await kit.serve(dataDir) : null;
      // The editor goes through the proposals in the opposite order, so the two always meet on one of them.
      const order = { accept: ids, edit: [...ids].reverse() };
      const name = (id: string) => `mine-${editVia}-${ids.indexOf(id)}`;
      // Both must find a proposal pending for the renames themselves to race, a window of a few ms. Workers start within
      // 3 ms of each other; serve's caller takes a different time to get there, so it starts up to 40 ms before or after.
      const [offsetAccept, offsetEdit] = kit.offsets(2, 3);
      const lag = randomInt(kit.rng, 81) - 40;
      const actors: Actor[] = [
        { via: acceptVia, action: 'accept', offset: offsetAccept },
        { via: editVia, action: 'edit', offset: offsetEdit },
      ].map((a) => ({ ...a, offset: a.offset + Math.max(0, a.via === 'http' ? lag : -lag) }) as Actor);
      const workers = actors.filter((a) => a.via !== 'http');
      const viaHttp = actors.find((a) => a.via === 'http');
      const job = ({ via, action }: Actor): JobSpec =>
        via === 'cli'
          ? { kind: 'cli', dataDir, commands: order[action].map((id) => ['files', action, id, ...(action === 'edit' ? [name(id)] : [])]) }
          : { kind: 'engine', dataDir, op: { op: 'proposal', decisions: order[action].map((id) => ({ id, action, name: name(id) })) } };
      const decide = (id: string, action: Actor['action']) =>
        action === 'accept' ? serve!.app('acceptProposal', [id]) : serve!.app('editProposal', [id, name(id)]);
      const at = kit.barrier(300);
      const [workerResults, http] = await Promise.all([
        kit.pool.run(workers.map(job), { at, offsetsMs: workers.map((a) => a.offset) }),
        viaHttp
          ? httpSequence(
              at + viaHttp.offset,
              order[viaHttp.action].map((id) => () => decide(id, viaHttp.action)),
            )
          : [],
      ]);
      const byActor = [...workers, ...(viaHttp ? [viaHttp] : [])];
      const results = [...workerResults, http];
      const calls = results.flat();
      // A killed or crashed job's last call pairs with the proposal it died on.
      const idAt = (a: Actor, i: number) => order[a.action][Math.min(i, ids.length - 1)];
      const decisions = byActor.flatMap((a, k) => results[k].map((call, i) => ({ id: idAt(a, i), call })));
      return { dataDir, calls, violations: decisionsMatch(readSnapshot(dataDir), decisions), check: { watched } };
    },
  };
}

export const acceptVsEdit = acceptVsEditScenario();
