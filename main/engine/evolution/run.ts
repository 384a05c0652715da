import type { VariantSpec } from '../ab/session-types';
import type { EngineContext } from '../context';
import { nowIso } from '../context';
import type { TaskLog } from '../feedback/task-log';
import { isAbortError } from '../llm/abort';
import type { TextModel } from '../llm/types';
import { getScorer } from '../skills/scorers';
import type { SkillDefinition } from '../skills/skill-file';
import { crashPoint } from '../util/crash-point';
import { isUserError, UserError } from '../util/errors';
import { createRng, pickFrom } from '../util/random';
import { breed, type Birth, type BreedDeps } from './breed';
import { Budget, BudgetExhausted } from './budget';
import { RunStore, type Checkpoint, type RunRow, type RunSpec } from './checkpoint';
import { loadEvolutionData, type EvolutionData } from './data';
import { pairKey, FitnessCache } from './fitness-cache';
import { FitnessEvaluator } from './fitness';
import { availableOperators, initialRequest, pickOperator, planMutation, type OperatorContext } from './operators';
import { projectRun, tournamentsOf, type EvolutionPlan } from './plan';
import { emptyOperatorStats, makeUnit, mean, sampleExamples, seedMutationPrompts, summarise, tournamentRounds } from './population';
import { describeVariant, summariseResult, type EvolutionResult, type RankedUnit } from './result';
import { measuredRates, resolveRunSetup } from './run-setup';
import { slotLineOf } from './validation';
import type { Example, EvolutionPhase, EvolutionProgress, EvolutionSettings, MutationPromptEntry, RunCounters, Unit } from './types';
import { percent } from '../util/format';

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
}


const emptyCounters = (): RunCounters => ({ llmCalls: 0, evaluationCalls: 0, mutationCalls: 0, cacheHits: 0, replayedCalls: 0, promptTokens: 0, generatedTokens: 0, evaluationMs: 0, mutationMs: 0, errors: 0 });

/**
 * One PromptBreeder run (microbial GA) for one skill: initial population, generations of binary
 * tournaments whose losers are overwritten by mutants of the winners, a final ranking on held-out
 * examples. Checkpointed every generation; resumable after a kill, a crash or a cancel.
 */
export class EvolutionRun {
  private readonly o: EvolutionRunOptions;
  private readonly data: EvolutionData;
  private readonly store: RunStore;
  private readonly cache: FitnessCache;
  private readonly counters = emptyCounters();
  private budget!: Budget;
  private evaluator!: FitnessEvaluator;
  private row!: RunRow;
  private spec!: RunSpec;
  private train: Example[] = [];
  private holdout: Example[] = [];
  private trainIds = new Set<string>();
  private state!: Checkpoint;
  private mutationPrompts = new Map<string, MutationPromptEntry>();
  private plan!: EvolutionPlan;
  private readonly started = performance.now();
  private generationMs: number[] = [];
  /** Tokens restored from a previous process, left out of this process's tokens/s. */
  private restoredTokens = 0;
  private phase: EvolutionPhase = 'initialising';

  constructor(options: EvolutionRunOptions) {
    this.o = options;
    this.data = loadEvolutionData();
    const now = () => nowIso(options.ctx);
    this.store = new RunStore(options.ctx.db, now);
    this.cache = new FitnessCache(options.ctx.db);
  }

  async run(): Promise<EvolutionResult> {
    await this.prepare();
    try {
      if (!this.state) await this.initialise();
      for (let g = this.state.generation + 1; g <= this.spec.settings.generations && !this.state.stoppedEarly; g++) {
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
        this.recordHistory(g);
        this.store.saveCheckpoint(this.row.id, this.state);
        crashPoint(`evolution:checkpoint-${g}`);
        this.emit(null);
        if (g < this.spec.settings.generations && this.o.stopAfterGeneration?.()) {
          const message = `paused after generation ${g}`;
          this.store.finish(this.row.id, 'cancelled', { message });
          this.phase = 'cancelled';
          this.emit(message);
          throw new UserError(`evolution of ${this.o.skill.name} ${message}; it resumes from there next time`, { code: 'paused' });
        }
      }
      return await this.finish();
    } catch (error) {
      if (isUserError(error) && error.code === 'paused') throw error;
      const cancelled = isAbortError(error) || this.o.signal?.aborted;
      const message = cancelled
        ? `cancelled after generation ${this.state?.generation ?? -1}`
        : `failed after generation ${this.state?.generation ?? -1}: ${(error as Error).message}`;
      this.store.finish(this.row.id, cancelled ? 'cancelled' : 'failed', { message });
      this.phase = cancelled ? 'cancelled' : 'failed';
      this.emit(message);
      if (cancelled) {
        throw new UserError(`evolution of ${this.o.skill.name} ${message}; the checkpoint is kept: run it again to resume`, { code: 'cancelled', cause: error });
      }
      throw error;
    }
  }

