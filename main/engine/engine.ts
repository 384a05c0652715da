import { AbSessions } from './ab/sessions';
import type { SessionResults, SessionRow } from './ab/session-types';
import { nowIso, type EngineContext } from './context';
import { TaskLog, type Feedback, type NewTask, type TaskRow } from './feedback/task-log';
import { FileProposals, type FileProposalsOptions } from './files/proposals';
import { GoldExamples } from './gold/gold-pins';
import { LearningLibrary } from './learning/library';
import { ModelService, type ModelServiceOptions } from './llm/model-service';
import { Monitor, type CheckResult } from './monitor/monitor';
import { checkSkill, runMonitor, type MonitorRunDeps } from './monitor/monitor-run';
import { skillStats, type SkillStatsDeps } from './monitor/skill-stats';
import { openContext, type ContextOptions } from './open-context';
import type { MonitorRun, SkillStats, VariantGenerator } from './ports';
import { PromptVersions } from './prompts/prompt-versions';
import { concludeLocked, tryConclude, type Conclusion } from './promotion/conclude';
import { promoteByHand, type HandPromotionDeps } from './promotion/promote-by-hand';
import { Promotion, type VersionChange } from './promotion/promotion';
import { resetToDefault, type ResetResult } from './promotion/reset';
import { currentReminder, remindReset } from './status/reset-reminder';
import { isRunningPhase, ProgressStore } from './evolution/live-progress';
import { modelSkillRunner } from './serving/model-runner';
import { TaskPrefixes } from './serving/task-prefixes';
import { TaskServer, type Answered } from './serving/task-server';
import type { Answer, ServeRequest, Served, SkillRunner } from './serving/types';
import { adoptFromTeammate, checkEvolvable, evolve, joinTeammateTest, type EvolveOptions, type SessionStartDeps } from './start-session';
import { Team } from './team/team';
import { usageError } from './util/errors';

export type { EvolutionRequest, GeneratedVariants, MonitorRun, SkillStats, VariantGenerator } from './ports';

export interface EngineOptions extends ContextOptions {
  /** models/catalog.json; the packaged app passes it explicitly. */
  catalogFile?: string;
  /** The model: a file for this process only (--model), an injected model, runtime overrides, a downloader. */
  model?: Pick<ModelServiceOptions, 'modelPath' | 'model' | 'runtime' | 'pull'>;
  /** What runs skills (tasks, file names); default: the shared model. The demo and tests pass stand-ins. */
  skillRunner?: SkillRunner | null;
  variantGenerator?: VariantGenerator | null;
}

/**
 * The engine: one data folder's database, configuration, skills and model, and every decision made on them.
 * The CLI, the app and browser mode use this surface; the services below it get only the collaborators they use.
 */
export class Engine {
  readonly ctx: EngineContext;
  readonly prompts: PromptVersions;
  readonly tasks: TaskLog;
  readonly sessions: AbSessions;
  readonly promotion: Promotion;
  /** Cross-skill learning's shared library (issue 15 §1). */
  readonly learning: LearningLibrary;
  readonly monitor: Monitor;
  readonly server: TaskServer;
  readonly models: ModelService;
  /** The team folder (README "Teams"): teammates' picks enter results(); ours are shared after each change. */
  readonly team: Team;
  /** The served prompts' prefixes, kept warm on the model while it is loaded. */
  readonly taskPrefixes: TaskPrefixes;
  readonly gold: GoldExamples;
  private variantGenerator: VariantGenerator | null;
  private runner: SkillRunner | null;
  private readonly modelRunner: SkillRunner;
  /** What the operations (start-session.ts, monitor/, promotion/) work with: services and the facade's hooks. */
  private readonly ops: SessionStartDeps & MonitorRunDeps & HandPromotionDeps & SkillStatsDeps;

