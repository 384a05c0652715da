import fs from 'node:fs';
import { AbSessions } from './ab/sessions';
import type { SessionResults, SessionRow, VariantSpec } from './ab/session-types';
import { ConfigStore } from './config/config-store';
import { nowIso, type EngineContext } from './context';
import { databaseFile, resolveDataDir } from './data-paths';
import { measureAccuracy } from './feedback/accuracy';
import { accuracyTrend } from './feedback/trend';
import { TaskLog, type Feedback, type NewTask, type TaskRow } from './feedback/task-log';
import { FileProposals, type FileProposalsOptions } from './files/proposals';
import { GoldExamples } from './gold/gold-pins';
import { ModelService, type ModelServiceOptions } from './llm/model-service';
import { Monitor, type CheckResult } from './monitor/monitor';
import type { GeneratedVariants, MonitorRun, SkillStats, VariantGenerator } from './ports';
import { PromptVersions } from './prompts/prompt-versions';
import { LearningLibrary } from './learning/library';
import { concludeSession, type Conclusion } from './promotion/conclude';
import { Promotion, type VersionChange } from './promotion/promotion';
import { resetToDefault, type ResetResult } from './promotion/reset';
import { currentReminder, remindReset } from './status/reset-reminder';
import { isRunningPhase, ProgressStore } from './evolution/live-progress';
import { modelSkillRunner } from './serving/model-runner';
import { TaskPrefixes } from './serving/task-prefixes';
import { TaskServer, type Answered } from './serving/task-server';
import type { Answer, ServeRequest, Served, SkillRunner } from './serving/types';
import { SkillRegistry } from './skills/skill-registry';
import { Team } from './team/team';
import { openDatabase } from './store/database';
import { systemClock, type Clock } from './util/clock';
import { isUserError, UserError, usageError } from './util/errors';
import { percent } from './util/format';
import { armHash } from './util/ids';
import { createRng } from './util/random';

export type { EvolutionRequest, GeneratedVariants, MonitorRun, SkillStats, VariantGenerator } from './ports';

