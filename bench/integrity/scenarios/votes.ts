import { pickFrom, shuffle } from '../../../main/engine/util/random';
import { answersMatch, feedbackMatches, type Answer, type FeedbackCall } from '../acks';
import type { CallResult } from '../calls';
import type { Scenario, TrialKit } from '../harness';
import type { JobSpec } from '../pool';
import { httpSequence } from '../serve';
import { readSnapshot } from '../snapshot';
import { copyFolder, seedRounds, seedServedTasks, seedSession } from '../seed';

// Votes and feedback on the same rounds and tasks from several processes at once: a CLI process, an engine held
// open (the app), and serve's two doors (the app API the page uses, the task API other tools use).

const ROUNDS = 3;
const TASKS = 5;

type Actor = 'cli' | 'engine' | 'http-app' | 'http-task';

interface Plan<T> {
  actor: Actor;
  items: T[];
}

/** Runs each actor's items one after another, every actor starting at the same barrier (with seeded jitter). */
async function runPlans<T>(
  kit: TrialKit,
  dataDir: string,
  plans: Plan<T>[],
  how: {
    cli: (item: T) => string[];
    engine: (items: T[]) => JobSpec;
    app: (item: T) => Promise<CallResult>;
    task: (item: T) => Promise<CallResult>;
  },
): Promise<{ item: T; call: CallResult }[]> {
  const at = kit.barrier(300);
  const offsets = kit.offsets(plans.length, 15);
  const workerPlans = plans.filter((p) => p.actor === 'cli' || p.actor === 'engine');
  const jobs = workerPlans.map(
    (p): JobSpec => (p.actor === 'cli' ? { kind: 'cli', dataDir, commands: p.items.map(how.cli) } : how.engine(p.items)),
  );
  const [workerResults, ...httpResults] = await Promise.all([
    kit.pool.run(jobs, { at, offsetsMs: workerPlans.map((p) => offsets[plans.indexOf(p)]) }),
    ...plans
      .filter((p) => p.actor === 'http-app' || p.actor === 'http-task')
      .map((p) => {
        const calls = p.items.map((item) => () => (p.actor === 'http-app' ? how.app(item) : how.task(item)));
        return httpSequence(at + offsets[plans.indexOf(p)], calls);
      }),
  ]);
  const byPlan = [...workerResults, ...httpResults];
  const ordered = [...workerPlans, ...plans.filter((p) => p.actor === 'http-app' || p.actor === 'http-task')];
  // A killed or crashed job reports fewer calls than items; the extra (killed) call pairs with the item it died in.
  return ordered.flatMap((plan, i) => byPlan[i].map((call, k) => ({ item: plan.items[Math.min(k, plan.items.length - 1)], call })));
}

function voteScenario(id: string, title: string, conflicting: boolean): Scenario<string[]> {
  const actors: Actor[] = conflicting ? ['cli', 'engine', 'http-app', 'http-task'] : ['cli', 'cli', 'engine', 'http-app', 'http-task'];
  return {
    id,
    title,
    trials: 15,
    workers: actors.filter((a) => a === 'cli' || a === 'engine').length,
    allowed: conflicting ? ['alreadyAnswered'] : [],
    prepare: async (folder) => {
      await seedSession(folder);
      return seedRounds(folder, ROUNDS);
    },
    async trial(kit, template) {
      const dataDir = copyFolder(template.folder, kit.folder('data'));
      const serve = await kit.serve(dataDir);
      // Conflicting: every actor answers each round differently. Repeated: every actor sends the same answer.
      const perRound = template.data.map((): string[] => {
        if (conflicting) return shuffle(kit.rng, ['1', '2', 'none', 'skip']);
        const one = pickFrom(kit.rng, ['1', '2', '3', 'none', 'skip']);
        return actors.map(() => one);
      });
      const plans: Plan<{ taskId: string; choice: string }>[] = actors.map((actor, k) => ({
        actor,
        items: template.data.map((taskId, r) => ({ taskId, choice: perRound[r][k] })),
      }));
      const done = await runPlans(kit, dataDir, plans, {
        cli: (v) => ['vote', 'cast', v.taskId, v.choice],
        engine: (items) => ({ kind: 'engine', dataDir, op: { op: 'vote', votes: items } }),
        app: (v) => serve.app('vote', [v.taskId, v.choice]),
        task: (v) => serve.task('feedback', { taskId: v.taskId, choice: v.choice }),
      });
      const answers: Answer[] = done.filter((d) => !d.call.killed).map((d) => ({ ...d.item, call: d.call }));
      return { dataDir, calls: done.map((d) => d.call), violations: answersMatch(readSnapshot(dataDir), answers) };
    },
  };
}

