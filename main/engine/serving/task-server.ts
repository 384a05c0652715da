import type { AbSessions } from '../ab/sessions';
import type { SessionResults, VoteRound } from '../ab/session-types';
import type { EngineContext } from '../context';
import type { Feedback, NewTask, TaskLog, TaskRow } from '../feedback/task-log';
import type { PromptVersions } from '../prompts/prompt-versions';
import type { Conclusion } from '../promotion/conclude';
import { parseOutput } from '../skills/output-parsers';
import { writeTransaction } from '../store/database';
import { UserError, usageError } from '../util/errors';
import { newId } from '../util/ids';
import type { Answer, ServeRequest, Served, SkillRunner } from './types';

export interface Answered {
  /** The task row after the answer; null for a vote of 'none' or 'skip' (such a round records no task). */
  task: TaskRow | null;
  round: VoteRound | null;
  /** The session's tally after the vote (and its conclusion); null for an answer without a vote. */
  results: SessionResults | null;
  /** The same answer was already recorded: nothing changed. */
  duplicate: boolean;
  conclusion: Conclusion | null;
  /** A decision that is ready but could not be applied now (it is retried by the next vote or monitor run). */
  conclusionError: string | null;
}

export interface TaskServerDeps {
  ctx: EngineContext;
  sessions: AbSessions;
  prompts: PromptVersions;
  tasks: TaskLog;
  /** Concludes a session whose just-computed tally is final. */
  conclude: (results: SessionResults) => { conclusion: Conclusion | null; error: string | null };
}

const EMPTY_ANSWER = '(empty answer)';

/**
 * The one way a skill task is served and answered, for the CLI, the task API, watched files and the app.
 * serve(): the current prompt, or during an A/B test one arm (Thompson sampling) or a vote round of every
 * arm, run on the model and recorded. answer(): the person's vote and verdict, in one write transaction.
 */
export class TaskServer {
  constructor(private readonly deps: TaskServerDeps) {}

  async serve(runner: SkillRunner, request: ServeRequest): Promise<Served> {
    const { ctx, sessions, prompts } = this.deps;
    const definition = ctx.skills.get(request.skill);
    const skill = definition.name;
    if (ctx.config.config.skills[skill]?.enabled === false) {
      throw new UserError(`skill '${skill}' is turned off in config.yaml (skills.${skill}.enabled)`, { code: 'skill_disabled' });
    }
    const input = request.input.trim();
    if (!input) throw usageError('a task needs a non-empty input');
    const taskId = request.taskId ?? newId('task');
    const source = request.source ?? 'api';
    const present = request.present ?? ((output: string) => output.trim());
    const run = async (prompt: string, variant: string | null): Promise<string> =>
      present(
        parseOutput(
          definition.output,
          await runner.run(skill, prompt, input, { signal: request.signal, variant, output: definition.output }),
        ),
      );

    const allocation = sessions.allocate(skill, { allowVote: request.allowVote });
    if (allocation.kind === 'vote') {
      // All arms at once: the runtime runs them on separate sequences, batched.
      const variants = sessions.variants(allocation.session.id);
      const answers = await Promise.all(variants.map((variant) => run(variant.prompt_template, variant.variant_letter)));
      const outputs = Object.fromEntries(variants.map((variant, i) => [variant.variant_letter, answers[i] || EMPTY_ANSWER]));
      const round = sessions.openRound(allocation.session.id, { taskId, input, outputs });
      return { kind: 'vote', taskId, skill, round };
    }

    const arm = allocation.kind === 'arm' ? allocation.variant : null;
    const active = arm ? null : prompts.active(skill);
    if (active?.problem)
      throw new UserError(`${skill}: ${active.problem}; roll back with \`tinyarms prompt rollback ${skill}\``, { code: 'broken_version' });
    const output = await run(arm ? arm.prompt_template : active!.prompt, arm?.variant_letter ?? null);
    if (!output) throw new UserError(`the model gave an empty answer for ${skill}; nothing was recorded`, { code: 'empty_output' });
    const task = this.record({ skill, input, output, id: taskId, source, variant: arm?.variant_letter, promptVersion: active?.version });
    return { kind: 'task', taskId: task.id, skill, output, variant: arm?.variant_letter ?? null, promptVersion: task.prompt_version, task };
  }

