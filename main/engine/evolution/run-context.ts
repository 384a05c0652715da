import type { EngineContext } from '../context';
import { nowIso } from '../context';
import type { TaskLog } from '../feedback/task-log';
import type { TextModel } from '../llm/types';
import { getScorer } from '../skills/scorers';
import type { SkillDefinition } from '../skills/skill-file';
import { UserError } from '../util/errors';
import type { BreedDeps, Proposer } from './breed';
import { Budget } from './budget';
import type { Checkpoint, RunRow, RunSpec, RunStore } from './checkpoint';
import type { EvolutionData } from './data';
import type { FitnessCache } from './fitness-cache';
import { FitnessEvaluator } from './fitness';
import { goldToExample } from './gold-share';
import type { GoldExample } from '../gold/gold-file';
import { mutationCap, retiredOperators, roughTokens } from './operator-policy';
import { availableOperators, type OperatorContext } from './operators';
import type { EvolutionPlan } from './plan';
import { operatorHistory, planRun, resolveRunSetup, restoredCounters } from './run-setup';
import { slotLineOf } from './validation';
import { applicableLessons, takeSnapshot, type LibraryView } from './learning';
import type { Example, EvolutionProgress, EvolutionSettings, MutationPromptEntry, OperatorName, OperatorStats, RunCounters } from './types';

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
  /** The skill's gold examples (shipped and pinned) and the share of every evaluation set they take (issue 15). */
  gold?: { examples: readonly GoldExample[]; share: number };
}

export const emptyCounters = (): RunCounters => ({
  llmCalls: 0,
  evaluationCalls: 0,
  mutationCalls: 0,
  cacheHits: 0,
  replayedCalls: 0,
  promptTokens: 0,
  generatedTokens: 0,
  evaluationMs: 0,
  mutationMs: 0,
  errors: 0,
});

/** A run once its plan is accepted: its row, settings and examples, budget, evaluator, and what an earlier process paid. */
export interface OpenRun {
  row: RunRow;
  spec: RunSpec;
  train: Example[];
  holdout: Example[];
  /** Training examples and gold ones: what a unit's tournament estimate is the mean over. */
  trainIds: Set<string>;
  /** Gold examples (shipped and pinned) as evaluation examples, the pinned ones among them, and their share. */
  gold: Example[];
  pinned: Example[];
  goldShare: number;
  /** The resumed run's last checkpoint, or null for a new run. */
  checkpoint: Checkpoint | null;
  plan: EvolutionPlan;
  budget: Budget;
  evaluator: FitnessEvaluator;
  /** Operator attempts and acceptances of earlier runs on this model file. */
  operatorPast: Partial<Record<OperatorName, Pick<OperatorStats, 'attempts' | 'accepted'>>>;
  /** Calls and generated tokens a resumed run had paid before this process. */
  spentBefore: { evaluations: number; mutations: number; generatedTokens: number };
}

/**
 * Finds the run to resume or sets up a new one, shows the plan (nothing runs before onPlan agrees), then opens the
 * row, restores what it paid into `counters`, and builds its budget (calls kept back for the final ranking) and evaluator.
 */
