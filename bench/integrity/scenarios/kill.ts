import { pickFrom, randomInt, shuffle, type Rng } from '../../../main/engine/util/random';
import { answersMatch, feedbackMatches, recordsKept, versionChangesMatch } from '../acks';
import type { CallResult } from '../calls';
import { coldCli } from '../cold-cli';
import type { Scenario } from '../harness';
import type { JobSpec } from '../pool';
import type { EngineOp } from '../protocol';
import { httpSequence, SERVE_POLL_MS } from '../serve';
import { readSnapshot } from '../snapshot';
import { copyFolder, seedPromotedVersions, seedRounds, seedServedTasks, seedSession, SKILL } from '../seed';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CLI_WORKERS = 3;
const COMMANDS = 4;
/** The warm CLI processes, the engine, serve's HTTP caller and one cold `node bin/tinyarms.mjs` process. */
const ACTORS = CLI_WORKERS + 3;

interface Template {
  rounds: string[];
  served: string[];
}

/** One intended write, with how each door asks for it; its results are matched back by kind. */
type Intent =
  | { kind: 'vote'; taskId: string; choice: string }
  | { kind: 'feedback'; taskId: string; outcome: 'accepted' | 'rejected' }
  | { kind: 'record'; id: string }
  | { kind: 'rollback'; to: number }
  | { kind: 'promote'; letter: string };

/** One write drawn for an actor from its own rounds and tasks (actors never race each other here: kills are the test). */
function drawIntent(rng: Rng, t: Template, label: string, versions: boolean): Intent {
  const kinds = ['vote', 'vote', 'feedback', 'feedback', 'record', ...(versions ? (['rollback', 'promote'] as const) : [])] as const;
  switch (pickFrom(rng, kinds)) {
    case 'vote':
      return { kind: 'vote', taskId: pickFrom(rng, t.rounds), choice: pickFrom(rng, ['1', '2', '3', 'none', 'skip']) };
    case 'feedback':
      return { kind: 'feedback', taskId: pickFrom(rng, t.served), outcome: pickFrom(rng, ['accepted', 'rejected'] as const) };
    case 'record':
      return { kind: 'record', id: `kill-${label}` };
    case 'rollback':
      return { kind: 'rollback', to: 1 + randomInt(rng, 3) };
    case 'promote':
      return { kind: 'promote', letter: pickFrom(rng, ['A', 'B', 'C']) };
  }
}

function cliArgs(i: Intent): string[] {
  switch (i.kind) {
    case 'vote':
      return ['vote', 'cast', i.taskId, i.choice];
    case 'feedback':
      return ['task', 'feedback', i.taskId, i.outcome];
    case 'record':
      return [
        'task',
        'record',
        SKILL,
        '--input',
        `${i.id}.png`,
        '--output',
        `${i.id}-named.png`,
        '--task-id',
        i.id,
        '--outcome',
        'accepted',
      ];
    case 'rollback':
      return ['prompt', 'rollback', SKILL, '--to', String(i.to)];
    case 'promote':
      return ['prompt', 'promote', SKILL, i.letter];
  }
}

function engineOp(i: Intent): EngineOp {
  switch (i.kind) {
    case 'vote':
      return { op: 'vote', votes: [{ taskId: i.taskId, choice: i.choice }] };
    case 'feedback':
      return { op: 'feedback', items: [{ taskId: i.taskId, outcome: i.outcome }] };
    case 'record': {
      const task = { id: i.id, skill: SKILL, input: `${i.id}.png`, output: `${i.id}-named.png`, outcome: 'accepted' as const };
      return { op: 'record', tasks: [task] };
    }
    case 'rollback':
      return { op: 'rollback', skill: SKILL, to: i.to };
    case 'promote':
      return { op: 'promote', skill: SKILL, letter: i.letter };
  }
}

/**
 * kill -9 at random moments while serve runs: CLI processes and an engine each run a few seeded writes on their own
 * rounds and tasks (votes, feedback, records; the first CLI process also rollbacks and promotions), and 1 to 4 of
 * them are SIGKILLed 0–150 ms after the barrier; a cold `node bin/tinyarms.mjs` process is killed after 0.3–1.2 s.
 * Serve gets a look at whatever was left, then the next start-up recovers and the invariants are checked. Without
 * version changes it isolates kills from the version races serve loses today (phantom 'imported' versions).
 */
