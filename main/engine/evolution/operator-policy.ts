import type { OperatorName, OperatorStats } from './types';

/**
 * Which operators a run still draws, and how long each may write. Pure: the caller keeps the counts.
 *
 * An operator that made `retireAfter` model calls without a single valid mutant (on this run plus earlier runs on
 * the same model file) is no longer drawn: on a model that cannot follow its template every further call is
 * wasted. Few-shot (no model call) is never retired.
 */
export interface OperatorPolicy {
  /** Attempts with no accepted mutant before an operator is dropped; 0 never drops one. */
  retireAfter: number;
  /** Output token cap of a rewritten prompt: this many times the parent's length in tokens, plus `capSlack`; 0 = max_tokens only. */
  capRatio: number;
  capSlack: number;
  /** Cap for hypermutation's new mutation prompt (one or two sentences; validation rejects more than 400 characters); 0 = max_tokens. */
  mutationPromptCap: number;
}

export const OPEN_POLICY: OperatorPolicy = { retireAfter: 0, capRatio: 0, capSlack: 0, mutationPromptCap: 0 };
export const DEFAULT_OPERATOR_POLICY: OperatorPolicy = { retireAfter: 6, capRatio: 2, capSlack: 48, mutationPromptCap: 96 };

type Counts = Pick<OperatorStats, 'attempts' | 'accepted'>;

/** Operators that made `retireAfter` attempts (this run + `history`) and never produced an accepted mutant. */
export function retiredOperators(
  stats: Readonly<Record<OperatorName, Counts>>,
  history: Readonly<Partial<Record<OperatorName, Counts>>>,
  policy: Pick<OperatorPolicy, 'retireAfter'>,
): Set<OperatorName> {
  const retired = new Set<OperatorName>();
  if (policy.retireAfter <= 0) return retired;
  for (const op of Object.keys(stats) as OperatorName[]) {
    if (op === 'few_shot') continue;
    const attempts = stats[op].attempts + (history[op]?.attempts ?? 0);
    const accepted = stats[op].accepted + (history[op]?.accepted ?? 0);
    if (attempts >= policy.retireAfter && accepted === 0) retired.add(op);
  }
  return retired;
}

/** Token cap for a mutation that rewrites a prompt of about `parentTokens` tokens (never above the run's max_tokens). */
export function mutationCap(policy: OperatorPolicy, maxTokens: number, parentTokens: number, hyper = false): number {
  const cap = hyper ? policy.mutationPromptCap : policy.capRatio > 0 ? Math.ceil(policy.capRatio * parentTokens + policy.capSlack) : 0;
  return cap > 0 ? Math.max(16, Math.min(maxTokens, cap)) : maxTokens;
}

/** Rough tokens of a prompt for caps and projections when no tokenizer is at hand (English BPE: ~4 characters a token). */
export const roughTokens = (text: string): number => Math.ceil(text.length / 4);
