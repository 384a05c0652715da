import type { AbSessions } from '../ab/sessions';
import type { EngineContext } from '../context';
import { nowIso } from '../context';
import { measureAccuracy, type AccuracyReport } from '../feedback/accuracy';
import type { PromptVersions } from '../prompts/prompt-versions';
import { writeTransaction } from '../store/database';
import { judge, type Verdict } from './verdict';

export type { Verdict } from './verdict';

export interface CheckResult {
  skill: string;
  verdict: Verdict;
  reason: string;
  accuracy: AccuracyReport;
  checkedAt: string;
}

export type RecordedCheck = Omit<CheckResult, 'accuracy'> & { accuracy: number | null; samples: number };

/** The accuracy monitor: reads what a verdict needs, judges it (a pure rule), and keeps every verdict with its reason. */
export class Monitor {
  constructor(
    private readonly ctx: EngineContext,
    private readonly deps: { prompts: PromptVersions; sessions: Pick<AbSessions, 'active' | 'latest'> },
  ) {}

  /** The verdict for one skill now; nothing is written (see record). */
  assess(skill: string): CheckResult {
    const definition = this.ctx.skills.get(skill);
    const active = this.deps.prompts.active(skill);
    const accuracy = measureAccuracy(this.ctx, active);
    const now = this.ctx.clock.now();
    const { verdict, reason } = judge({
      skill,
      evolvable: definition.evolvable,
      config: this.ctx.config.config,
      accuracy,
      versionSource: active.history.evolution_source,
      version: active.version,
      activeSession: this.deps.sessions.active(skill) ?? null,
      lastSessionAt: this.deps.sessions.latest(skill)?.triggered_at ?? null,
      now,
    });
    return { skill, verdict, reason, accuracy, checkedAt: now.toISOString() };
  }

  record(result: CheckResult): CheckResult {
    writeTransaction(this.ctx.db, () =>
      this.ctx.db
        .prepare(`INSERT INTO monitor_checks (skill, checked_at, verdict, reason, accuracy, samples) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(
          result.skill,
          result.checkedAt ?? nowIso(this.ctx),
          result.verdict,
          result.reason,
          result.accuracy.accuracy,
          result.accuracy.samples,
        ),
    );
    return result;
  }

  lastChecks(skill?: string, limit = 20): RecordedCheck[] {
    return this.ctx.db
      .prepare(
        `SELECT skill, verdict, reason, accuracy, samples, checked_at AS checkedAt FROM monitor_checks
         WHERE (@skill IS NULL OR skill = @skill) ORDER BY id DESC LIMIT @limit`,
      )
      .all({ skill: skill ?? null, limit }) as RecordedCheck[];
  }
}