  private get settings(): RunSpec['settings'] {
    return this.spec.settings;
  }

  /** Finds a run to resume or builds a new one's examples and plan; nothing runs before onPlan agrees. */
  private async prepare(): Promise<void> {
    const { o } = this;
    const skill = o.skill.name;
    const setup = resolveRunSetup(o, this.store);
    const { resumable, notes } = setup;
    this.spec = setup.spec;
    this.train = setup.train;
    this.holdout = setup.holdout;
    if (setup.checkpoint) this.state = setup.checkpoint;
    this.trainIds = new Set(this.train.map((e) => e.id));
    const inputs = [...this.train, ...this.holdout].map((e) => e.input.length);
    this.plan = projectRun({
      skill, kind: o.skill.output, settings: this.settings, trainExamples: this.train.length,
      finalExamples: (this.holdout.length || this.train.length), promptChars: o.active.prompt.length,
      meanInputChars: mean(inputs) ?? 0, resumeFrom: resumable ? (this.state?.generation ?? 0) : null,
      runId: resumable?.id ?? null, rates: measuredRates(o.ctx.db, o.model.id), notes,
    });
    if (o.onPlan && !(await o.onPlan(this.plan))) throw new UserError('evolution not started', { code: 'declined' });
    this.store.abandonOthers(skill, resumable?.id ?? null);
    if (resumable) {
      this.row = resumable;
      this.store.markRunning(resumable.id);
    } else {
      this.row = this.store.create({ skill, baseVersion: o.active.version, basePromptHash: o.active.hash, modelId: o.model.id, spec: this.spec });
    }
    const paid = this.cache.totalsForRun(this.row.id);
    const calls = this.store.callTotals(this.row.id);
    this.counters.llmCalls = paid.calls + calls.calls;
    this.counters.evaluationCalls = paid.calls;
    this.counters.mutationCalls = calls.calls;
    this.counters.promptTokens = paid.promptTokens + calls.promptTokens;
    this.counters.generatedTokens = paid.generatedTokens + calls.generatedTokens;
    this.restoredTokens = this.counters.generatedTokens;
    this.budget = new Budget(this.settings.maxLlmCalls, this.counters.llmCalls);
    // Keep calls back for the final ranking (at most half the budget), so tournaments cannot starve it.
    const finalReserve = Math.min(Math.floor(this.settings.maxLlmCalls / 2), this.plan.calls.final);
    this.budget.setLimit(this.settings.maxLlmCalls - finalReserve);
    this.evaluator = new FitnessEvaluator({
      model: o.model, kind: o.skill.output, scorer: getScorer(o.skill.scorer), cache: this.cache, runId: this.row.id,
      budget: this.budget, counters: this.counters, parallel: this.settings.parallel, maxTokens: this.settings.evaluationMaxTokens,
      signal: o.signal, now: () => nowIso(o.ctx),
    });
    if (this.state) {
      this.mutationPrompts = new Map(this.state.mutationPrompts.map((m) => [m.id, m]));
      this.phase = 'evolving';
    }
  }

  private breedDeps(): BreedDeps {
    const slotLine = slotLineOf(this.o.active.prompt);
    return {
      model: this.o.model, store: this.store, runId: this.row.id, budget: this.budget, counters: this.counters,
      settings: this.settings, operators: this.state.operators, mutationPrompts: this.mutationPrompts,
      opCtx: () => this.operatorContext(), slotLine,
      maxPromptChars: Math.max(1500, 3 * this.o.active.prompt.length), signal: this.o.signal,
    };
  }

