import type { VariantSpec } from '../ab/session-types';
import { UserError } from '../util/errors';
import type { Checkpoint } from './checkpoint';
import type { PinnedCheck } from './gold-share';
import type { Measured } from '../util/cpu-meter';
import { formatDuration, projectionError, type EvolutionPlan, type ProjectionCheck } from './plan';
import { learnedFromLabel } from '../learning/types';
import { provenanceOf } from './learning';
import { OPERATOR_LABELS } from './population';
import type { EvolutionSettings, MutationPromptEntry, OperatorName, OperatorStats, RunCounters, Unit } from './types';
import { percent } from '../util/format';

export interface RankedUnit {
  unit: Unit;
  /** Mean score on the held-out examples it met in the final ranking. */
  fitness: number | null;
  /** How many held-out examples that is (successive halving rules weak units out early). */
  finalSamples: number;
  trainFitness: number | null;
  trainSamples: number;
}

export interface EvolutionResult {
  runId: string;
  skill: string;
  modelId: string;
  resumedFrom: number | null;
  generations: number;
  stoppedEarly: 'budget' | null;
  variants: VariantSpec[];
  needsReview: boolean;
  reviewReason: string | null;
  currentFitness: number | null;
  bestFitness: number | null;
  finalExamples: number;
  ranking: RankedUnit[];
  counters: RunCounters;
  operators: Record<OperatorName, OperatorStats>;
  evolvedMutationPrompts: MutationPromptEntry[];
  examples: { train: number; holdout: number; note: string | null };
  history: Checkpoint['history'];
  plan: EvolutionPlan;
  wallMs: number;
  /** Projected vs measured wall time and CPU-seconds (a resumed run compares only the part it ran). */
  projection: ProjectionCheck;
  /** Calls by phase, and the tournament calls paid as a share of their upper bound (the next projection's guess). */
  spend: {
    tournamentEvaluations: number;
    finalEvaluations: number;
    mutations: number;
    /** Matches played in this process, and the mean examples each unit of a match was scored on. */
    matches: number;
    examplesPerMatch: number | null;
    tournamentShare: number | null;
  };
}

export interface ResultInput {
  runId: string;
  skill: string;
  modelId: string;
  plan: EvolutionPlan;
  state: Checkpoint;
  ranking: RankedUnit[];
  /** Held-out examples the kept units met. */
  examples: number;
  currentHash: string;
  settings: Pick<EvolutionSettings, 'variants' | 'rollbackThreshold'>;
  counters: RunCounters;
  mutationPrompts: ReadonlyMap<string, MutationPromptEntry>;
  /** Cross-skill learning: each variant carries its provenance (the library entries to credit when its test concludes). */
  learning: boolean;
  /** The prompt the run evolved from. */
  basePrompt: string;
  split: EvolutionResult['examples'];
  /** Wall and CPU time of the run, and the machine's other load meanwhile. */
  measured: Measured;
  spend: Omit<EvolutionResult['spend'], 'tournamentShare'>;
  /** Per chosen variant (by prompt hash): the pinned examples it breaks. */
  pinnedChecks?: ReadonlyMap<string, PinnedCheck>;
}

