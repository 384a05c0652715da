import type { AbSessions } from '../ab/sessions';
import type { EngineContext } from '../context';
import type { PromptVersions } from '../prompts/prompt-versions';
import { UserError, usageError } from '../util/errors';
import type { Promotion, VersionChange } from './promotion';

export interface ResetResult {
  change: VersionChange;
  /** How to undo it: roll forward to the version that ran before. */
  undo: string;
}

export interface ResetDeps {
  ctx: Pick<EngineContext, 'skills'>;
  prompts: PromptVersions;
  sessions: Pick<AbSessions, 'active'>;
  promotion: Promotion;
  /** Whether an evolution of the skill runs now, in any process of the data folder. */
  evolutionRunning: (skill: string) => boolean;
}

/**
 * "Reset to default prompt" (issue 15 §2): a recorded rollback to the shipped version 1 that keeps every version and
 * the history; undone by rolling forward (`tinyarms prompt rollback <skill> --to <N>`). Refused while the skill has an
 * A/B test or a running evolution (their arms and examples belong to the prompt they started from). Every check runs
 * under the skill's change lock, as a promotion's do.
 */
export function resetToDefault(deps: ResetDeps, skill: string): ResetResult {
  deps.ctx.skills.get(skill);
  return deps.promotion.locked(skill, () => {
    const active = deps.prompts.active(skill);
    if (active.version === 1) throw usageError(`${skill} already runs its default prompt (version 1)`, 'already_default');
    const session = deps.sessions.active(skill);
    if (session) {
      throw new UserError(
        `${skill} has an A/B test running (${session.id}): finish it with \`tinyarms vote\` or promote an arm, then reset`,
        { code: 'session_exists' },
      );
    }
    if (deps.evolutionRunning(skill)) {
      throw new UserError(`an evolution of ${skill} is running: let it finish or cancel it, then reset`, { code: 'evolution_running' });
    }
    const change = deps.promotion.rollback(skill, {
      toVersion: 1,
      reason: 'Reset to the default prompt',
      source: `reset to the default prompt from version ${active.version}`,
    });
    return { change, undo: `tinyarms prompt rollback ${skill} --to ${change.fromVersion}` };
  });
}