  private operatorContext(): OperatorContext {
    const accepted = this.train.filter((e) => e.outcome === 'accepted');
    const pairs = (accepted.length > 0 ? accepted : this.train).map((e) => ({ input: e.input, expected: e.expected }));
    return {
      data: this.data, kind: this.o.skill.output, task: this.o.skill.description, slotLine: slotLineOf(this.o.active.prompt),
      members: this.state.members, mutationPrompts: this.mutationPrompts, pairs,
      mistakesOf: (unit) => {
        const seen = this.evaluator.mistakes(unit, this.train);
        if (seen.length > 0) return seen;
        return this.train.filter((e) => e.outcome !== 'accepted').map((e) => ({ input: e.input, output: e.output, expected: e.expected }));
      },
      temperature: this.settings.temperature, maxTokens: this.settings.maxTokens,
    };
  }

  /**
   * The current prompt plus population_size − 1 zero- and first-order variants (up to 3 rounds, while a round
   * accepts something); few-shot variants of the current prompt fill what the model could not make.
   */
  private async initialise(): Promise<void> {
    const rng = createRng(`${this.settings.seed}|init`);
    const mps = seedMutationPrompts(this.data);
    this.mutationPrompts = new Map(mps.map((m) => [m.id, m]));
    const current = makeUnit({ id: 'current', prompt: this.o.active.prompt, operator: 'current', generation: 0, mutationPromptId: pickFrom(rng, mps).id });
    this.state = { version: 1, generation: 0, members: [current], mutationPrompts: [], operators: emptyOperatorStats(), history: [], stoppedEarly: null };
    this.store.recordUnit(this.row.id, { unit_id: current.id, generation: 0, operator: 'current', parent_id: null, mutation_prompt: null, prompt: current.prompt, prompt_hash: current.hash, status: 'accepted', reason: null, detail: null });
    this.emit('generating the initial population');
    const deps = this.breedDeps();
    const size = this.settings.populationSize;
    try {
      for (let attempt = 0; attempt < 3 && this.state.members.length < size; attempt++) {
        const need = size - this.state.members.length;
        const ctx = this.operatorContext();
        const births: Birth[] = Array.from({ length: need }, (_, i) => {
          const op = (i + attempt) % 2 === 0 ? 'first_order' : 'zero_order';
          const mp = pickFrom(rng, mps);
          return { id: `g0a${attempt}u${i}`, op, parent: current, slot: null, mutationPromptId: mp.id, plan: { kind: 'llm', request: initialRequest(op, current, mp, ctx, rng) } };
        });
        const built = this.state.members.length;
        const progress = (done: number) => this.emit(`building the first population ${Math.min(size, built + done)}/${size}`);
        const children = (await breed({ ...deps, onCallsDone: progress }, births, this.state.members, 0, rng)).filter((c): c is Unit => c !== null);
        this.state.members.push(...children);
        // A round the model got entirely wrong will not go better the next time: few-shot variants fill in.
        if (children.length === 0) break;
      }
    } catch (error) {
      if (!(error instanceof BudgetExhausted)) throw error;
      this.state.stoppedEarly = 'budget';
    }
    for (let attempt = 0; attempt < 3 * size && this.state.members.length < size; attempt++) {
      const ctx = this.operatorContext();
      if (ctx.pairs.length === 0) break;
      const plan = planMutation('few_shot', current, ctx, rng);
      const [child] = await breed(deps, [{ id: `g0f${attempt}`, op: 'few_shot', parent: current, slot: null, mutationPromptId: null, plan }], this.state.members, 0, rng);
      if (child) this.state.members.push(child);
    }
    this.phase = 'evolving';
    this.recordHistory(0);
    this.store.saveCheckpoint(this.row.id, this.state);
    crashPoint('evolution:checkpoint-0');
    this.emit(`initial population of ${this.state.members.length}`);
  }

