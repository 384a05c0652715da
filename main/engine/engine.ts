import fs from 'node:fs';
import { AbSessions } from './ab/sessions';
import type { SessionResults, SessionRow, VariantSpec, VoteOutcome } from './ab/session-types';
import { ConfigStore } from './config/config-store';
import type { EngineContext } from './context';
import { measureAccuracy, type AccuracyReport } from './feedback/accuracy';
import { Monitor, type CheckResult } from './feedback/monitor';
import { TaskLog, type Feedback, type NewTask, type TaskRow } from './feedback/task-log';
import { databaseFile, resolveDataDir } from './data-paths';
import { PromptVersions, type ActivePrompt } from './prompts/prompt-versions';
import { concludeSession, type Conclusion } from './promotion/conclude';
import { Promotion, type VersionChange } from './promotion/promotion';
import { SkillRegistry } from './skills/skill-registry';
import { openDatabase } from './store/database';
import { DAY_MS, systemClock, type Clock } from './util/clock';
import { isUserError, UserError, usageError } from './util/errors';
import { createRng } from './util/random';

export interface EvolutionRequest {
  skill: string;
  active: ActivePrompt;
  failures: TaskRow[];
  count: number;
}

/** A generator's answer: the arms, whether the session needs review, and a hook told the session it became. */
export interface GeneratedVariants {
  variants: VariantSpec[];
  needsReview?: boolean;
  onSession?: (session: SessionRow) => void;
}

/** Produces an A/B session's arms; main/engine/evolution's PromptBreeder plugs in here. */
export type VariantGenerator = (request: EvolutionRequest) => Promise<VariantSpec[] | GeneratedVariants>;

export interface EngineOptions {
  dataDir?: string | null;
  clock?: Clock;
  seed?: number | string;
  bundledSkillsDir?: string;
  /** The shipped defaults.yaml; the packaged app passes it because bundling moves import.meta.url. */
  defaultsFile?: string;
  variantGenerator?: VariantGenerator | null;
}

export interface SkillStats {
  skill: string;
  description: string;
  evolvable: boolean;
  version: number;
  activeSince: string;
  accuracy: AccuracyReport;
  recentFailures: number;
  session: SessionRow | null;
  lastCheck: { verdict: string; reason: string; checkedAt: string } | null;
}

export interface MonitorRun {
  checks: CheckResult[];
  concluded: Conclusion[];
  started: SessionRow[];
  /** Triggered skills that got no session, and why. */
  pending: { skill: string; reason: string }[];
}

/** The engine: one data folder's database, configuration and skills, and every decision made on them. */
export class Engine {
  readonly ctx: EngineContext;
  readonly prompts: PromptVersions;
  readonly tasks: TaskLog;
  readonly sessions: AbSessions;
  readonly promotion: Promotion;
  readonly monitor: Monitor;
  private variantGenerator: VariantGenerator | null;

  private constructor(ctx: EngineContext, options: EngineOptions) {
    this.ctx = ctx;
    this.prompts = new PromptVersions(ctx);
    this.tasks = new TaskLog(ctx);
    this.sessions = new AbSessions(ctx, this.prompts);
    this.promotion = new Promotion(ctx, this.prompts);
    this.monitor = new Monitor(ctx, { prompts: this.prompts, sessions: this.sessions, promotion: this.promotion });
    this.variantGenerator = options.variantGenerator ?? null;
  }

  static open(options: EngineOptions = {}): Engine {
    const dataDir = resolveDataDir({ dataDir: options.dataDir });
    fs.mkdirSync(dataDir, { recursive: true });
    const db = openDatabase(databaseFile(dataDir));
    const config = new ConfigStore({ dataDir, defaultsFile: options.defaultsFile });
    const ctx: EngineContext = {
      dataDir,
      db,
      config,
      skills: new SkillRegistry({ dataDir, bundledDir: options.bundledSkillsDir }),
      clock: options.clock ?? systemClock,
      rng: createRng(options.seed ?? `${Date.now()}-${process.pid}-${Math.random()}`),
    };
    const engine = new Engine(ctx, options);
    engine.promotion.recover();
    config.load();
    return engine;
  }

  get dataDir(): string {
    return this.ctx.dataDir;
  }

  setVariantGenerator(generator: VariantGenerator | null): void {
    this.variantGenerator = generator;
  }

  close(): void {
    this.ctx.db.close();
  }

