import type { EngineContext } from '../context';
import { nowIso } from '../context';
import type { TaskLog } from '../feedback/task-log';
import { isAbortError } from '../llm/abort';
import type { TextModel } from '../llm/types';
import { getScorer } from '../skills/scorers';
import type { SkillDefinition } from '../skills/skill-file';
import { crashPoint } from '../util/crash-point';
import { isUserError, UserError } from '../util/errors';
import { percent } from '../util/format';
import { createRng, pickFrom } from '../util/random';
import { modelProposer, type Birth, type BreedDeps, type Proposer } from './breed';
import { Budget, BudgetExhausted } from './budget';
import { RunStore, type Checkpoint, type RunRow, type RunSpec } from './checkpoint';
import { loadEvolutionData, type EvolutionData } from './data';
import { rankFinal } from './final-ranking';
import { FitnessCache } from './fitness-cache';
import { FitnessEvaluator } from './fitness';
import { mutationCap, retiredOperators, roughTokens } from './operator-policy';
import { initialPopulation } from './initial-population';
import { availableOperators, pickOperator, planMutation, type OperatorContext } from './operators';
import { finalCalls, tournamentsOf, type EvolutionPlan } from './plan';
import { emptyOperatorStats, makeUnit, mean, sampleExamples, seedMutationPrompts, summarise, tournamentRounds } from './population';
import { progressView } from './progress';
import { assembleResult, summariseResult, type EvolutionResult } from './result';
import { operatorHistory, planRun, resolveRunSetup, restoredCounters } from './run-setup';
import { judgeChildren, playRound } from './tournament';
import { slotLineOf } from './validation';
import type { Example, EvolutionPhase, EvolutionProgress, EvolutionSettings, MutationPromptEntry, OperatorName, OperatorStats, RunCounters, Unit } from './types';

export interface EvolutionRunOptions {
  ctx: Pick<EngineContext, 'db' | 'clock'>;
  tasks: Pick<TaskLog, 'withFeedback' | 'get'>;
  skill: SkillDefinition;
  active: { prompt: string; hash: string; version: number };
  model: TextModel;
  settings: EvolutionSettings;
  signal?: AbortSignal;
  onProgress?: (progress: EvolutionProgress) => void;
  /** Sees the projection before any model call; false stops the run before it starts. */
  onPlan?: (plan: EvolutionPlan) => boolean | Promise<boolean>;
  /** Continue the newest unfinished run of this skill, prompt and model (default true). */
  resume?: boolean;
  /** A resumed run keeps its own settings, except that an explicit generation count given here replaces its target. */
  resumeGenerations?: number;
  /** Asked after each checkpoint: true stops the run there, resumable (the app's pause switch). */
  stopAfterGeneration?: () => boolean;
  /** The mutation generator (default: the model-backed one); tests inject their own. */
  proposer?: (deps: BreedDeps) => Proposer;
}

const emptyCounters = (): RunCounters => ({ llmCalls: 0, evaluationCalls: 0, mutationCalls: 0, cacheHits: 0, replayedCalls: 0, promptTokens: 0, generatedTokens: 0, evaluationMs: 0, mutationMs: 0, errors: 0 });

/**
 * One PromptBreeder run (microbial GA) for one skill, in GEPA's shape: this loop owns the state, the budget, the
 * checkpoints and the progress; the decisions are pure policies (tournament pairs and examples in population.ts,
 * racing in racing.ts, successive halving in halving.ts, operator retirement and caps in operator-policy.ts) and
 * the mutants come from an injected Proposer. Checkpointed every generation; resumable after a kill, a crash or a cancel.
 */
export class EvolutionRun {
  private readonly options: EvolutionRunOptions;
  private readonly data: EvolutionData;
  private readonly store: RunStore;
  private readonly cache: FitnessCache;
  private readonly counters = emptyCounters();
  private budget!: Budget;
  private evaluator!: FitnessEvaluator;
  private proposer!: Proposer;
  private row!: RunRow;
  private spec!: RunSpec;
  private train: Example[] = [];
  private holdout: Example[] = [];
  private trainIds = new Set<string>();
  private state!: Checkpoint;
  private mutationPrompts = new Map<string, MutationPromptEntry>();
  /** Operator attempts and acceptances of earlier runs on this model file. */
  private operatorPast: Partial<Record<OperatorName, Pick<OperatorStats, 'attempts' | 'accepted'>>> = {};
  private plan!: EvolutionPlan;
  /** When the run itself began (after the plan was accepted): what the projection is checked against. */
  private started = performance.now();
  private generationMs: number[] = [];
  /** Tokens restored from a previous process, left out of this process's tokens/s. */
  private restoredTokens = 0;
  /** Matches this process played and the examples each unit of them was scored on (racing stops early). */
  private readonly matches = { played: 0, examples: 0 };
  /** Calls a resumed run had paid before this process. */
  private spentBefore = { evaluations: 0, mutations: 0 };
  private phase: EvolutionPhase = 'initialising';