/** The run's result: the top variants with their reasoning, the review flag, and what the run spent against its projection. */
export function assembleResult(i: ResultInput): EvolutionResult {
  const currentFitness = i.ranking.find((r) => r.unit.hash === i.currentHash)?.fitness ?? null;
  const chosen = i.ranking.filter((r) => r.unit.hash !== i.currentHash).slice(0, i.settings.variants);
  if (chosen.length === 0) {
    throw new UserError(
      `evolution of ${i.skill} produced no valid variant (every mutant was rejected; see evolution_units of run ${i.runId})`,
      { code: 'no_variants' },
    );
  }
  const variants: VariantSpec[] = chosen.map((r) => {
    const pinned = i.pinnedChecks?.get(r.unit.hash);
    return {
      prompt: r.unit.prompt,
      source: 'smollm2',
      fitness: r.fitness,
      fitnessSamples: r.finalSamples,
      reasoning: [describeVariant(r, currentFitness, i.mutationPrompts), pinned && describePinned(pinned)].filter(Boolean).join('; '),
      brokenPins: pinned ? pinned.broken : null,
      ...(i.learning ? { provenance: provenanceOf(r.unit, i.basePrompt) } : {}),
    };
  });
  const best = chosen[0].fitness;
  const needsReview = best !== null && best < i.settings.rollbackThreshold;
  const fresh = i.plan.resumeFrom === null;
  return {
    runId: i.runId,
    skill: i.skill,
    modelId: i.modelId,
    resumedFrom: i.plan.resumeFrom,
    generations: i.state.generation,
    stoppedEarly: i.state.stoppedEarly,
    variants,
    needsReview,
    reviewReason: needsReview
      ? `the best variant scores ${percent(best)} on ${chosen[0].finalSamples} held-out examples, ` +
        `below rollback_threshold ${percent(i.settings.rollbackThreshold)}`
      : null,
    currentFitness,
    bestFitness: best,
    finalExamples: i.examples,
    ranking: i.ranking,
    counters: { ...i.counters },
    operators: i.state.operators,
    evolvedMutationPrompts: [...i.mutationPrompts.values()].filter((m) => m.origin === 'hypermutation'),
    examples: i.split,
    history: i.state.history,
    plan: i.plan,
    wallMs: i.measured.wallS * 1000,
    projection: projectionError(i.plan, i.measured, fresh),
    spend: {
      ...i.spend,
      tournamentShare: fresh && i.plan.calls.evaluations > 0 ? i.spend.tournamentEvaluations / i.plan.calls.evaluations : null,
    },
  };
}

/** The variant's reasoning for the A/B session: how it was made, from what, and how it scored. */
export function describeVariant(
  r: RankedUnit,
  currentFitness: number | null,
  mutationPrompts: ReadonlyMap<string, MutationPromptEntry>,
): string {
  const u = r.unit;
  const mp = u.mutationPromptId ? mutationPrompts.get(u.mutationPromptId) : undefined;
  const usesMp = u.operator === 'first_order' || u.operator === 'direct' || u.operator === 'hypermutation';
  return [
    u.learnedFrom ? `${learnedFromLabel(u.learnedFrom)} (${u.learnedFrom.change})` : null,
    `${OPERATOR_LABELS[u.operator]}${u.parentId ? ` of ${u.parentId}` : ''}${u.otherParentId ? ` and ${u.otherParentId}` : ''} ` +
      `in generation ${u.generation}`,
    usesMp && mp ? `mutation prompt "${mp.text}"` : null,
    u.repaired ? 'input slot re-added' : null,
    `fitness ${percent(r.fitness)} on ${r.finalSamples} held-out examples (current prompt ${percent(currentFitness)})`,
    r.trainSamples > 0 ? `tournament estimate ${percent(r.trainFitness)} on ${r.trainSamples}` : null,
  ]
    .filter(Boolean)
    .join('; ');
}

/** The pinned-example clause of a variant's reasoning: what it breaks stands out (it blocks automatic promotion). */
export function describePinned(check: PinnedCheck): string {
  const also = check.bothWrong > 0 ? ` (${check.bothWrong} that the current prompt also gets wrong)` : '';
  if (check.broken.length === 0) return `keeps every pinned example the current prompt gets right${also}`;
  const n = check.broken.length;
  return (
    `BREAKS ${n} pinned example${n === 1 ? '' : 's'} the current prompt gets right (${check.broken.join(', ')}): ` +
    `not promoted automatically${also}`
  );
}

/** What evolution_runs.result keeps: the numbers, not the prompts (those are in evolution_units). */
export function summariseResult(r: EvolutionResult): Record<string, unknown> {
  return {
    generations: r.generations,
    stoppedEarly: r.stoppedEarly,
    needsReview: r.needsReview,
    currentFitness: r.currentFitness,
    bestFitness: r.bestFitness,
    finalExamples: r.finalExamples,
    counters: r.counters,
    operators: r.operators,
    variants: r.variants.map((v) => ({ fitness: v.fitness, reasoning: v.reasoning })),
    examples: r.examples,
    wallMs: r.wallMs,
    estimated: formatDuration(r.plan.estimatedSeconds),
    projection: r.projection,
    spend: r.spend,
  };
}