  /** Records a skill run, with the user's verdict when it is already known. */
  recordTask(task: NewTask & { variant?: string | null }, feedback?: Feedback): TaskRow {
    const run = this.ctx.db.transaction(() => {
      let row: TaskRow;
      if (task.variant) {
        const session = this.sessions.active(task.skill);
        if (!session) throw usageError(`${task.skill} has no active A/B session, so there is no variant '${task.variant}'`, 'no_session');
        const variant = this.sessions.variant(session.id, task.variant);
        row = this.tasks.record({ ...task, variantId: variant.id, sessionId: session.id, promptVersion: null });
        this.sessions.recordResult({ id: `res_${row.id}`, sessionId: session.id, variantId: variant.id, taskId: row.id, userChoice: null, at: row.created_at });
      } else {
        row = this.tasks.record({ ...task, promptVersion: task.promptVersion ?? this.prompts.active(task.skill).version });
      }
      return feedback ? this.tasks.feedback(row.id, feedback).task : row;
    });
    return run();
  }

  feedback(taskId: string, feedback: Feedback): TaskRow {
    return this.tasks.feedback(taskId, feedback).task;
  }

  /** A vote; when it makes the decision final, the session is concluded (and maybe promoted) at once. */
  vote(taskId: string, choice: string): VoteOutcome & { conclusion: Conclusion | null; conclusionError: string | null } {
    const outcome = this.sessions.vote(taskId, choice);
    const final = outcome.results.decision.kind !== 'continue' && outcome.results.session.status === 'active';
    // The vote is recorded either way; a conclusion that cannot land now (e.g. config.yaml has errors) is
    // reported and retried by the next vote or monitor run.
    const { conclusion, error } = final ? this.tryConclude(outcome.results) : { conclusion: null, error: null };
    return { ...outcome, conclusion, conclusionError: error };
  }

  /** Concludes an active session from its just-computed tally; a UserError (e.g. config.yaml errors) is reported, not thrown. */
  private tryConclude(results: SessionResults): { conclusion: Conclusion | null; error: string | null } {
    try {
      return { conclusion: concludeSession(this.ctx, { sessions: this.sessions, promotion: this.promotion }, results), error: null };
    } catch (error) {
      if (!isUserError(error)) throw error;
      return { conclusion: null, error: error.message };
    }
  }

  conclude(sessionId: string): Conclusion {
    const results = this.sessions.results(sessionId);
    if (results.session.status !== 'active') throw usageError(`A/B session ${sessionId} is already ${results.session.status}`, 'session_closed');
    return concludeSession(this.ctx, { sessions: this.sessions, promotion: this.promotion }, results);
  }

  /** Starts an A/B session from given variants, or from the variant generator when none are given. */
  async evolve(skill: string, options: { variants?: VariantSpec[]; count?: number; reason?: 'manual' | 'accuracy_drop' | 'scheduled'; includeCurrent?: boolean } = {}): Promise<SessionRow> {
    const definition = this.ctx.skills.get(skill);
    if (!definition.evolvable) throw usageError(`skill '${skill}' is not evolvable`, 'not_evolvable');
    const active = this.prompts.active(skill);
    let variants = options.variants;
    let generated: GeneratedVariants | null = null;
    if (!variants || variants.length === 0) {
      if (!this.variantGenerator) {
        throw new UserError(
          `no variant generator is wired to this engine: pass variant files (--variant-a F --variant-b F ...) or a model (see \`tinyarms model info\`)`,
          { code: 'no_generator' },
        );
      }
      const count = options.count ?? this.ctx.config.config.prompt_evolution.smollm2.variants_per_evolution;
      const failures = this.tasks.withFeedback(skill, { outcome: ['edited', 'rejected'], limit: 200 });
      const answer = await this.variantGenerator({ skill, active, failures, count });
      generated = Array.isArray(answer) ? { variants: answer } : answer;
      variants = generated.variants;
    }
    if (options.includeCurrent) variants = [...variants, { prompt: active.prompt, source: 'current', sourceVersion: active.version, reasoning: `current prompt (version ${active.version})` }];
    const session = this.sessions.create({ skill, variants, reason: options.reason ?? 'manual', needsReview: generated?.needsReview });
    generated?.onSession?.(session);
    return session;
  }