export const voteConflict = voteScenario('vote-conflict', 'conflicting votes on one round (CLI + engine + 2×HTTP)', true);
export const voteRepeat = voteScenario('vote-repeat', 'the same vote from 5 processes (2 CLI + engine + 2×HTTP)', false);

type Verdict = { taskId: string; outcome: 'accepted' | 'edited' | 'rejected'; final?: string };

function feedbackScenario(id: string, title: string, conflicting: boolean): Scenario<string[]> {
  const actors: Actor[] = ['cli', 'cli', 'engine', 'http-task'];
  return {
    id,
    title,
    trials: conflicting ? 15 : 12,
    workers: 3,
    allowed: conflicting ? ['feedbackExists'] : [],
    prepare: async (folder) => {
      await seedSession(folder);
      const ids = Array.from({ length: TASKS }, (_, i) => `served-${i}`);
      // Arm-served tasks (no vote round) waiting for the user's verdict, spread over the three arms.
      for (const [i, letter] of ['A', 'B', 'C'].entries())
        await seedServedTasks(
          folder,
          ids.filter((_, k) => k % 3 === i),
          letter,
        );
      return ids;
    },
    async trial(kit, template) {
      const dataDir = copyFolder(template.folder, kit.folder('data'));
      const serve = await kit.serve(dataDir);
      const verdicts = (taskId: string): Verdict[] => [
        { taskId, outcome: 'accepted' },
        { taskId, outcome: 'rejected' },
        { taskId, outcome: 'edited', final: `mine-${taskId}.png` },
      ];
      const perTask = template.data.map((taskId) => {
        const options = verdicts(taskId);
        if (!conflicting) {
          const one = pickFrom(kit.rng, options);
          return actors.map(() => one);
        }
        // Three different verdicts and one repeat of one of them.
        const order = shuffle(kit.rng, options);
        return [...order, pickFrom(kit.rng, order)];
      });
      const plans: Plan<Verdict>[] = actors.map((actor, k) => ({ actor, items: perTask.map((t) => t[k]) }));
      const done = await runPlans(kit, dataDir, plans, {
        cli: (f) => ['task', 'feedback', f.taskId, f.outcome, ...(f.final ? ['--final', f.final] : [])],
        engine: (items) => ({ kind: 'engine', dataDir, op: { op: 'feedback', items } }),
        app: () => Promise.reject(new Error('feedback has no app API method')),
        task: (f) => serve.task('feedback', { taskId: f.taskId, outcome: f.outcome, ...(f.final ? { final: f.final } : {}) }),
      });
      const items: FeedbackCall[] = done.filter((d) => !d.call.killed).map((d) => ({ ...d.item, call: d.call }));
      return { dataDir, calls: done.map((d) => d.call), violations: feedbackMatches(readSnapshot(dataDir), items) };
    },
  };
}

export const feedbackConflict = feedbackScenario(
  'feedback-conflict',
  'conflicting feedback on arm-served tasks (2 CLI + engine + HTTP)',
  true,
);
export const feedbackRepeat = feedbackScenario('feedback-repeat', 'the same feedback from 4 processes (2 CLI + engine + HTTP)', false);