  private constructor(ctx: EngineContext, options: EngineOptions) {
    this.ctx = ctx;
    this.prompts = new PromptVersions(ctx);
    this.tasks = new TaskLog(ctx);
    this.sessions = new AbSessions(ctx, this.prompts);
    this.team = new Team(ctx);
    this.sessions.setPeerVotes(this.team.peerVotes);
    this.promotion = new Promotion(ctx, this.prompts);
    this.learning = new LearningLibrary(ctx);
    this.gold = new GoldExamples(ctx, this.tasks);
    this.monitor = new Monitor(ctx, { prompts: this.prompts, sessions: this.sessions });
    this.server = new TaskServer({
      ctx,
      sessions: this.sessions,
      prompts: this.prompts,
      tasks: this.tasks,
      conclude: (results) => tryConclude(this.ops, results),
    });
    this.models = new ModelService({
      ...options.model,
      dataDir: ctx.dataDir,
      config: () => ctx.config.config,
      catalogFile: options.catalogFile,
    });
    this.taskPrefixes = new TaskPrefixes({
      loadedModel: async () => this.models.loaded(),
      templatesOf: (skill) => this.server.servedTemplates(skill),
    });
    this.modelRunner = modelSkillRunner(this.models, (skill) => ctx.skills.get(skill).output, this.taskPrefixes);
    this.variantGenerator = options.variantGenerator ?? null;
    this.runner = options.skillRunner ?? null;
    this.ops = {
      ctx,
      prompts: this.prompts,
      tasks: this.tasks,
      sessions: this.sessions,
      promotion: this.promotion,
      monitor: this.monitor,
      team: this.team,
      gold: this.gold,
      variantGenerator: () => this.variantGenerator,
      canEvolve: () => this.variantGenerator !== null,
      evolveDropped: (skill) => this.evolve(skill, { reason: 'accuracy_drop' }),
      creditLearning: () => this.creditLearning(),
      remindReset: (skill) => {
        remindReset(ctx, this.prompts, skill);
      },
      shared: (result) => this.shared(result),
    };
  }

  static open(options: EngineOptions = {}): Engine {
    const { ctx, readonly } = openContext(options);
    const engine = new Engine(ctx, options);
    if (!readonly) engine.promotion.recover();
    ctx.config.load();
    return engine;
  }

  get dataDir(): string {
    return this.ctx.dataDir;
  }

  setVariantGenerator(generator: VariantGenerator | null): void {
    this.variantGenerator = generator;
  }

  /** Replaces what runs skills (a stand-in); null goes back to the shared model. */
  setSkillRunner(runner: SkillRunner | null): void {
    this.runner = runner;
  }

  /** What runs skills now: a stand-in when one is set, else the model, or null when no model is there. */
  skillRunner(): SkillRunner | null {
    if (this.runner) return this.runner;
    return this.models.available() ? this.modelRunner : null;
  }

  /** Closes the database; the model (if loaded) is freed in the background (await dispose() to wait for it). */
  close(): void {
    void this.models.dispose();
    this.ctx.db.close();
  }

  async dispose(): Promise<void> {
    await this.models.dispose();
    if (this.ctx.db.open) this.ctx.db.close();
  }

  // ---- serving: one path for the CLI, the task API, watched files and the app --------------------------------

  /** Runs a skill on one input: one output (recorded, awaiting feedback) or, during an A/B test, a vote round. */
  async serveTask(request: ServeRequest): Promise<Served> {
    const runner = this.skillRunner();
    if (!runner) throw this.models.missingError();
    return this.server.serve(runner, request);
  }

  /** The person's vote and/or verdict on a served task, committed together. */
  answer(taskId: string, answer: Answer): Answered {
    return this.shared(this.server.answer(taskId, answer));
  }

  /** Records a skill run that happened elsewhere, with the verdict when it is already known. */
  recordTask(task: NewTask & { variant?: string | null }, feedback?: Feedback): TaskRow {
    return this.server.record(task, feedback);
  }

  feedback(taskId: string, feedback: Feedback): TaskRow {
    return this.server.answer(taskId, { feedback }).task!;
  }

  /** A vote; when it makes the decision final, the session is concluded (and maybe promoted) at once. */
  vote(taskId: string, choice: string): Answered & { round: NonNullable<Answered['round']>; results: SessionResults } {
    const answered = this.shared(this.server.answer(taskId, { vote: choice }));
    return answered as Answered & { round: NonNullable<Answered['round']>; results: SessionResults };
  }

  /** Takes a vote back (while its test runs) and shares the change with the team. */
  undoVote(taskId: string): ReturnType<AbSessions['undoVote']> {
    return this.shared(this.sessions.undoVote(taskId));
  }