export async function openRun(
  options: EvolutionRunOptions,
  parts: { data: EvolutionData; store: RunStore; cache: FitnessCache; counters: RunCounters },
): Promise<OpenRun> {
  const { store, cache, counters } = parts;
  const skill = options.skill.name;
  const setup = resolveRunSetup(options, store);
  const { spec, train, holdout, checkpoint } = setup;
  if (!setup.resumable && spec.settings.crossSkillLearning) spec.library = takeSnapshot(options.ctx, skill);
  const plan = await planRun(options, setup, parts.data, checkpoint?.generation ?? 0);
  if (options.onPlan && !(await options.onPlan(plan))) throw new UserError('evolution not started', { code: 'declined' });
  store.abandonOthers(skill, setup.resumable?.id ?? null);
  const base = { skill, baseVersion: options.active.version, basePromptHash: options.active.hash, modelId: options.model.id, spec };
  const row = setup.resumable ?? store.create(base);
  if (setup.resumable) store.markRunning(row.id);
  Object.assign(counters, restoredCounters(cache, store, row.id));
  const settings = spec.settings;
  const budget = new Budget(settings.maxLlmCalls, counters.llmCalls);
  // Keep calls back for the final ranking (at most half the budget), so tournaments cannot starve it.
  budget.setLimit(settings.maxLlmCalls - Math.min(Math.floor(settings.maxLlmCalls / 2), plan.calls.final));
  const evaluator = new FitnessEvaluator({
    model: options.model,
    kind: options.skill.output,
    scorer: getScorer(options.skill.scorer),
    cache,
    runId: row.id,
    budget,
    counters,
    parallel: settings.parallel,
    maxTokens: settings.evaluationMaxTokens,
    signal: options.signal,
    now: () => nowIso(options.ctx),
  });
  const gold = (options.gold?.examples ?? []).map(goldToExample);
  const pinnedIds = new Set((options.gold?.examples ?? []).filter((g) => g.source === 'pinned').map((g) => g.id));
  return {
    row,
    spec,
    train,
    holdout,
    trainIds: new Set([...train, ...gold].map((e) => e.id)),
    gold,
    pinned: gold.filter((e) => pinnedIds.has(e.id)),
    goldShare: options.gold?.share ?? 0,
    checkpoint,
    plan,
    budget,
    evaluator,
    operatorPast: operatorHistory(options.ctx.db, options.model.id, row.id),
    spentBefore: { evaluations: counters.evaluationCalls, mutations: counters.mutationCalls, generatedTokens: counters.generatedTokens },
  };
}

interface Wiring {
  options: EvolutionRunOptions;
  data: EvolutionData;
  run: OpenRun;
  state: Checkpoint;
  mutationPrompts: Map<string, MutationPromptEntry>;
  /** Cross-skill learning's view of the library; null when learning is off for this run. */
  library: LibraryView | null;
}

/** What the operators see: the population, accepted pairs (never held out), the mistakes a unit made, the output caps. */
export function operatorContextOf({ options, data, run, state, mutationPrompts, library }: Wiring): OperatorContext {
  const { train } = run;
  const accepted = train.filter((e) => e.outcome === 'accepted');
  const pairs = (accepted.length > 0 ? accepted : train).map((e) => ({ input: e.input, expected: e.expected }));
  const { operatorPolicy, maxTokens, temperature } = run.spec.settings;
  return {
    data,
    kind: options.skill.output,
    task: options.skill.description,
    slotLine: slotLineOf(options.active.prompt),
    members: state.members,
    mutationPrompts,
    pairs,
    mistakesOf: (unit) => {
      const seen = run.evaluator.mistakes(unit, train);
      if (seen.length > 0) return seen;
      return train.filter((e) => e.outcome !== 'accepted').map((e) => ({ input: e.input, output: e.output, expected: e.expected }));
    },
    temperature,
    maxTokens,
    capFor: (parentPrompt, hyper) => mutationCap(operatorPolicy, maxTokens, roughTokens(parentPrompt), hyper),
    ...(library ? { lessons: applicableLessons(library, state), credit: library.credit } : {}),
  };
}

/** What the model-backed proposer needs. */
export function breedDepsOf(wiring: Wiring, parts: { store: RunStore; counters: RunCounters }): BreedDeps {
  const { options, run, state, mutationPrompts } = wiring;
  return {
    model: options.model,
    store: parts.store,
    runId: run.row.id,
    budget: run.budget,
    counters: parts.counters,
    settings: run.spec.settings,
    operators: state.operators,
    mutationPrompts,
    opCtx: () => operatorContextOf(wiring),
    slotLine: slotLineOf(options.active.prompt),
    maxPromptChars: Math.max(1500, 3 * options.active.prompt.length),
    signal: options.signal,
  };
}

/** Operators the policy still draws: available now, and not retired for never producing a valid mutant on this model. */
export function drawableOperators(run: OpenRun, state: Checkpoint, ctx: OperatorContext): OperatorName[] {
  const retired = retiredOperators(state.operators, run.operatorPast, run.spec.settings.operatorPolicy);
  return availableOperators(ctx).filter((op) => !retired.has(op));
}
