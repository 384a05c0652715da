import type { EvolutionProgressView } from '../../../contract/api';
import type { IdeaRef, LearnedFrom } from '../learning/types';
import type { Outcome } from '../feedback/task-log';
import type { HalvingPolicy } from './halving';
import type { OperatorPolicy } from './operator-policy';
import type { RacingPolicy } from './racing';

/**
 * Mutation operators. The design's five (direct, first_order, crossover, zero_order, hypermutation) plus
 * two PromptBreeder operators that learn from accepted work: lamarckian (write a prompt from accepted
 * input → output pairs, the paper's "working out to task prompt") and few_shot (insert real accepted
 * examples into the prompt; no model call). With cross-skill learning, transfer applies a structural change that
 * helped another skill (learning/).
 */
export const OPERATORS = [
  'direct',
  'first_order',
  'crossover',
  'zero_order',
  'hypermutation',
  'lamarckian',
  'few_shot',
  'transfer',
] as const;
export type OperatorName = (typeof OPERATORS)[number];

/** How a unit came to be: the current prompt, or one of the operators. */
export type UnitOrigin = 'current' | OperatorName;

/** Why a mutant was rejected; model_error = the call itself failed (e.g. the template did not fit the context). */
export const REJECTION_REASONS = ['empty', 'truncated', 'too_long', 'no_placeholder', 'near_copy', 'model_error'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** One scored example: a task the user gave feedback on; `expected` is what they wanted. */
export interface Example {
  id: string;
  input: string;
  expected: string;
  /** What the skill produced at the time (the wrong answer, for failures). */
  output: string;
  outcome: Outcome;
}

/** The unit of evolution: a task prompt plus the mutation prompt that made it (PromptBreeder). */
export interface Unit {
  id: string;
  prompt: string;
  hash: string;
  mutationPromptId: string | null;
  operator: UnitOrigin;
  parentId: string | null;
  /** Crossover's second parent. */
  otherParentId: string | null;
  /** Generation it was created in (0 = initial population). */
  generation: number;
  parentHash: string | null;
  /** The parent's score on the examples this unit was first scored on, once judged. */
  parentFitness: number | null;
  /** Set once the unit was scored and compared with its parent. */
  judged: boolean;
  /** {{input}} was missing and appended (only with repairPlaceholder). */
  repaired: boolean;
  /** Library entries behind it and its ancestors (cross-skill learning; absent in checkpoints before it). */
  ideas?: IdeaRef[];
  /** A lesson of another skill went into it (or an ancestor). */
  learnedFrom?: LearnedFrom | null;
}

/** Mutation prompts form their own population; hypermutation adds evolved ones. */
export interface MutationPromptEntry {
  id: string;
  text: string;
  /** library: an evolved mutation prompt that won for some skill before (cross-skill learning). */
  origin: 'seed' | 'hypermutation' | 'library';
  parentId: string | null;
  generation: number;
  uses: number;
  improvements: number;
}

export interface OperatorStats {
  attempts: number;
  accepted: number;
  rejected: Partial<Record<RejectionReason, number>>;
  /** Accepted after appending a missing {{input}} slot (repairPlaceholder). */
  repaired: number;
  /** Children compared with their parent so far, and how many scored higher. */
  judged: number;
  improvements: number;
}

export interface RunCounters {
  /** Uncached model calls (what max_llm_calls limits). */
  llmCalls: number;
  evaluationCalls: number;
  mutationCalls: number;
  /** (prompt, example) pairs answered from the fitness cache. */
  cacheHits: number;
  /** Mutation calls answered from the run's call log (a resumed generation). */
  replayedCalls: number;
  promptTokens: number;
  generatedTokens: number;
  /** Wall time spent waiting for the model, per kind of call (this process only; not restored on resume). */
  evaluationMs: number;
  mutationMs: number;
  /** Evaluations that failed (e.g. prompt longer than the context) and scored 0 without caching. */
  errors: number;
}

export interface EvolutionSettings {
  populationSize: number;
  generations: number;
  evaluationSamples: number;
  finalEvaluationSamples: number;
  /** null = populationSize / 2. */
  tournamentsPerGeneration: number | null;
  maxLlmCalls: number;
  similarityThreshold: number;
  temperature: number;
  /** Token cap per generated prompt. */
  maxTokens: number;
  /** null = a random seed, drawn once and stored with the run. */
  seed: number | null;
  /** Variants handed to the A/B session. */
  variants: number;
  /** Flag the session for review when the best variant scores below this. */
  rollbackThreshold: number;
  /** Append a missing {{input}} slot instead of rejecting the mutant (counted separately). Off by default. */
  repairPlaceholder: boolean;
  /** Model requests in flight at once: evaluation lanes and mutation batch size (match the runtime's sequences). */
  parallel: number;
  /** Token cap for skill outputs during evaluation; null = the output kind's default. */
  evaluationMaxTokens: number | null;
  operatorWeights: Record<OperatorName, number>;
  /** Tournaments: every example for both units ('full'), or raced until the winner is settled. */
  racing: RacingPolicy;
  /** Final ranking: every unit on every held-out example ('full'), or successive halving. */
  ranking: HalvingPolicy;
  /** Retiring operators that never produce a valid mutant on this model; output caps per mutation. */
  operatorPolicy: OperatorPolicy;
  /** Draw mutation prompts, thinking styles and operators by their credit in the shared library; transfer other skills' lessons. */
  crossSkillLearning: boolean;
}

/** The contract's progress view: what the CLI's bar and the app's popover both show. */
export type EvolutionProgress = EvolutionProgressView;
export type EvolutionPhase = EvolutionProgressView['phase'];
