import type { AbSessions } from '../ab/sessions';
import type { EngineContext } from '../context';
import { measureAccuracy } from '../feedback/accuracy';
import { accuracyTrend } from '../feedback/trend';
import type { SkillStats } from '../ports';
import type { PromptVersions } from '../prompts/prompt-versions';
import type { Monitor } from './monitor';

export interface SkillStatsDeps {
  ctx: EngineContext;
  prompts: Pick<PromptVersions, 'active'>;
  sessions: Pick<AbSessions, 'active'>;
  monitor: Pick<Monitor, 'lastChecks'>;
}

/** One skill as the shells report it: its running version, measured accuracy and trend, test and last check. */
export function skillStats(deps: SkillStatsDeps, skill: string): SkillStats {
  const definition = deps.ctx.skills.get(skill);
  const active = deps.prompts.active(skill);
  const accuracy = measureAccuracy(deps.ctx, active);
  const last = deps.monitor.lastChecks(skill, 1)[0];
  return {
    skill,
    description: definition.description,
    evolvable: definition.evolvable,
    version: active.version,
    activeSince: active.history.active_from,
    accuracy,
    trend: accuracyTrend(deps.ctx, active),
    recentFailures: accuracy.samples - accuracy.successes,
    session: deps.sessions.active(skill) ?? null,
    lastCheck: last ? { verdict: last.verdict, reason: last.reason, checkedAt: last.checkedAt } : null,
    problem: active.problem,
  };
}
