import type { VoteRound } from '../ab/session-types';
import type { Engine } from '../engine';
import { parseOutput } from '../skills/output-parsers';
import { UserError, usageError } from '../util/errors';
import { newId } from '../util/ids';
import type { SkillRunner } from './skill-runner';
import type { TaskRow } from './task-log';

export interface RunTaskRequest {
  skill: string;
  input: string;
  /** Who asked: 'cli', 'api', 'watch' (default 'api'). */
  source?: string;
  /** false: never answer with a vote round, always one output (scripts that need a single answer). */
  allowVote?: boolean;
  taskId?: string;
  signal?: AbortSignal;
}

export type RunTaskResult =
  /** One output, recorded as a task awaiting feedback (`tinyarms task feedback <taskId> ...`). */
  | { kind: 'task'; taskId: string; skill: string; output: string; variant: string | null; promptVersion: number | null; task: TaskRow }
  /** A/B vote round: every arm's output behind blind labels (`tinyarms vote cast <taskId> <label>`). */
  | { kind: 'vote'; taskId: string; skill: string; round: VoteRound };

const EMPTY_ANSWER = '(empty answer)';

/**
 * Runs a skill on one input with its active prompt, or, during an A/B session, with the allocated arm or
 * as a vote round across all arms, and records the task. The CLI's `task run` and the browser-mode server
 * call this; feedback follows later through engine.feedback / engine.vote.
 */
export async function runTask(engine: Engine, runner: SkillRunner, request: RunTaskRequest): Promise<RunTaskResult> {
  const definition = engine.ctx.skills.get(request.skill);
  const skill = definition.name;
  if (engine.ctx.config.config.skills[skill]?.enabled === false) {
    throw new UserError(`skill '${skill}' is disabled in config.yaml (skills.${skill}.enabled)`, { code: 'skill_disabled' });
  }
  const input = request.input.trim();
  if (!input) throw usageError('a task needs a non-empty input');
  const taskId = request.taskId ?? newId('task');
  const source = request.source ?? 'api';
  const run = async (prompt: string, variant: string | null): Promise<string> =>
    parseOutput(definition.output, await runner.run(skill, prompt, input, { signal: request.signal, variant, output: definition.output }));

  const allocation = engine.sessions.allocate(skill, { allowVote: request.allowVote });

  if (allocation.kind === 'vote') {
    // All arms at once: the runtime runs them on separate sequences, batched (and on separate cores on CPU).
    const variants = engine.sessions.variants(allocation.session.id);
    const answers = await Promise.all(variants.map((variant) => run(variant.prompt_template, variant.variant_letter)));
    const outputs = Object.fromEntries(variants.map((variant, i) => [variant.variant_letter, answers[i].trim() || EMPTY_ANSWER]));
    const round = engine.sessions.openRound(allocation.session.id, { taskId, input, outputs });
    return { kind: 'vote', taskId, skill, round };
  }

  const arm = allocation.kind === 'arm' ? allocation.variant : null;
  const active = arm ? null : engine.prompts.active(skill);
  const output = (await run(arm ? arm.prompt_template : active!.prompt, arm?.variant_letter ?? null)).trim();
  if (!output) throw new UserError(`the model gave an empty answer for ${skill}; nothing was recorded`, { code: 'empty_output' });
  const task = engine.recordTask({ skill, input, output, id: taskId, source, variant: arm?.variant_letter, promptVersion: active?.version });
  return { kind: 'task', taskId: task.id, skill, output, variant: arm?.variant_letter ?? null, promptVersion: task.prompt_version, task };
}