  /** The templates a task of the skill is served with now: every arm of its A/B test, else the active prompt. */
  servedTemplates(skill: string): string[] {
    const { ctx, sessions, prompts } = this.deps;
    if (ctx.config.config.skills[skill]?.enabled === false) return [];
    const session = sessions.active(skill);
    if (session) return sessions.variants(session.id).map((variant) => variant.prompt_template);
    const active = prompts.active(skill);
    return active.problem ? [] : [active.prompt];
  }

  /** Records a skill run that happened elsewhere, with the person's verdict when it is already known. */
  record(task: NewTask & { variant?: string | null }, feedback?: Feedback): TaskRow {
    const { sessions, prompts, tasks } = this.deps;
    return writeTransaction(this.deps.ctx.db, () => {
      let row: TaskRow;
      if (task.variant) {
        const session = sessions.active(task.skill);
        if (!session) throw usageError(`${task.skill} has no active A/B session, so there is no variant '${task.variant}'`, 'no_session');
        const variant = sessions.variant(session.id, task.variant);
        row = tasks.record({ ...task, variantId: variant.id, sessionId: session.id, promptVersion: null });
        sessions.recordResult({
          id: `res_${row.id}`,
          sessionId: session.id,
          variantId: variant.id,
          taskId: row.id,
          userChoice: null,
          at: row.created_at,
        });
      } else {
        row = tasks.record({ ...task, promptVersion: task.promptVersion ?? prompts.active(task.skill).version });
      }
      return feedback ? tasks.feedback(row.id, feedback).task : row;
    });
  }

  /**
   * The person's answer: a vote on the task's round and/or a verdict on its output, committed together.
   * The same answer again is a duplicate that changes nothing; a different one is refused. A verdict after a
   * vote of 'none' or 'skip' has no output to judge and is refused. A vote that makes the test's decision
   * final concludes the session right after.
   */
  answer(taskId: string, answer: Answer): Answered {
    if (answer.vote === undefined && answer.feedback === undefined) throw usageError('an answer needs a vote or a verdict');
    const { duplicate, sessionId } = writeTransaction(this.deps.ctx.db, () => this.answerInTransaction(taskId, answer));
    const task = this.deps.tasks.get(taskId) ?? null;
    if (!sessionId) return { task, round: null, results: null, duplicate, conclusion: null, conclusionError: null };
    const settled = this.settle(sessionId);
    return {
      task,
      round: this.deps.sessions.round(taskId, settled.results),
      results: settled.results,
      duplicate,
      conclusion: settled.conclusion,
      conclusionError: settled.error,
    };
  }

  /** After a vote commits: concludes the session when its decision became final; returns the tally as it is then. */
  settle(sessionId: string): { results: SessionResults; conclusion: Conclusion | null; error: string | null } {
    const results = this.deps.sessions.results(sessionId);
    if (results.decision.kind === 'continue' || results.session.status !== 'active') return { results, conclusion: null, error: null };
    const { conclusion, error } = this.deps.conclude(results);
    return { results: this.deps.sessions.results(sessionId), conclusion, error };
  }

  /** answer()'s checks and writes, for a caller that commits more with them (a rename and its log entry). */
  answerInTransaction(taskId: string, answer: Answer): { duplicate: boolean; sessionId: string | null } {
    const { sessions, tasks } = this.deps;
    let duplicate = true;
    let sessionId: string | null = null;
    if (answer.vote !== undefined) {
      duplicate = sessions.voteInTransaction(taskId, answer.vote);
      const round = sessions.round(taskId);
      sessionId = round.sessionId;
      if (answer.feedback && round.status !== 'picked') {
        throw usageError(
          `task '${taskId}' was answered '${round.status === 'none' ? 'none is good' : 'skip'}': there is no output to give a verdict on`,
        );
      }
    } else if (!tasks.get(taskId) && sessions.hasRound(taskId)) {
      throw usageError(`task '${taskId}' is a vote round: answer it with a vote (an option label, none or skip)`, 'vote_needed');
    }
    if (answer.feedback) duplicate = !tasks.feedback(taskId, answer.feedback).changed && duplicate;
    return { duplicate, sessionId };
  }
}