  constructor(options: EvolutionRunOptions) {
    this.options = options;
    this.data = loadEvolutionData();
    this.store = new RunStore(options.ctx.db, () => nowIso(options.ctx));
    this.cache = new FitnessCache(options.ctx.db);
  }

  async run(): Promise<EvolutionResult> {
    await this.prepare();
    try {
      if (!this.state) await this.initialise();
      for (let g = this.state.generation + 1; g <= this.settings.generations && !this.state.stoppedEarly; g++) {
        const began = performance.now();
        try {
          await this.generation(g);
        } catch (error) {
          if (!(error instanceof BudgetExhausted)) throw error;
          this.state.stoppedEarly = 'budget';
          this.emit(`budget: ${error.message}; stopping after generation ${g - 1}`);
          break;
        }
        this.generationMs.push(performance.now() - began);
        this.state.generation = g;
        this.checkpoint(g);
        if (g < this.settings.generations && this.options.stopAfterGeneration?.()) this.pause(g);
      }
      return await this.finish();
    } catch (error) {
      if (isUserError(error) && error.code === 'paused') throw error;
      throw this.fail(error);
    }
  }

  private get settings(): RunSpec['settings'] {
    return this.spec.settings;
  }

  /** Finds a run to resume or builds a new one's examples and plan; nothing runs before onPlan agrees. */
  private async prepare(): Promise<void> {
    const { options } = this;
    const skill = options.skill.name;
    const setup = resolveRunSetup(options, this.store);
    this.spec = setup.spec;
    this.train = setup.train;
    this.holdout = setup.holdout;
    if (setup.checkpoint) this.state = setup.checkpoint;
    this.trainIds = new Set(this.train.map((e) => e.id));
    this.plan = await planRun(options, setup, this.data, this.state?.generation ?? 0);
    if (options.onPlan && !(await options.onPlan(this.plan))) throw new UserError('evolution not started', { code: 'declined' });
    this.started = performance.now();
    this.store.abandonOthers(skill, setup.resumable?.id ?? null);
    if (setup.resumable) {
      this.row = setup.resumable;
      this.store.markRunning(setup.resumable.id);
    } else {
      this.row = this.store.create({ skill, baseVersion: options.active.version, basePromptHash: options.active.hash, modelId: options.model.id, spec: this.spec });
    }
    this.operatorPast = operatorHistory(options.ctx.db, options.model.id, this.row.id);
    Object.assign(this.counters, restoredCounters(this.cache, this.store, this.row.id));
    this.restoredTokens = this.counters.generatedTokens;
    this.spentBefore = { evaluations: this.counters.evaluationCalls, mutations: this.counters.mutationCalls };
    this.budget = new Budget(this.settings.maxLlmCalls, this.counters.llmCalls);
    // Keep calls back for the final ranking (at most half the budget), so tournaments cannot starve it.
    this.budget.setLimit(this.settings.maxLlmCalls - Math.min(Math.floor(this.settings.maxLlmCalls / 2), this.plan.calls.final));
    this.evaluator = new FitnessEvaluator({
      model: options.model, kind: options.skill.output, scorer: getScorer(options.skill.scorer), cache: this.cache, runId: this.row.id,
      budget: this.budget, counters: this.counters, parallel: this.settings.parallel, maxTokens: this.settings.evaluationMaxTokens,
      signal: options.signal, now: () => nowIso(options.ctx),
    });
    if (this.state) {
      this.mutationPrompts = new Map(this.state.mutationPrompts.map((m) => [m.id, m]));
      this.phase = 'evolving';
    }
  }

  private breedDeps(): BreedDeps {
    const { options } = this;
    return {
      model: options.model, store: this.store, runId: this.row.id, budget: this.budget, counters: this.counters,
      settings: this.settings, operators: this.state.operators, mutationPrompts: this.mutationPrompts,
      opCtx: () => this.operatorContext(), slotLine: slotLineOf(options.active.prompt),
      maxPromptChars: Math.max(1500, 3 * options.active.prompt.length), signal: options.signal,
    };
  }