export function killNineScenario(options: { versions: boolean }): Scenario<Template> {
  return {
    id: options.versions ? 'kill-9-serve' : 'kill-9-serve-no-versions',
    title: `kill -9 at random moments, serve running (4 CLI + engine + HTTP${options.versions ? '' : ', no version changes'})`,
    trials: 30,
    workers: CLI_WORKERS + 1,
    allowed: ['alreadyAnswered', 'feedbackExists', 'promotionBusy', 'alreadyPromoted', 'sameVersion', 'sessionClosed'],
    prepare: async (folder) => {
      await seedPromotedVersions(folder, 3);
      await seedSession(folder);
      const served = Array.from({ length: 2 * ACTORS }, (_, i) => `served-${i}`);
      await seedServedTasks(folder, served, 'B');
      return { rounds: await seedRounds(folder, 2 * ACTORS), served };
    },
    async trial(kit, template) {
      const dataDir = copyFolder(template.folder, kit.folder('data'));
      const serve = await kit.serve(dataDir);
      const before = readSnapshot(dataDir);
      // Each actor has its own rounds and tasks; only the first CLI process changes versions (if the scenario does).
      const { rounds, served } = template.data;
      const own = (a: number): Template => ({ rounds: rounds.slice(2 * a, 2 * a + 2), served: served.slice(2 * a, 2 * a + 2) });
      const intents = Array.from({ length: CLI_WORKERS }, (_, w) =>
        Array.from({ length: COMMANDS }, (_, k) => drawIntent(kit.rng, own(w), `${kit.trial}-${w}-${k}`, options.versions && w === 0)),
      );
      const engineIntent = drawIntent(kit.rng, own(CLI_WORKERS), `${kit.trial}-engine`, false);
      const httpIntents = own(CLI_WORKERS + 1).rounds.map((taskId) => ({ taskId, choice: pickFrom(kit.rng, ['1', '2', 'none']) }));
      const coldIntent = drawIntent(kit.rng, own(CLI_WORKERS + 2), `${kit.trial}-cold`, false);
      // Its start-up takes about half a second, so a kill after 0.3–1.2 s lands in start-up or in the write.
      const coldKillMs = 300 + randomInt(kit.rng, 901);
      const jobs: JobSpec[] = [
        ...intents.map((list): JobSpec => ({ kind: 'cli', dataDir, commands: list.map(cliArgs) })),
        { kind: 'engine', dataDir, op: engineOp(engineIntent) },
      ];
      const victims = shuffle(
        kit.rng,
        jobs.map((_, i) => i),
      ).slice(0, 1 + randomInt(kit.rng, jobs.length));
      const killAfterMs = new Map(victims.map((i) => [i, randomInt(kit.rng, 151)]));
      const at = kit.barrier(300);
      const offsets = kit.offsets(jobs.length + 1, 20);
      const [results, http, cold] = await Promise.all([
        kit.pool.run(jobs, { at, offsetsMs: offsets, killAfterMs }),
        httpSequence(
          at + offsets[jobs.length],
          httpIntents.map((v) => () => serve.app('vote', [v.taskId, v.choice])),
        ),
        coldCli(dataDir, cliArgs(coldIntent), { killAfterMs: coldKillMs }),
      ]);
      await sleep(SERVE_POLL_MS + 500);

      // Pair every reported call with the intent it carried out (a killed job's last call is its killed one).
      const all = [...intents, [engineIntent]];
      const done = results.flatMap((calls, j) => calls.map((call, k) => ({ intent: all[j][Math.min(k, all[j].length - 1)], call })));
      done.push(...http.map((call, k) => ({ intent: { kind: 'vote', ...httpIntents[k] } as Intent, call })));
      done.push({ intent: coldIntent, call: cold });
      type Done<K extends Intent['kind']> = { intent: Extract<Intent, { kind: K }>; call: CallResult };
      const of = <K extends Intent['kind']>(kind: K) => done.filter((d) => d.intent.kind === kind) as Done<K>[];
      const known = (d: { call: CallResult }) => !d.call.killed;
      const after = readSnapshot(dataDir);
      return {
        dataDir,
        calls: done.map((d) => d.call),
        violations: [
          ...versionChangesMatch(before, after, { promote: of('promote').map((d) => d.call), rollback: of('rollback').map((d) => d.call) }),
          ...answersMatch(
            after,
            of('vote')
              .filter(known)
              .map((d) => ({ taskId: d.intent.taskId, choice: d.intent.choice, call: d.call })),
          ),
          ...feedbackMatches(
            after,
            of('feedback')
              .filter(known)
              .map((d) => ({ ...d.intent, call: d.call })),
          ),
          ...recordsKept(
            after,
            of('record')
              .filter(known)
              .map((d) => ({ id: d.intent.id, outcome: 'accepted', call: d.call })),
          ),
        ],
      };
    },
  };
}

export const killNine = killNineScenario({ versions: true });