  /** population_size / 2 binary tournaments in rounds of disjoint pairs; each loser is overwritten by a mutant of its winner. */
  private async generation(g: number): Promise<void> {
    const rng = createRng(`${this.settings.seed}|gen|${g}`);
    const members = this.state.members;
    const rounds = tournamentRounds(rng, members.length, tournamentsOf(this.settings));
    for (const [r, pairs] of rounds.entries()) {
      const matches = pairs.map(([a, b]) => ({ a, b, examples: sampleExamples(rng, this.train, this.settings.evaluationSamples) }));
      const scores = await this.evaluator.score(
        matches.flatMap((m) => [members[m.a], members[m.b]].flatMap((unit) => m.examples.map((example) => ({ unit, example })))),
      );
      if (r === 0) crashPoint(`evolution:generation-${g}`);
      this.judge(matches.flatMap((m) => [members[m.a], members[m.b]]));
      const births: Birth[] = [];
      for (const [p, m] of matches.entries()) {
        const on = (unit: Unit) => mean(m.examples.map((e) => scores.get(pairKey(unit.hash, e.id)) ?? 0)) ?? 0;
        const [sa, sb] = [on(members[m.a]), on(members[m.b])];
        let aWins = sa > sb;
        if (sa === sb) {
          const [ea, eb] = [this.estimate(members[m.a]).mean ?? 0, this.estimate(members[m.b]).mean ?? 0];
          aWins = ea === eb ? rng.next() < 0.5 : ea > eb;
        }
        const [winner, loserSlot] = aWins ? [members[m.a], m.b] : [members[m.b], m.a];
        const ctx = this.operatorContext();
        const op = pickOperator(rng, this.settings.operatorWeights, availableOperators(ctx));
        births.push({ id: `g${g}r${r}p${p}`, op, parent: winner, slot: loserSlot, mutationPromptId: winner.mutationPromptId, plan: planMutation(op, winner, ctx, rng) });
      }
      const children = await breed(this.breedDeps(), births, members, g, rng);
      children.forEach((child, i) => {
        if (child) members[births[i].slot!] = child;
      });
    }
  }

  private estimate(unit: Unit): { mean: number | null; n: number } {
    return this.evaluator.estimate(unit, this.trainIds);
  }

  /** A child scored for the first time is compared with its parent on the same examples: an improvement or not, per operator. */
  private judge(units: readonly Unit[]): void {
    for (const unit of units) {
      if (unit.judged || !unit.parentHash || unit.operator === 'current') continue;
      const own = this.cache.scoresOf(this.o.model.id, unit.hash, this.trainIds);
      if (own.length === 0) continue;
      const parentScores = new Map(this.cache.scoresOf(this.o.model.id, unit.parentHash, this.trainIds).map((s) => [s.exampleId, s.score]));
      const shared = own.filter((s) => parentScores.has(s.exampleId));
      const parent = shared.length > 0 ? mean(shared.map((s) => parentScores.get(s.exampleId)!)) : mean([...parentScores.values()]);
      if (parent === null) continue;
      const child = mean((shared.length > 0 ? shared : own).map((s) => s.score))!;
      unit.judged = true;
      unit.parentFitness = parent;
      const stats = this.state.operators[unit.operator];
      stats.judged++;
      if (child > parent) {
        stats.improvements++;
        const mp = unit.mutationPromptId ? this.mutationPrompts.get(unit.mutationPromptId) : undefined;
        if (mp) mp.improvements++;
      }
    }
  }

  private recordHistory(generation: number): void {
    this.state.mutationPrompts = [...this.mutationPrompts.values()];
    const { best, mean: avg } = summarise(this.state.members.map((u) => this.estimate(u).mean));
    this.state.history = [...this.state.history.filter((h) => h.generation !== generation), { generation, best, mean: avg }];
  }

