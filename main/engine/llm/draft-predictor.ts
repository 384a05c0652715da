import { LlamaContextSequence, TokenPredictor, type Token } from 'node-llama-cpp';

/**
 * Offers a known likely answer (a request's `draft`) as token predictions, so llama.cpp checks it in the same batch
 * as the prompt instead of decoding its tokens one at a time. The sequence keeps a predicted token only where the
 * model samples that very token, so the answer is the one it would have written anyway (under greedy decoding the same
 * tokens, up to the last decimal of a logit computed in a bigger batch; at temperature > 0 each token is still drawn
 * from the model's own distribution).
 *
 * The draft is offered once, with the prompt's new tokens, and only when they are many. Measured on the shaped
 * SmolLM2-360M on CPU (bench:runtime drafts): a draft token added to a 25-token prompt batch costs ~9 CPU-ms against
 * ~17 for a decode of its own, but in a batch of a few tokens it costs as much as its own decode or more, so a later
 * offer (after the answer left the draft, or to continue it) never pays; and a wrong draft costs its tokens once.
 *
 * One predictor per sequence, made with it (node-llama-cpp fixes the predictor at sequence creation); the runtime
 * arms it with a draft before each request and disarms it after.
 */
export class DraftTokenPredictor extends TokenPredictor {
  private draft: readonly Token[] = [];
  private maxTokens = Infinity;
  private offered = false;
  private fresh = 0;

  /**
   * @param minFresh prompt tokens the first decode must compute for the draft to ride along
   * @param maxOffer draft tokens offered at most: a long expected text (a summary) that is wrong from its first token
   *   would cost every one of them, a right one saves no more than its first maxOffer decodes
   */
  constructor(
    private readonly minFresh = MIN_FRESH_TOKENS,
    private readonly maxOffer = MAX_OFFER_TOKENS,
  ) {
    super();
  }

  /** Arms the next generation on this sequence with these tokens ([] disarms); nothing is offered past maxTokens. */
  setDraft(tokens: readonly Token[], maxTokens = Infinity): void {
    this.draft = tokens;
    this.maxTokens = maxTokens;
    this.offered = false;
    this.fresh = 0;
  }

  reset({ stateTokens, targetSequence }: { stateTokens: Token[]; targetSequence: LlamaContextSequence }): void {
    // Called as the generation starts: the state is the whole prompt, the sequence holds what it reuses of it.
    if (!this.offered) this.fresh = stateTokens.length - targetSequence.nextTokenIndex;
  }

  pushTokens(): void {}

  predictTokens(): Token[] {
    if (this.offered || this.draft.length === 0) return [];
    this.offered = true;
    if (this.fresh < this.minFresh) return [];
    // The decode samples one token after the prompt and one after each prediction: maxTokens - 1 predictions at most.
    return this.draft.slice(0, Math.max(0, Math.min(this.maxOffer, this.maxTokens - 1)));
  }

  override dispose(): void {
    this.setDraft([]);
  }
}

/** A file name is ~12 tokens; 32 covers short answers whole and bounds what a wrong long one costs (~0.26 CPU-s). */
export const MAX_OFFER_TOKENS = 32;

/** Below this many new prompt tokens the batch is too small for its draft tokens to cost less than their own decodes. */
export const MIN_FRESH_TOKENS = 16;

/**
 * Whether this node-llama-cpp confirms every token of a draft in one decode. 3.21.1 as published confirms only the
 * first (the rest are refuted and recomputed, so a draft would cost more than it saves); scripts/patch-node-llama-cpp.mjs
 * fixes that after install. Read from the method's source because the fix leaves no other trace.
 */
export function draftsSupported(): boolean {
  const speculate = (LlamaContextSequence.prototype as unknown as Record<string, unknown>)._speculativeEvaluate;
  return typeof speculate === 'function' && speculate.toString().includes('validatedTokens.push');
}

/**
 * Whether the next request's draft is worth offering. On CPU a confirmed draft token saves ~9 CPU-ms and a refuted one
 * costs ~8 (bench:runtime drafts, shaped SmolLM2-360M), so drafts pay only while the model mostly writes what the
 * drafts say: the policy keeps decaying sums of confirmed and refuted tokens and offers drafts while the savings lead,
 * plus one request in `probeEvery` to notice when they would lead again. On a GPU a batch of a dozen tokens costs about
 * one decode, so a refuted draft costs next to nothing and drafts are always offered (extrapolated, not measured).
 */
export class DraftPolicy {
  private confirmed = 0;
  private refuted = 0;
  private requests = 0;

  constructor(
    private readonly mode: DraftMode,
    private readonly gpu: boolean,
    private readonly probeEvery = 10,
    private readonly decay = 0.95,
  ) {}

  shouldOffer(): boolean {
    if (this.mode !== 'auto') return this.mode === 'always';
    this.requests++;
    if (this.gpu || this.confirmed * SAVED_MS_PER_CONFIRMED >= this.refuted * COST_MS_PER_REFUTED) return true;
    return this.requests % this.probeEvery === 0;
  }

  record(confirmed: number, refuted: number): void {
    this.confirmed = this.confirmed * this.decay + confirmed;
    this.refuted = this.refuted * this.decay + refuted;
  }
}

export type DraftMode = 'auto' | 'always' | 'never';

/** CPU-ms per draft token on the shaped SmolLM2-360M, 1 thread (bench:runtime drafts: 25- and 70-token tails). */
export const SAVED_MS_PER_CONFIRMED = 9.2;
export const COST_MS_PER_REFUTED = 8;
