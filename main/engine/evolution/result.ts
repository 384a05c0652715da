import type { VariantSpec } from '../ab/session-types';
import type { Checkpoint } from './checkpoint';
import { formatDuration, type EvolutionPlan } from './plan';
import { OPERATOR_LABELS } from './population';
import type { MutationPromptEntry, OperatorName, OperatorStats, RunCounters, Unit } from './types';
import { percent } from '../util/format';

export interface RankedUnit {
  unit: Unit;
  /** Mean score on the final examples. */
  fitness: number | null;
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
}


/** The variant's reasoning for the A/B session: how it was made, from what, and how it scored. */
export function describeVariant(r: RankedUnit, finalExamples: number, currentFitness: number | null, mutationPrompts: ReadonlyMap<string, MutationPromptEntry>): string {
  const u = r.unit;
  const mp = u.mutationPromptId ? mutationPrompts.get(u.mutationPromptId) : undefined;
  const usesMp = u.operator === 'first_order' || u.operator === 'direct' || u.operator === 'hypermutation';
  return [
    `${OPERATOR_LABELS[u.operator]}${u.parentId ? ` of ${u.parentId}` : ''}${u.otherParentId ? ` and ${u.otherParentId}` : ''} in generation ${u.generation}`,
    usesMp && mp ? `mutation prompt "${mp.text}"` : null,
    u.repaired ? 'input slot re-added' : null,
    `fitness ${percent(r.fitness)} on ${finalExamples} held-out examples (current prompt ${percent(currentFitness)})`,
    r.trainSamples > 0 ? `tournament estimate ${percent(r.trainFitness)} on ${r.trainSamples}` : null,
  ].filter(Boolean).join('; ');
}

/** What evolution_runs.result keeps: the numbers, not the prompts (those are in evolution_units). */
export function summariseResult(r: EvolutionResult): Record<string, unknown> {
  return {
    generations: r.generations, stoppedEarly: r.stoppedEarly, needsReview: r.needsReview, currentFitness: r.currentFitness,
    bestFitness: r.bestFitness, finalExamples: r.finalExamples, counters: r.counters, operators: r.operators,
    variants: r.variants.map((v) => ({ fitness: v.fitness, reasoning: v.reasoning })), examples: r.examples, wallMs: r.wallMs,
    estimated: formatDuration(r.plan.estimatedSeconds),
  };
}
