import type { ChatHistoryItem, LlamaContextSequence, Token } from 'node-llama-cpp';
import type { Loaded } from './runtime-load';
import type { GenerateRequest } from './types';

// What a request is in the model's tokens, and what its generation used.

export function historyOf(request: Pick<GenerateRequest, 'system' | 'prompt'>): ChatHistoryItem[] {
  return [
    ...(request.system ? [{ type: 'system' as const, text: request.system }] : []),
    { type: 'user', text: request.prompt },
    { type: 'model', response: [] },
  ];
}

export function promptTokensOf(loaded: Loaded, request: Pick<GenerateRequest, 'system' | 'prompt'>): number {
  return loaded.chatWrapper.generateContextState({ chatHistory: historyOf(request) }).contextText.tokenize(loaded.model.tokenizer).length;
}

/**
 * The draft as the answer's tokens: the context with the draft as the model's reply, tokenized whole, after the
 * prompt (a tokenizer may spell a word differently at the start of a text than after the reply's opening), then the
 * end of the reply.
 */
export function draftTokens(loaded: Loaded, request: GenerateRequest, promptTokens: number): Token[] {
  const history: ChatHistoryItem[] = [...historyOf(request).slice(0, -1), { type: 'model', response: [request.draft ?? ''] }];
  const tokens = loaded.chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(loaded.model.tokenizer);
  const eos = loaded.model.tokens.eos;
  return [...tokens.slice(promptTokens), ...(eos === null ? [] : [eos])];
}

export interface TokenUsage {
  input: number;
  output: number;
  validated: number;
  refuted: number;
  used: number;
}

/** A sequence's meters now: tokens decoded without and with logits read, and its draft predictions' counts. */
export const tokenUsage = (sequence: LlamaContextSequence): TokenUsage => ({
  input: sequence.tokenMeter.usedInputTokens,
  output: sequence.tokenMeter.usedOutputTokens,
  ...sequence.tokenPredictions,
});

/**
 * One request's tokens from its sequence's meters. llama.cpp meters a decoded token as output when its logits are read:
 * the prompt's last token, each answer token fed back, and each draft token checked; all other prompt tokens are input.
 * A confirmed draft token that the answer then uses is sampled without a decode of its own.
 */
export function tokensUsed(before: TokenUsage, after: TokenUsage) {
  const input = after.input - before.input;
  const output = after.output - before.output;
  const checked = after.validated - before.validated + after.refuted - before.refuted;
  const accepted = after.used - before.used;
  return {
    generatedTokens: Math.max(0, output - checked) + accepted,
    computedPromptTokens: input + (output > 0 ? 1 : 0),
    draft: { accepted, refuted: after.refuted - before.refuted },
  };
}