  /** The scheduled check: conclude expired sessions, judge every skill, start evolutions where triggered. */
  async runMonitor(options: { skill?: string; startEvolutions?: boolean } = {}): Promise<MonitorRun> {
    const concluded: Conclusion[] = [];
    const pending: MonitorRun['pending'] = [];
    for (const session of this.sessions.list({ status: 'active', skill: options.skill })) {
      const results = this.sessions.results(session.id);
      if (results.decision.kind === 'continue') continue;
      const { conclusion, error } = this.tryConclude(results);
      if (conclusion) concluded.push(conclusion);
      else pending.push({ skill: session.skill, reason: `A/B session ${session.id} has a decision that could not be applied: ${error}` });
    }
    const checks = options.skill ? [this.monitor.check(options.skill)] : this.monitor.checkAll();
    const started: SessionRow[] = [];
    for (const check of checks.filter((c) => c.verdict === 'triggered')) {
      if (options.startEvolutions === false) {
        pending.push({ skill: check.skill, reason: 'evolution is paused' });
        continue;
      }
      if (!this.variantGenerator) {
        pending.push({ skill: check.skill, reason: 'no variant generator: create variants with `tinyarms prompt create`' });
        continue;
      }
      try {
        started.push(await this.evolve(check.skill, { reason: 'accuracy_drop' }));
      } catch (error) {
        pending.push({ skill: check.skill, reason: (error as Error).message });
      }
    }
    return { checks, concluded, started, pending };
  }

  /** The user promotes an arm by hand: from the skill's running session, or the latest finished one. */
  promoteByHand(skill: string, armRef: string, options: { sessionId?: string } = {}): { change: VersionChange; session: SessionRow } {
    const session = options.sessionId ? this.sessions.require(options.sessionId) : this.sessions.active(skill) ?? this.sessions.latest(skill);
    if (!session || session.skill !== skill) throw usageError(`${skill} has no A/B session to promote from`, 'unknown_session');
    if (session.status === 'cancelled') throw usageError(`A/B session ${session.id} was cancelled`, 'session_closed');
    if (session.outcome === 'promoted') throw usageError(`A/B session ${session.id} already promoted a variant`, 'already_promoted');
    const variant = this.sessions.variant(session.id, armRef);
    if (variant.source === 'current') throw usageError(`variant ${variant.variant_letter} is the current prompt`, 'same_version');
    const accuracy = variant.served > 0 ? variant.accepted / variant.served : null;
    const change = this.promotion.promote({
      skill,
      prompt: variant.prompt_template,
      source: `A/B session ${session.id} (variant ${variant.variant_letter}, promoted by hand)`,
      sessionId: session.id,
      accuracy,
      reason: 'Promoted by hand',
      inCommit: () => {
        if (session.status === 'active') {
          this.sessions.complete(session.id, { decision: 'manual', reason: `variant ${variant.variant_letter} promoted by hand`, winnerVariantId: variant.id, outcome: 'promoted' });
        } else {
          this.sessions.markPromoted(session.id, variant.id);
        }
      },
    });
    return { change, session: this.sessions.require(session.id) };
  }

  rollback(skill: string, toVersion?: number): VersionChange {
    return this.promotion.rollback(skill, { toVersion, reason: toVersion ? `rolled back by hand to version ${toVersion}` : 'rolled back by hand' });
  }

  stats(skill: string): SkillStats {
    const definition = this.ctx.skills.get(skill);
    const active = this.prompts.active(skill);
    const accuracy = measureAccuracy(this.ctx, active);
    const last = this.monitor.lastChecks(skill, 1)[0];
    return {
      skill,
      description: definition.description,
      evolvable: definition.evolvable,
      version: active.version,
      activeSince: active.history.active_from,
      accuracy,
      recentFailures: accuracy.samples - accuracy.successes,
      session: this.sessions.active(skill) ?? null,
      lastCheck: last ? { verdict: last.verdict, reason: last.reason, checkedAt: last.checkedAt } : null,
    };
  }

  /** Accuracy one window earlier, for trends ("down from 92%"); null without data. */
  previousAccuracy(skill: string): number | null {
    const days = this.ctx.config.config.prompt_evolution.triggers.window_days;
    const at = new Date(this.ctx.clock.now().getTime() - days * DAY_MS);
    const report = measureAccuracy(this.ctx, this.prompts.active(skill), at);
    return report.samples > 0 ? report.accuracy : null;
  }

  allStats(): SkillStats[] {
    return this.ctx.skills.list().map((s) => this.stats(s.name));
  }
}