  /** Final ranking on held-out examples (as many as the budget allows), then the top variants with their reasoning. */
  private async finish(): Promise<EvolutionResult> {
    this.phase = 'final-evaluation';
    this.emit('ranking on held-out examples');
    this.budget.setLimit(this.settings.maxLlmCalls);
    const current = makeUnit({ id: 'current', prompt: this.o.active.prompt, operator: 'current', generation: 0 });
    const units = [...new Map([...this.state.members, current].map((u) => [u.hash, u])).values()];
    const pool = this.holdout.length > 0 ? this.holdout : this.train;
    const examples = pool.slice(0, this.affordableExamples(units, pool));
    const scores = await this.evaluator.score(units.flatMap((unit) => examples.map((example) => ({ unit, example }))));
    crashPoint('evolution:final');
    const fitnessOf = (u: Unit) => mean(examples.map((e) => scores.get(pairKey(u.hash, e.id)) ?? 0));
    const ranking: RankedUnit[] = units.map((unit) => {
      const train = this.estimate(unit);
      return { unit, fitness: examples.length ? fitnessOf(unit) : null, trainFitness: train.mean, trainSamples: train.n };
    }).sort((a, b) => (b.fitness ?? -1) - (a.fitness ?? -1) || (b.trainFitness ?? -1) - (a.trainFitness ?? -1));
    const currentFitness = ranking.find((r) => r.unit.hash === current.hash)?.fitness ?? null;
    const candidates = ranking.filter((r) => r.unit.hash !== current.hash);
    if (candidates.length === 0) {
      throw new UserError(`evolution of ${this.o.skill.name} produced no valid variant (every mutant was rejected; see evolution_units of run ${this.row.id})`, { code: 'no_variants' });
    }
    const chosen = candidates.slice(0, this.settings.variants);
    const variants: VariantSpec[] = chosen.map((r) => ({ prompt: r.unit.prompt, source: 'smollm2', fitness: r.fitness, fitnessSamples: examples.length, reasoning: describeVariant(r, examples.length, currentFitness, this.mutationPrompts) }));
    const best = chosen[0].fitness;
    const needsReview = best !== null && best < this.settings.rollbackThreshold;
    const result: EvolutionResult = {
      runId: this.row.id, skill: this.o.skill.name, modelId: this.o.model.id, resumedFrom: this.plan.resumeFrom,
      generations: this.state.generation, stoppedEarly: this.state.stoppedEarly, variants, needsReview,
      reviewReason: needsReview ? `the best variant scores ${percent(best)} on ${examples.length} held-out examples, below rollback_threshold ${percent(this.settings.rollbackThreshold)}` : null,
      currentFitness, bestFitness: best, finalExamples: examples.length, ranking, counters: { ...this.counters },
      operators: this.state.operators, evolvedMutationPrompts: [...this.mutationPrompts.values()].filter((m) => m.origin === 'hypermutation'),
      examples: { train: this.train.length, holdout: this.holdout.length, note: this.spec.exampleNote }, history: this.state.history,
      plan: this.plan, wallMs: performance.now() - this.started,
    };
    const c = this.counters;
    const rates = c.evaluationCalls > 0 && c.mutationCalls > 0 && c.evaluationMs > 0 && c.mutationMs > 0
      ? { secondsPerEvaluation: c.evaluationMs / 1000 / c.evaluationCalls, secondsPerMutation: c.mutationMs / 1000 / c.mutationCalls }
      : undefined;
    this.store.finish(this.row.id, 'done', { result: { ...summariseResult(result), rates } });
    this.phase = 'done';
    this.emit(`best ${percent(best)} vs current ${percent(currentFitness)} on ${examples.length} held-out examples`);
    return result;
  }

  /** How many final examples fit the remaining budget, counting only uncached pairs. */
  private affordableExamples(units: readonly Unit[], pool: readonly Example[]): number {
    const cached = this.cache.lookup(this.o.model.id, units.flatMap((u) => pool.map((e) => ({ promptHash: u.hash, exampleId: e.id }))));
    let left = this.budget.remaining;
    for (const [i, example] of pool.entries()) {
      const cost = units.filter((u) => !cached.has(pairKey(u.hash, example.id))).length;
      if (cost > left) return i;
      left -= cost;
    }
    return pool.length;
  }

  private emit(message: string | null): void {
    if (!this.o.onProgress) return;
    const s = this.settings;
    const { best, mean: avg } = this.state ? summarise(this.state.members.map((u) => this.estimate(u).mean)) : { best: null, mean: null };
    const c = this.counters;
    const seconds = (c.evaluationMs + c.mutationMs) / 1000;
    const perGeneration = mean(this.generationMs);
    const left = Math.max(0, s.generations - (this.state?.generation ?? 0));
    const perEval = c.evaluationCalls > 0 ? c.evaluationMs / 1000 / c.evaluationCalls : null;
    const eta = this.phase === 'done' ? 0 : perGeneration === null ? null : (left * perGeneration) / 1000 + (perEval ?? 0) * this.plan.calls.final;
    this.o.onProgress({
      skill: this.o.skill.name, phase: this.phase, generation: this.state?.generation ?? 0, generations: s.generations,
      bestFitness: best, meanFitness: avg, llmCalls: this.budget?.used ?? 0, maxLlmCalls: s.maxLlmCalls,
      tokensPerSecond: seconds > 0 ? (c.generatedTokens - this.restoredTokens) / seconds : null, etaSeconds: eta, message,
    });
  }
}

export { summariseResult, type EvolutionResult, type RankedUnit } from './result';

export const runEvolution = (options: EvolutionRunOptions): Promise<EvolutionResult> => new EvolutionRun(options).run();
