import { nowIso } from '../context';
import { isAbortError } from '../llm/abort';
import { startMeter } from '../util/cpu-meter';
import { crashPoint } from '../util/crash-point';
import { isUserError, UserError } from '../util/errors';
import { percent } from '../util/format';
import { createRng, pickFrom } from '../util/random';
import { modelProposer, type Birth, type Proposer } from './breed';
import { BudgetExhausted } from './budget';
import { RunStore, type Checkpoint } from './checkpoint';
import { loadEvolutionData, type EvolutionData } from './data';
import { rankFinal } from './final-ranking';
import { FitnessCache } from './fitness-cache';
import { initialPopulation } from './initial-population';
import { pickOperator, planMutation, type OperatorContext } from './operators';
import { finalCalls, tournamentsOf } from './plan';
import { emptyOperatorStats, makeUnit, mean, seedMutationPrompts, summarise, tournamentRounds } from './population';
import { progressView } from './progress';
import { assembleResult, summariseResult, type EvolutionResult } from './result';
import {
  breedDepsOf,
  drawableOperators,
  emptyCounters,
  openRun,
  operatorContextOf,
  type EvolutionRunOptions,
  type OpenRun,
} from './run-context';
import {
  countTransfer,
  INITIAL_TRANSFER_SHARE,
  judgeTransfer,
  learningWeights,
  libraryView,
  mutationPromptPicker,
  type LibraryView,
} from './learning';
import { checkPinned, sampleWithGold, weaveGold, type PinnedCheck } from './gold-share';
import { getScorer } from '../skills/scorers';
import { judgeChildren, playRound } from './tournament';
import type { EvolutionPhase, MutationPromptEntry, OperatorName, Unit } from './types';

export type { EvolutionRunOptions } from './run-context';

/**
 * One PromptBreeder run (microbial GA) for one skill, in GEPA's shape: this loop owns the state, the budget, the
 * checkpoints and the progress; the decisions are pure policies (tournament pairs and examples in population.ts,
 * racing in racing.ts, successive halving in halving.ts, operator retirement and caps in operator-policy.ts) and
 * the mutants come from an injected Proposer. Checkpointed every generation; resumable after a kill, a crash or a cancel.
 */
export class EvolutionRun {
  private readonly data: EvolutionData = loadEvolutionData();
  private readonly store: RunStore;
  private readonly cache: FitnessCache;
  private readonly counters = emptyCounters();
  private run!: OpenRun;
  private state!: Checkpoint;
  private mutationPrompts = new Map<string, MutationPromptEntry>();
  private proposer: Proposer | null = null;
  private libraryCache: LibraryView | null = null;
  private phase: EvolutionPhase = 'initialising';
  /** Wall and CPU time since the run itself began (after the plan was accepted): what the projection is checked against. */
  private meter = startMeter();
  private generationMs: number[] = [];
  /** Matches this process played and the examples each unit of them was scored on (racing stops early). */
  private readonly matches = { played: 0, examples: 0 };

  constructor(private readonly options: EvolutionRunOptions) {
    this.store = new RunStore(options.ctx.db, () => nowIso(options.ctx));
    this.cache = new FitnessCache(options.ctx.db);
  }

