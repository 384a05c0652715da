import type { SessionRow } from '../ab/session-types';
import { tryConclude, type Conclusion, type ConcludeDeps } from '../promotion/conclude';
import { isUserError } from '../util/errors';
import { percent } from '../util/format';
import type { CheckResult, Monitor } from './monitor';

/** What a monitor run did: every check, the sessions it concluded and started, and what it could not start. */
export interface MonitorRun {
  checks: CheckResult[];
  concluded: Conclusion[];
  started: SessionRow[];
  /** Triggered skills that got no session, and why. */
  pending: { skill: string; reason: string }[];
}

export interface MonitorRunDeps extends ConcludeDeps {
  monitor: Pick<Monitor, 'assess' | 'record'>;
  /** The monthly suggestion to reset a drifted skill (status/reset-reminder.ts), considered at each check that is not a rollback. */
  remindReset: (skill: string) => void;
  /** Whether an evolution can start at all (a variant generator is wired). */
  canEvolve: () => boolean;
  /** Starts the evolution of a skill whose accuracy dropped. */
  evolveDropped: (skill: string) => Promise<SessionRow>;
}

/**
 * One skill's check: the monitor's verdict, with the rollback it asks for applied here (a promoted version
 * that fell below rollback_threshold), and the result recorded.
 */
export function checkSkill(deps: Pick<MonitorRunDeps, 'ctx' | 'monitor' | 'promotion' | 'remindReset'>, skill: string): CheckResult {
  const result = deps.monitor.assess(skill);
  if (result.verdict !== 'rollback_due') {
    deps.remindReset(skill);
    return deps.monitor.record(result);
  }
  const threshold = deps.ctx.config.config.prompt_evolution.learning.rollback_threshold;
  try {
    const change = deps.promotion.rollback(skill, {
      reason: `accuracy ${percent(result.accuracy.accuracy)} below rollback threshold ${percent(threshold)}`,
    });
    return deps.monitor.record({
      ...result,
      verdict: 'rolled_back',
      reason: `${result.reason}: rolled back to version ${change.toVersion}`,
    });
  } catch (error) {
    if (!isUserError(error)) throw error;
    return deps.monitor.record({ ...result, reason: `${result.reason}; the rollback could not be made now: ${error.message}` });
  }
}

/** The scheduled check: conclude expired sessions, judge every skill, start evolutions where triggered. */
export async function runMonitor(deps: MonitorRunDeps, options: { skill?: string; startEvolutions?: boolean } = {}): Promise<MonitorRun> {
  const concluded: Conclusion[] = [];
  const pending: MonitorRun['pending'] = [];
  for (const session of deps.sessions.list({ status: 'active', skill: options.skill })) {
    const results = deps.sessions.results(session.id);
    if (results.decision.kind === 'continue') continue;
    const { conclusion, error } = tryConclude(deps, results);
    if (conclusion) concluded.push(conclusion);
    else pending.push({ skill: session.skill, reason: `its A/B test has a decision that could not be applied yet: ${error}` });
  }
  const skills = options.skill ? [options.skill] : deps.ctx.skills.list().map((s) => s.name);
  const checks = skills.map((skill) => checkSkill(deps, skill));
  const started: SessionRow[] = [];
  for (const check of checks.filter((c) => c.verdict === 'triggered')) {
    if (options.startEvolutions === false) {
      pending.push({ skill: check.skill, reason: 'evolution is paused' });
      continue;
    }
    if (!deps.canEvolve()) {
      pending.push({
        skill: check.skill,
        reason: 'no model to evolve with: `tinyarms model pull`, or create variants with `tinyarms prompt create`',
      });
      continue;
    }
    try {
      started.push(await deps.evolveDropped(check.skill));
    } catch (error) {
      pending.push({ skill: check.skill, reason: (error as Error).message });
    }
  }
  return { checks, concluded, started, pending };
}