  private operatorContext(): OperatorContext {
    const accepted = this.train.filter((e) => e.outcome === 'accepted');
    const pairs = (accepted.length > 0 ? accepted : this.train).map((e) => ({ input: e.input, expected: e.expected }));
    const { operatorPolicy, maxTokens } = this.settings;
    return {
      data: this.data, kind: this.options.skill.output, task: this.options.skill.description, slotLine: slotLineOf(this.options.active.prompt),
      members: this.state.members, mutationPrompts: this.mutationPrompts, pairs,
      mistakesOf: (unit) => {
        const seen = this.evaluator.mistakes(unit, this.train);
        if (seen.length > 0) return seen;
        return this.train.filter((e) => e.outcome !== 'accepted').map((e) => ({ input: e.input, output: e.output, expected: e.expected }));
      },
      temperature: this.settings.temperature, maxTokens,
      capFor: (parentPrompt, hyper) => mutationCap(operatorPolicy, maxTokens, roughTokens(parentPrompt), hyper),
    };
  }

  /** Operators the policy still draws: available now, and not retired for never producing a valid mutant on this model. */
  private drawable(ctx: OperatorContext): OperatorName[] {
    const retired = retiredOperators(this.state.operators, this.operatorPast, this.settings.operatorPolicy);
    return availableOperators(ctx).filter((op) => !retired.has(op));
  }

  /** The initial population (see initial-population.ts), checkpointed as generation 0. */
  private async initialise(): Promise<void> {
    const rng = createRng(`${this.settings.seed}|init`);
    const seedPrompts = seedMutationPrompts(this.data);
    this.mutationPrompts = new Map(seedPrompts.map((m) => [m.id, m]));
    const current = makeUnit({ id: 'current', prompt: this.options.active.prompt, operator: 'current', generation: 0, mutationPromptId: pickFrom(rng, seedPrompts).id });
    this.state = { version: 1, generation: 0, members: [current], mutationPrompts: [], operators: emptyOperatorStats(), history: [], stoppedEarly: null };
    this.store.recordUnit(this.row.id, { unit_id: current.id, generation: 0, operator: 'current', parent_id: null, mutation_prompt: null, prompt: current.prompt, prompt_hash: current.hash, status: 'accepted', reason: null, detail: null });
    this.emit('generating the initial population');
    this.proposer = (this.options.proposer ?? modelProposer)(this.breedDeps());
    const initial = await initialPopulation({
      members: this.state.members, current, size: this.settings.populationSize, rng, seedPrompts, proposer: this.proposer,
      operatorContext: () => this.operatorContext(), drawable: (ctx) => this.drawable(ctx),
    });
    this.state.stoppedEarly = initial.stoppedEarly;
    this.phase = 'evolving';
    this.checkpoint(0);
    this.emit(`initial population of ${this.state.members.length}`);
  }

  /** population_size / 2 raced binary tournaments in rounds of disjoint pairs; each loser is overwritten by a mutant of its winner. */
  private async generation(g: number): Promise<void> {
    const rng = createRng(`${this.settings.seed}|gen|${g}`);
    const members = this.state.members;
    this.proposer ??= (this.options.proposer ?? modelProposer)(this.breedDeps());
    const rounds = tournamentRounds(rng, members.length, tournamentsOf(this.settings));
    for (const [r, pairs] of rounds.entries()) {
      const matches = pairs.map(([a, b]) => ({ a, b, examples: sampleExamples(rng, this.train, this.settings.evaluationSamples) }));
      const outcomes = await playRound(this.evaluator, members, matches, this.settings.racing, (unit) => this.estimate(unit).mean ?? 0, rng);
      this.matches.played += outcomes.length;
      this.matches.examples += outcomes.reduce((sum, o) => sum + o.scored, 0);
      if (r === 0) crashPoint(`evolution:generation-${g}`);
      this.judge(matches.flatMap((m) => [members[m.a], members[m.b]]));
      const ctx = this.operatorContext();
      const operators = this.drawable(ctx);
      const births: Birth[] = outcomes.map((outcome, p) => {
        const winner = members[outcome.winner];
        const op = pickOperator(rng, this.settings.operatorWeights, operators);
        return { id: `g${g}r${r}p${p}`, op, parent: winner, slot: outcome.loser, mutationPromptId: winner.mutationPromptId, plan: planMutation(op, winner, ctx, rng) };
      });
      const children = await this.proposer.propose(births, members, g, rng);
      children.forEach((child, i) => {
        if (child) members[births[i].slot!] = child;
      });
    }
  }

  private estimate(unit: Unit): { mean: number | null; n: number } {
    return this.evaluator.estimate(unit, this.trainIds);
  }

