import { mergeIdeas } from '../learning/ideas';
import type { IdeaRef, LearnedFrom } from '../learning/types';
import { promptHash } from '../util/ids';
import { shuffle, type Rng } from '../util/random';
import type { EvolutionData } from './data';
import {
  OPERATORS,
  type Example,
  type MutationPromptEntry,
  type OperatorName,
  type OperatorStats,
  type Unit,
  type UnitOrigin,
} from './types';

export function emptyOperatorStats(): Record<OperatorName, OperatorStats> {
  return Object.fromEntries(
    OPERATORS.map((op) => [op, { attempts: 0, accepted: 0, rejected: {}, repaired: 0, judged: 0, improvements: 0 }]),
  ) as Record<OperatorName, OperatorStats>;
}

export function seedMutationPrompts(data: EvolutionData): MutationPromptEntry[] {
  return data.mutationPrompts.map((text, i) => ({
    id: `mp${i}`,
    text,
    origin: 'seed',
    parentId: null,
    generation: 0,
    uses: 0,
    improvements: 0,
  }));
}

/** Library entries a unit keeps from its lineage (the newest). */
const MAX_IDEAS = 12;

export function makeUnit(fields: {
  id: string;
  prompt: string;
  operator: UnitOrigin;
  generation: number;
  parent?: Unit | null;
  otherParentId?: string | null;
  mutationPromptId?: string | null;
  repaired?: boolean;
  /** Library entries this mutation drew on (added to the parent's). */
  ideas?: readonly IdeaRef[];
  learnedFrom?: LearnedFrom | null;
}): Unit {
  const ideas = mergeIdeas(MAX_IDEAS, fields.parent?.ideas, fields.ideas);
  const learnedFrom = fields.learnedFrom ?? fields.parent?.learnedFrom ?? null;
  return {
    id: fields.id,
    prompt: fields.prompt,
    hash: promptHash(fields.prompt),
    mutationPromptId: fields.mutationPromptId ?? fields.parent?.mutationPromptId ?? null,
    operator: fields.operator,
    parentId: fields.parent?.id ?? null,
    parentHash: fields.parent?.hash ?? null,
    otherParentId: fields.otherParentId ?? null,
    generation: fields.generation,
    parentFitness: null,
    judged: !fields.parent,
    repaired: fields.repaired ?? false,
    ...(ideas.length > 0 ? { ideas } : {}),
    ...(learnedFrom ? { learnedFrom } : {}),
  };
}

/**
 * Binary tournaments for one generation, in rounds of disjoint pairs (member indexes): a round's pairs are
 * scored in one batch. population_size / 2 tournaments = one round; more (tournaments_per_generation) = more rounds.
 */
export function tournamentRounds(rng: Rng, size: number, tournaments: number): [number, number][][] {
  const perRound = Math.floor(size / 2);
  if (perRound === 0 || tournaments <= 0) return [];
  const rounds: [number, number][][] = [];
  let left = tournaments;
  while (left > 0) {
    const order = shuffle(
      rng,
      Array.from({ length: size }, (_, i) => i),
    );
    const pairs: [number, number][] = [];
    for (let i = 0; i + 1 < order.length && pairs.length < Math.min(perRound, left); i += 2) pairs.push([order[i], order[i + 1]]);
    rounds.push(pairs);
    left -= pairs.length;
  }
  return rounds;
}

/** n distinct examples (all of them when there are fewer). */
export const sampleExamples = (rng: Rng, examples: readonly Example[], n: number): Example[] => shuffle(rng, examples).slice(0, n);

export const mean = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

export function summarise(values: readonly (number | null)[]): { best: number | null; mean: number | null } {
  const known = values.filter((v): v is number => v !== null);
  return { best: known.length ? Math.max(...known) : null, mean: mean(known) };
}

export const OPERATOR_LABELS: Record<UnitOrigin, string> = {
  current: 'the current prompt',
  direct: 'direct mutation (shown failures)',
  first_order: 'first-order mutation',
  crossover: 'crossover',
  zero_order: 'zero-order generation',
  hypermutation: 'hypermutation (evolved mutation prompt)',
  lamarckian: 'Lamarckian (from accepted examples)',
  few_shot: 'few-shot insertion of accepted examples',
  transfer: "transfer of another skill's lesson",
};
