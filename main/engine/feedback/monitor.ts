import type { AbSessions } from '../ab/sessions';
import type { EngineContext } from '../context';
import { nowIso } from '../context';
import type { PromptVersions } from '../prompts/prompt-versions';
import type { Promotion } from '../promotion/promotion';
import { HOUR_MS } from '../util/clock';
import { measureAccuracy, type AccuracyReport } from './accuracy';
import { percent } from '../util/format';

export type Verdict =
  | 'triggered'
  | 'too_few_samples'
  | 'cooling_down'
  | 'healthy'
  | 'testing'
  | 'rolled_back'
  | 'not_evolvable'
  | 'disabled';

export interface CheckResult {
  skill: string;
  verdict: Verdict;
  reason: string;
  accuracy: AccuracyReport;
  checkedAt: string;
}


/**
 * The accuracy monitor: one verdict per skill per check, each recorded with its reason. It also rolls back a
 * promoted version that fell below rollback_threshold once it has sample_size tasks.
 */
export class Monitor {
  constructor(
    private readonly ctx: EngineContext,
    private readonly deps: { prompts: PromptVersions; sessions: AbSessions; promotion: Promotion },
  ) {}

  check(skill: string): CheckResult {
    const result = this.judge(skill);
    this.ctx.db
      .prepare(
        `INSERT INTO monitor_checks (skill, checked_at, verdict, reason, accuracy, samples) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(skill, result.checkedAt, result.verdict, result.reason, result.accuracy.accuracy, result.accuracy.samples);
    return result;
  }

  checkAll(): CheckResult[] {
    return this.ctx.skills.list().map((skill) => this.check(skill.name));
  }

  lastChecks(skill?: string, limit = 20): (Omit<CheckResult, 'accuracy'> & { accuracy: number | null; samples: number })[] {
    const rows = this.ctx.db
      .prepare(
        `SELECT skill, verdict, reason, accuracy, samples, checked_at AS checkedAt FROM monitor_checks
         WHERE (@skill IS NULL OR skill = @skill) ORDER BY id DESC LIMIT @limit`,
      )
      .all({ skill: skill ?? null, limit });
    return rows as (Omit<CheckResult, 'accuracy'> & { accuracy: number | null; samples: number })[];
  }

  private judge(skill: string): CheckResult {
    const { triggers, learning, enabled } = this.ctx.config.config.prompt_evolution;
    const definition = this.ctx.skills.get(skill);
    const checkedAt = nowIso(this.ctx);
    const active = this.deps.prompts.active(skill);
    const accuracy = measureAccuracy(this.ctx, active);
    const verdict = (v: Verdict, reason: string): CheckResult => ({ skill, verdict: v, reason, accuracy, checkedAt });
    const measured = `${percent(accuracy.accuracy)} over ${accuracy.samples} task(s)`;

    if (!definition.evolvable) return verdict('not_evolvable', `${skill} is not evolvable (${measured})`);
    if (this.ctx.config.config.skills[skill]?.enabled === false) return verdict('disabled', `${skill} is turned off in config.yaml`);
    const session = this.deps.sessions.active(skill);
    if (session) return verdict('testing', `A/B session ${session.id} is running (${measured})`);

    // Only a promotion is rolled back automatically: rolling back a rollback would bring the bad version back.
    if (active.history.evolution_source === 'promotion' && accuracy.samples >= triggers.sample_size && accuracy.accuracy !== null
      && accuracy.accuracy < learning.rollback_threshold) {
      const change = this.deps.promotion.rollback(skill, {
        reason: `accuracy ${percent(accuracy.accuracy)} below rollback threshold ${percent(learning.rollback_threshold)}`,
      });
      return verdict('rolled_back', `version ${change.fromVersion} fell to ${measured}, below ${percent(learning.rollback_threshold)}: rolled back to version ${change.toVersion}`);
    }
    if (accuracy.samples < triggers.sample_size) {
      return verdict('too_few_samples', `${accuracy.samples} of ${triggers.sample_size} tasks needed in the window (${percent(accuracy.accuracy)} so far)`);
    }
    if (accuracy.accuracy !== null && accuracy.accuracy >= triggers.accuracy_threshold) {
      return verdict('healthy', `${measured}, at or above ${percent(triggers.accuracy_threshold)}`);
    }
    const last = this.deps.sessions.latest(skill);
    const cooldownEnds = last ? new Date(last.triggered_at).getTime() + triggers.cooldown_hours * HOUR_MS : 0;
    if (last && cooldownEnds > this.ctx.clock.now().getTime()) {
      return verdict('cooling_down', `${measured} is below ${percent(triggers.accuracy_threshold)}, but the last evolution began ${last.triggered_at.slice(0, 16).replace('T', ' ')}; next allowed ${new Date(cooldownEnds).toISOString().slice(0, 16).replace('T', ' ')}`);
    }
    if (!enabled) return verdict('disabled', `${measured} is below ${percent(triggers.accuracy_threshold)}, but prompt evolution is turned off`);
    return verdict('triggered', `${measured} is below ${percent(triggers.accuracy_threshold)}`);
  }
}