export interface EngineOptions {
  dataDir?: string | null;
  clock?: Clock;
  seed?: number | string;
  bundledSkillsDir?: string;
  /** The shipped defaults.yaml; the packaged app passes it because bundling moves import.meta.url. */
  defaultsFile?: string;
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
      conclude: (results) => this.tryConclude(results),
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
  }

  static open(options: EngineOptions = {}): Engine {
    const dataDir = resolveDataDir({ dataDir: options.dataDir });
    makeDataDir(dataDir);
    // A data folder this process cannot write (another user's, a read-only volume) still shows what it holds.
    const readonly = !writable(dataDir) || (fs.existsSync(databaseFile(dataDir)) && !writable(databaseFile(dataDir)));
    if (readonly && !fs.existsSync(databaseFile(dataDir))) {
      throw new UserError(`the data folder ${dataDir} is read-only and holds no tinyArms data yet`, { code: 'read_only' });
    }
    const db = openDatabase(databaseFile(dataDir), { readonly });
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
    if (!readonly) engine.promotion.recover();
    config.load();
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

  /** Concludes an active session from its just-computed tally; a UserError (e.g. config.yaml errors) is reported, not thrown. */
  private tryConclude(results: SessionResults): { conclusion: Conclusion | null; error: string | null } {
    try {
      return { conclusion: this.concludeResults(results), error: null };
    } catch (error) {
      if (!isUserError(error)) throw error;
      return { conclusion: null, error: error.message };
    }
  }

  /**
   * Under the skill's change lock, with the tally read again there: of two processes concluding one session at
   * once, one decides and the other finds it closed (null).
   */
  private concludeResults(results: SessionResults): Conclusion | null {
    return this.promotion.locked(results.session.skill, () => {
      const fresh = this.sessions.results(results.session.id);
      if (fresh.session.status !== 'active') return null;
      const conclusion = concludeSession(this.ctx, { sessions: this.sessions, promotion: this.promotion }, fresh);
      this.creditLearning();
      return conclusion;
    });
  }

  /**
   * Cross-skill learning: credit the library with what concluded sessions decided (idempotent: each variant once, in
   * its own transaction; a sync another process missed is caught up by the next one or the next evolution).
   */
  creditLearning(): void {
    if (this.ctx.config.config.prompt_evolution.cross_skill_learning) this.learning.sync();
  }

  conclude(sessionId: string): Conclusion {
    const results = this.sessions.results(sessionId);
    const conclusion = results.session.status === 'active' ? this.concludeResults(results) : null;
    if (!conclusion) throw usageError(`A/B session ${sessionId} is already ${this.sessions.require(sessionId).status}`, 'session_closed');
    return this.shared(conclusion);
  }

  /** Checks made before an evolution costs anything: the skill evolves, no test runs, the current version can run. */
  checkEvolvable(skill: string): void {
    const definition = this.ctx.skills.get(skill);
    if (!definition.evolvable) throw usageError(`skill '${skill}' is not evolvable`, 'not_evolvable');
    if (this.ctx.config.config.skills[skill]?.enabled === false) {
      throw new UserError(`skill '${skill}' is turned off in config.yaml (skills.${skill}.enabled)`, { code: 'skill_disabled' });
    }
    const running = this.sessions.active(skill);
    if (running) {
      throw new UserError(
        `${skill} already has an A/B test running (started ${running.triggered_at.slice(0, 10)}): finish it with \`tinyarms vote\`, ` +
          `or promote an arm with \`tinyarms prompt promote ${skill} <letter>\``,
        { code: 'session_exists' },
      );
    }
    const problem = this.prompts.active(skill).problem;
    if (problem) throw new UserError(`${skill}: ${problem}; roll back first`, { code: 'broken_version' });
  }

  /** Starts an A/B session from given variants, or from the variant generator when none are given. */
  async evolve(
    skill: string,
    options: { variants?: VariantSpec[]; count?: number; reason?: 'manual' | 'accuracy_drop' | 'scheduled'; includeCurrent?: boolean } = {},
  ): Promise<SessionRow> {
    this.checkEvolvable(skill);
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
      const gold = this.gold.list(skill);
      const share = this.ctx.config.config.prompt_evolution.gold.share;
      const examples = [...gold.shipped, ...gold.pinned];
      const answer = await this.variantGenerator({ skill, active, failures, count, gold: { examples, share } });
      generated = Array.isArray(answer) ? { variants: answer } : answer;
      variants = generated.variants;
    }
    if (options.includeCurrent)
      variants = [
        ...variants,
        {
          prompt: active.prompt,
          source: 'current',
          sourceVersion: active.version,
          reasoning: `current prompt (version ${active.version})`,
        },
      ];
    const session = this.sessions.create({ skill, variants, reason: options.reason ?? 'manual', needsReview: generated?.needsReview });
    generated?.onSession?.(session);
    return session;
  }

  /**
   * One skill's check: the monitor's verdict, with the rollback it asks for applied here (a promoted version
   * that fell below rollback_threshold), and the result recorded.
   */
  check(skill: string): CheckResult {
    const result = this.monitor.assess(skill);
    if (result.verdict !== 'rollback_due') {
      remindReset(this.ctx, this.prompts, skill);
      return this.monitor.record(result);
    }
    const threshold = this.ctx.config.config.prompt_evolution.learning.rollback_threshold;
    try {
      const change = this.promotion.rollback(skill, {
        reason: `accuracy ${percent(result.accuracy.accuracy)} below rollback threshold ${percent(threshold)}`,
      });
      return this.monitor.record({
        ...result,
        verdict: 'rolled_back',
        reason: `${result.reason}: rolled back to version ${change.toVersion}`,
      });
    } catch (error) {
      if (!isUserError(error)) throw error;
      return this.monitor.record({ ...result, reason: `${result.reason}; the rollback could not be made now: ${error.message}` });
    }
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
      else pending.push({ skill: session.skill, reason: `its A/B test has a decision that could not be applied yet: ${error}` });
    }
    const skills = options.skill ? [options.skill] : this.ctx.skills.list().map((s) => s.name);
    const checks = skills.map((skill) => this.check(skill));
    const started: SessionRow[] = [];
    for (const check of checks.filter((c) => c.verdict === 'triggered')) {
      if (options.startEvolutions === false) {
        pending.push({ skill: check.skill, reason: 'evolution is paused' });
        continue;
      }
      if (!this.variantGenerator) {
        pending.push({
          skill: check.skill,
          reason: 'no model to evolve with: `tinyarms model pull`, or create variants with `tinyarms prompt create`',
        });
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

  /** The person promotes an arm by hand: from the skill's running session, or the latest finished one. */
  promoteByHand(skill: string, armRef: string, options: { sessionId?: string } = {}): { change: VersionChange; session: SessionRow } {
    // Every check under the skill's change lock, so two promotions by hand cannot both pass them.
    return this.promotion.locked(skill, () => {
      const session = options.sessionId
        ? this.sessions.require(options.sessionId)
        : (this.sessions.active(skill) ?? this.sessions.latest(skill));
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
          const now = this.sessions.require(session.id);
          if (now.status === 'active') {
            this.sessions.complete(session.id, {
              decision: 'manual',
              reason: `variant ${variant.variant_letter} promoted by hand`,
              winnerVariantId: variant.id,
              outcome: 'promoted',
            });
          } else {
            this.sessions.markPromoted(session.id, variant.id);
          }
        },
      });
      this.creditLearning();
      return this.shared({ change, session: this.sessions.require(session.id) });
    });
  }

  rollback(skill: string, toVersion?: number): VersionChange {
    const reason = toVersion ? `rolled back by hand to version ${toVersion}` : 'rolled back by hand';
    return this.shared(this.promotion.rollback(skill, { toVersion, reason }));
  }

  /** Runs the same A/B test as a teammate (their arms' prompts, in their order), so both tests' votes pool. */
  joinTeammateTest(member: string, skill: string): SessionRow {
    const theirs = this.team.teammateTest(member, skill);
    this.checkEvolvable(skill);
    const current = armHash(this.prompts.active(skill).prompt);
    const variants = theirs.prompts.map(
      (prompt): VariantSpec =>
        armHash(prompt) === current
          ? { prompt, source: 'current', reasoning: `current prompt, also in ${member}'s A/B test` }
          : { prompt, source: 'manual', reasoning: `${member}'s A/B test (${theirs.id})` },
    );
    return this.sessions.create({ skill, reason: 'manual', variants });
  }

  /** Starts an A/B session of the current prompt against a teammate's promoted version of the skill. */
  adoptFromTeammate(member: string, skill: string): SessionRow {
    const theirs = this.team.teammateVersion(member, skill);
    this.checkEvolvable(skill);
    const active = this.prompts.active(skill);
    if (armHash(active.prompt) === theirs.hash) {
      throw usageError(`${skill} already runs ${member}'s version ${theirs.version}`, 'same_prompt');
    }
    const accuracy = theirs.accuracy === null ? '' : `, ${percent(theirs.accuracy)} accuracy for them`;
    return this.sessions.create({
      skill,
      reason: 'manual',
      variants: [
        {
          prompt: active.prompt,
          source: 'current',
          sourceVersion: active.version,
          reasoning: `current prompt (version ${active.version})`,
        },
        { prompt: theirs.prompt, source: 'manual', reasoning: `${member}'s promoted version ${theirs.version}${accuracy}` },
      ],
    });
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
      trend: accuracyTrend(this.ctx, active),
      recentFailures: accuracy.samples - accuracy.successes,
      session: this.sessions.active(skill) ?? null,
      lastCheck: last ? { verdict: last.verdict, reason: last.reason, checkedAt: last.checkedAt } : null,
      problem: active.problem,
    };
  }

  allStats(): SkillStats[] {
    return this.ctx.skills.list().map((s) => this.stats(s.name));
  }
}

function writable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The data folder, or one plain line saying why it cannot be one (a file in the way, no permission). */
function makeDataDir(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code;
    throw new UserError(`cannot use ${dataDir} as the data folder: ${why}`, { exitCode: 2, code: 'bad_data_dir', cause: error });
  }
  if (!fs.statSync(dataDir).isDirectory()) {
    throw new UserError(`cannot use ${dataDir} as the data folder: it is a file, not a folder`, { exitCode: 2, code: 'bad_data_dir' });
  }
}