  private judge(units: readonly Unit[]): void {
    judgeChildren(units, (hash) => this.cache.scoresOf(this.options.model.id, hash, this.trainIds), (unit, improved) => {
      const stats = this.state.operators[unit.operator as OperatorName];
      stats.judged++;
      if (!improved) return;
      stats.improvements++;
      const mutationPrompt = unit.mutationPromptId ? this.mutationPrompts.get(unit.mutationPromptId) : undefined;
      if (mutationPrompt) mutationPrompt.improvements++;
    });
  }

  private checkpoint(generation: number): void {
    this.state.mutationPrompts = [...this.mutationPrompts.values()];
    const { best, mean: average } = summarise(this.state.members.map((u) => this.estimate(u).mean));
    this.state.history = [...this.state.history.filter((h) => h.generation !== generation), { generation, best, mean: average }];
    this.store.saveCheckpoint(this.row.id, this.state);
    crashPoint(`evolution:checkpoint-${generation}`);
    if (generation > 0) this.emit(null);
  }

  private pause(generation: number): never {
    const message = `paused after generation ${generation}`;
    this.store.finish(this.row.id, 'cancelled', { message });
    this.phase = 'cancelled';
    this.emit(message);
    throw new UserError(`evolution of ${this.options.skill.name} ${message}; it resumes from there next time`, { code: 'paused' });
  }

  private fail(error: unknown): unknown {
    const cancelled = isAbortError(error) || this.options.signal?.aborted;
    const after = `after generation ${this.state?.generation ?? -1}`;
    const message = cancelled ? `cancelled ${after}` : `failed ${after}: ${(error as Error).message}`;
    this.store.finish(this.row.id, cancelled ? 'cancelled' : 'failed', { message });
    this.phase = cancelled ? 'cancelled' : 'failed';
    this.emit(message);
    if (!cancelled) return error;
    return new UserError(`evolution of ${this.options.skill.name} ${message}; the checkpoint is kept: run it again to resume`, { code: 'cancelled', cause: error });
  }

  /** Final ranking on held-out examples (successive halving within the budget), then the top variants with their reasoning. */
  private async finish(): Promise<EvolutionResult> {
    this.phase = 'final-evaluation';
    this.emit('ranking on held-out examples');
    this.budget.setLimit(this.settings.maxLlmCalls);
    const before = { evaluations: this.counters.evaluationCalls };
    const current = makeUnit({ id: 'current', prompt: this.options.active.prompt, operator: 'current', generation: 0 });
    const { ranking, examples } = await rankFinal({
      evaluator: this.evaluator, candidates: [...new Map(this.state.members.map((u) => [u.hash, u])).values()], current,
      pool: this.holdout.length > 0 ? this.holdout : this.train, keep: this.settings.variants, policy: this.settings.ranking,
      budget: this.budget.remaining, estimate: (unit) => this.estimate(unit),
    });
    crashPoint('evolution:final');
    const evaluations = this.counters.evaluationCalls;
    const result = assembleResult({
      runId: this.row.id, skill: this.options.skill.name, modelId: this.options.model.id, plan: this.plan, state: this.state, ranking, examples,
      currentHash: current.hash, settings: this.settings, counters: this.counters, mutationPrompts: this.mutationPrompts,
      split: { train: this.train.length, holdout: this.holdout.length, note: this.spec.exampleNote }, wallMs: performance.now() - this.started,
      spend: {
        tournamentEvaluations: before.evaluations - this.spentBefore.evaluations, finalEvaluations: evaluations - before.evaluations,
        mutations: this.counters.mutationCalls - this.spentBefore.mutations, matches: this.matches.played,
        examplesPerMatch: this.matches.played > 0 ? this.matches.examples / this.matches.played : null,
      },
    });
    this.store.finish(this.row.id, 'done', { result: summariseResult(result) });
    this.phase = 'done';
    this.emit(`best ${percent(result.bestFitness)} vs current ${percent(result.currentFitness)} on ${examples} held-out examples`);
    return result;
  }

  private emit(message: string | null): void {
    if (!this.options.onProgress) return;
    const { best, mean: average } = this.state ? summarise(this.state.members.map((u) => this.estimate(u).mean)) : { best: null, mean: null };
    this.options.onProgress(progressView({
      skill: this.options.skill.name, phase: this.phase, generation: this.state?.generation ?? 0, settings: this.settings, best, average,
      counters: this.counters, restoredTokens: this.restoredTokens, used: this.budget?.used ?? 0, generationMs: mean(this.generationMs),
      finalCalls: finalCalls(this.plan), message,
    }));
  }
}

export { summariseResult, type EvolutionResult, type RankedUnit } from './result';

export const runEvolution = (options: EvolutionRunOptions): Promise<EvolutionResult> => new EvolutionRun(options).run();
