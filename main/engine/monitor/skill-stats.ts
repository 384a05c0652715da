import type { AbSessions } from '../ab/sessions';
import type { SessionRow } from '../ab/session-types';
import type { EngineContext } from '../context';
import { measureAccuracy, type AccuracyReport } from '../feedback/accuracy';
import { accuracyTrend, type AccuracyTrend } from '../feedback/trend';
import type { PromptVersions } from '../prompts/prompt-versions';
import type { Monitor } from './monitor';

/** One skill as the engine reports it; its services and the shells share this shape. */
export interface SkillStats {
  skill: string;
  description: string;
  evolvable: boolean;
  version: number;
  activeSince: string;
  accuracy: AccuracyReport;
  /** Where accuracy is heading (a regression over the last two windows) and what it was a window ago. */
  trend: AccuracyTrend;
  recentFailures: number;
  session: SessionRow | null;
  lastCheck: { verdict: string; reason: string; checkedAt: string } | null;
  /** The running version's file cannot be used (see ActivePrompt.problem); null when fine. */
  problem: string | null;
}

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