  async execute(): Promise<EvolutionResult> {
    this.run = await openRun(this.options, { data: this.data, store: this.store, cache: this.cache, counters: this.counters });
    this.meter = startMeter();
    if (this.run.checkpoint) {
      this.state = this.run.checkpoint;
      this.mutationPrompts = new Map(this.state.mutationPrompts.map((m) => [m.id, m]));
      // A checkpoint from before an operator existed has no counts for it.
      this.state.operators = { ...emptyOperatorStats(), ...this.state.operators };
      this.phase = 'evolving';
    }
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

  private get settings() {
    return this.run.spec.settings;
  }

  private get wiring() {
    const { options, data, run, state, mutationPrompts, library } = this;
    return { options, data, run, state, mutationPrompts, library };
  }

  /** Cross-skill learning's view of the run's library snapshot (null: learning off for this run). */
  private get library(): LibraryView | null {
    if (!this.settings.crossSkillLearning) return null;
    this.libraryCache ??= libraryView(this.run.spec.library, seedMutationPrompts(this.data));
    return this.libraryCache;
  }

  private operatorContext(): OperatorContext {
    return operatorContextOf(this.wiring);
  }

  private getProposer(): Proposer {
    this.proposer ??= (this.options.proposer ?? modelProposer)(breedDepsOf(this.wiring, { store: this.store, counters: this.counters }));
    return this.proposer;
  }

  /** The initial population (see initial-population.ts), checkpointed as generation 0. */
  private async initialise(): Promise<void> {
    const rng = createRng(`${this.settings.seed}|init`);
    const library = this.library;
    const seedPrompts = [...seedMutationPrompts(this.data), ...(library?.mutationPrompts ?? [])];
    this.mutationPrompts = new Map(seedPrompts.map((m) => [m.id, m]));
    const mutationPromptId = pickFrom(rng, seedPrompts).id;
    const current = makeUnit({ id: 'current', prompt: this.options.active.prompt, operator: 'current', generation: 0, mutationPromptId });
    const operators = emptyOperatorStats();
    this.state = { version: 1, generation: 0, members: [current], mutationPrompts: [], operators, history: [], stoppedEarly: null };
    this.store.recordUnit(this.run.row.id, {
      ...{ unit_id: current.id, generation: 0, operator: 'current', parent_id: null, mutation_prompt: null },
      ...{ prompt: current.prompt, prompt_hash: current.hash, status: 'accepted', reason: null, detail: null },
    });
    this.emit('generating the initial population');
    const initial = await initialPopulation({
      members: this.state.members,
      current,
      size: this.settings.populationSize,
      rng,
      seedPrompts,
      proposer: this.getProposer(),
      operatorContext: () => this.operatorContext(),
      ...(library ? { pickMutationPrompt: mutationPromptPicker(library, seedPrompts) } : {}),
      onTransfer: (birth, accepted) => countTransfer(this.state, birth, accepted),
      transfers: library ? Math.min(library.lessons.length, Math.floor(this.settings.populationSize * INITIAL_TRANSFER_SHARE)) : 0,
      drawable: (ctx) => drawableOperators(this.run, this.state, ctx),
      onBuilt: (made) => this.emit(`building the first population ${made}/${this.settings.populationSize}`),
    });
    this.state.stoppedEarly = initial.stoppedEarly;
    this.phase = 'evolving';
    this.checkpoint(0);
    this.emit(`initial population of ${this.state.members.length}`);
  }

  /** population_size / 2 raced binary tournaments in rounds of disjoint pairs; each loser is overwritten by a mutant of its winner. */
  private async generation(g: number): Promise<void> {
    const rng = createRng(`${this.settings.seed}|gen|${g}`);
    const { members } = this.state;
    const { train } = this.run;
    const rounds = tournamentRounds(rng, members.length, tournamentsOf(this.settings));
    for (const [r, pairs] of rounds.entries()) {
      const sample = () => sampleWithGold(rng, train, this.run.gold, this.settings.evaluationSamples, this.run.goldShare);
      const matches = pairs.map(([a, b]) => ({ a, b, examples: sample() }));
      const estimate = (unit: Unit) => this.estimate(unit).mean ?? 0;
      const outcomes = await playRound(this.run.evaluator, members, matches, this.settings.racing, estimate, rng);
      this.matches.played += outcomes.length;
      this.matches.examples += outcomes.reduce((sum, o) => sum + o.scored, 0);
      if (r === 0) crashPoint(`evolution:generation-${g}`);
      this.judge(matches.flatMap((m) => [members[m.a], members[m.b]]));
      const ctx = this.operatorContext();
      const operators = drawableOperators(this.run, this.state, ctx);
      const weights = this.library ? learningWeights(rng, this.settings.operatorWeights, this.library) : this.settings.operatorWeights;
      const births: Birth[] = outcomes.map((outcome, p) => {
        const winner = members[outcome.winner];
        const op = pickOperator(rng, weights, operators);
        const plan = planMutation(op, winner, ctx, rng);
        return { id: `g${g}r${r}p${p}`, op, parent: winner, slot: outcome.loser, mutationPromptId: winner.mutationPromptId, plan };
      });
      const children = await this.getProposer().propose(births, members, g, rng);
      births.forEach((b, i) => countTransfer(this.state, b, children[i] !== null));
      children.forEach((child, i) => {
        if (child) members[births[i].slot!] = child;
      });
    }
  }

  private estimate(unit: Unit): { mean: number | null; n: number } {
    return this.run.evaluator.estimate(unit, this.run.trainIds);
  }

  private judge(units: readonly Unit[]): void {
    const scoresOf = (hash: string) => this.cache.scoresOf(this.options.model.id, hash, this.run.trainIds);
    judgeChildren(units, scoresOf, (unit, improved) => {
      if (this.library) judgeTransfer(this.state, unit, improved);
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
    this.store.saveCheckpoint(this.run.row.id, this.state);
    crashPoint(`evolution:checkpoint-${generation}`);
    if (generation > 0) this.emit(null);
  }

  private pause(generation: number): never {
    const message = `paused after generation ${generation}`;
    this.store.finish(this.run.row.id, 'cancelled', { message });
    this.phase = 'cancelled';
    this.emit(message);
    throw new UserError(`evolution of ${this.options.skill.name} ${message}; it resumes from there next time`, { code: 'paused' });
  }

  private fail(error: unknown): unknown {
    const cancelled = isAbortError(error) || this.options.signal?.aborted;
    const after = `after generation ${this.state?.generation ?? -1}`;
    const message = cancelled ? `cancelled ${after}` : `failed ${after}: ${(error as Error).message}`;
    this.store.finish(this.run.row.id, cancelled ? 'cancelled' : 'failed', { message });
    this.phase = cancelled ? 'cancelled' : 'failed';
    this.emit(message);
    if (!cancelled) return error;
    const resume = `${message}; the checkpoint is kept: run it again to resume`;
    return new UserError(`evolution of ${this.options.skill.name} ${resume}`, { code: 'cancelled', cause: error });
  }

  /** Final ranking on held-out examples (successive halving within the budget), then the top variants with their reasoning. */
  private async finish(): Promise<EvolutionResult> {
    this.phase = 'final-evaluation';
    this.emit('ranking on held-out examples');
    const { run, counters } = this;
    run.budget.setLimit(this.settings.maxLlmCalls);
    const before = counters.evaluationCalls;
    const current = makeUnit({ id: 'current', prompt: this.options.active.prompt, operator: 'current', generation: 0 });
    const { ranking, examples } = await rankFinal({
      evaluator: run.evaluator,
      candidates: [...new Map(this.state.members.map((u) => [u.hash, u])).values()],
      current,
      pool: weaveGold(run.holdout.length > 0 ? run.holdout : run.train, run.gold, run.goldShare),
      keep: this.settings.variants,
      policy: this.settings.ranking,
      budget: run.budget.remaining,
      estimate: (unit) => this.estimate(unit),
    });
    const chosen = ranking
      .filter((r) => r.unit.hash !== current.hash)
      .slice(0, this.settings.variants)
      .map((r) => r.unit);
    const pinnedChecks = await this.checkPinned(chosen, current);
    crashPoint('evolution:final');
    const result = assembleResult({
      pinnedChecks,
      runId: run.row.id,
      skill: this.options.skill.name,
      modelId: this.options.model.id,
      plan: run.plan,
      state: this.state,
      ranking,
      examples,
      currentHash: current.hash,
      settings: this.settings,
      counters,
      mutationPrompts: this.mutationPrompts,
      learning: this.settings.crossSkillLearning === true,
      basePrompt: this.options.active.prompt,
      split: { train: run.train.length, holdout: run.holdout.length, note: run.spec.exampleNote },
      measured: this.meter(),
      spend: {
        tournamentEvaluations: before - run.spentBefore.evaluations,
        finalEvaluations: counters.evaluationCalls - before,
        mutations: counters.mutationCalls - run.spentBefore.mutations,
        matches: this.matches.played,
        examplesPerMatch: this.matches.played > 0 ? this.matches.examples / this.matches.played : null,
      },
    });
    this.store.finish(run.row.id, 'done', { result: summariseResult(result) });
    this.phase = 'done';
    this.emit(`best ${percent(result.bestFitness)} vs current ${percent(result.currentFitness)} on ${examples} held-out examples`);
    return result;
  }

  /**
   * Scores the chosen variants and the current prompt on every pinned example (most pairs are cached by now). Never
   * skipped for the budget: it costs at most (variants + 1) × pinned calls, and a variant that breaks one must be flagged.
   */
  private async checkPinned(chosen: readonly Unit[], current: Unit): Promise<Map<string, PinnedCheck>> {
    const { pinned, evaluator, budget } = this.run;
    const checks = new Map<string, PinnedCheck>();
    if (pinned.length === 0 || chosen.length === 0) return checks;
    const units = [...chosen, current];
    budget.setLimit(Math.max(budget.max, budget.used + units.length * pinned.length));
    await evaluator.score(units.flatMap((unit) => pinned.map((example) => ({ unit, example }))));
    const ids = new Set(pinned.map((e) => e.id));
    const outputs = (unit: Unit) =>
      new Map(this.cache.scoresOf(this.options.model.id, unit.hash, ids).map((row) => [row.exampleId, row.output]));
    const scorer = getScorer(this.options.skill.scorer);
    const currentOutputs = outputs(current);
    for (const unit of chosen) checks.set(unit.hash, checkPinned(pinned, { variant: outputs(unit), current: currentOutputs }, scorer));
    return checks;
  }

  private emit(message: string | null): void {
    if (!this.options.onProgress) return;
    const estimates = this.state ? this.state.members.map((u) => this.estimate(u).mean) : [];
    const { best, mean: average } = summarise(estimates);
    this.options.onProgress(
      progressView({
        skill: this.options.skill.name,
        phase: this.phase,
        generation: this.state?.generation ?? 0,
        settings: this.settings,
        best,
        average,
        counters: this.counters,
        restoredTokens: this.run.spentBefore.generatedTokens,
        used: this.run.budget.used,
        generationMs: mean(this.generationMs),
        finalCalls: finalCalls(this.run.plan),
        message,
      }),
    );
  }
}

export { summariseResult, type EvolutionResult, type RankedUnit } from './result';

/** One run, with the model arranged for an evolution (its speed probe included) until the run ends. */
export async function runEvolution(options: EvolutionRunOptions): Promise<EvolutionResult> {
  const end = await options.model.beginEvolution?.();
  try {
    return await new EvolutionRun(options).execute();
  } finally {
    await end?.();
  }
}