  /** Passes a result through after sharing this member's votes and versions with the team (when in one). */
  private shared<T>(result: T): T {
    if (this.ctx.config.config.team.folder && !this.ctx.db.readonly) this.team.publish();
    return result;
  }

  /** Rename proposals for files, named through serveTask's path. */
  fileProposals(options: FileProposalsOptions = {}): FileProposals {
    return new FileProposals(
      {
        ctx: this.ctx,
        server: this.server,
        sessions: this.sessions,
        runner: () => this.skillRunner(),
        missing: () => this.models.missingError(),
      },
      options,
    );
  }

  // ---- A/B sessions, promotion, the monitor --------------------------------------------------------------------

  /**
   * Cross-skill learning: credit the library with what concluded sessions decided (idempotent: each variant once, in
   * its own transaction; a sync another process missed is caught up by the next one or the next evolution).
   */
  creditLearning(): void {
    if (this.ctx.config.config.prompt_evolution.cross_skill_learning) this.learning.sync();
  }

  conclude(sessionId: string): Conclusion {
    const results = this.sessions.results(sessionId);
    const conclusion = results.session.status === 'active' ? concludeLocked(this.ops, results) : null;
    if (!conclusion) throw usageError(`A/B session ${sessionId} is already ${this.sessions.require(sessionId).status}`, 'session_closed');
    return this.shared(conclusion);
  }

  /** Checks made before an evolution costs anything (start-session.ts). */
  checkEvolvable(skill: string): void {
    checkEvolvable(this.ops, skill);
  }

  /** Starts an A/B session from given variants, or from the variant generator when none are given. */
  evolve(skill: string, options: EvolveOptions = {}): Promise<SessionRow> {
    return evolve(this.ops, skill, options);
  }

  /** One skill's check, with the rollback it asks for applied (monitor/monitor-run.ts). */
  check(skill: string): CheckResult {
    return checkSkill(this.ops, skill);
  }

  /** The scheduled check: conclude expired sessions, judge every skill, start evolutions where triggered. */
  runMonitor(options: { skill?: string; startEvolutions?: boolean } = {}): Promise<MonitorRun> {
    return runMonitor(this.ops, options);
  }

  /** The person promotes an arm by hand: from the skill's running session, or the latest finished one. */
  promoteByHand(skill: string, armRef: string, options: { sessionId?: string } = {}): { change: VersionChange; session: SessionRow } {
    return promoteByHand(this.ops, skill, armRef, options);
  }

  rollback(skill: string, toVersion?: number): VersionChange {
    const reason = toVersion ? `rolled back by hand to version ${toVersion}` : 'rolled back by hand';
    return this.shared(this.promotion.rollback(skill, { toVersion, reason }));
  }

  /** Runs the same A/B test as a teammate, so both tests' votes pool. */
  joinTeammateTest(member: string, skill: string): SessionRow {
    return joinTeammateTest(this.ops, member, skill);
  }

  /** Starts an A/B session of the current prompt against a teammate's promoted version. */
  adoptFromTeammate(member: string, skill: string): SessionRow {
    return adoptFromTeammate(this.ops, member, skill);
  }

  /** Back to the shipped prompt (version 1), recorded as a rollback; refused while a test or an evolution runs. */
  resetToDefault(skill: string): ResetResult {
    const progress = new ProgressStore(this.ctx.db, () => nowIso(this.ctx));
    const evolutionRunning = (name: string) => {
      const stored = progress.read(name);
      return stored !== null && isRunningPhase(stored.progress.phase);
    };
    const deps = { ctx: this.ctx, prompts: this.prompts, sessions: this.sessions, promotion: this.promotion, evolutionRunning };
    return resetToDefault(deps, skill);
  }

  /** The monthly reminder to reset a skill that drifted far from its default and does worse (see status/reset-reminder.ts). */
  resetReminder(skill: string): string | null {
    return currentReminder(this.ctx, skill, this.prompts.active(skill).version);
  }

  stats(skill: string): SkillStats {
    return skillStats(this.ops, skill);
  }

  allStats(): SkillStats[] {
    return this.ctx.skills.list().map((s) => this.stats(s.name));
  }
}
