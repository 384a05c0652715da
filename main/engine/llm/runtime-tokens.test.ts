import { describe, expect, it } from 'vitest';
import { tokensUsed } from './runtime-tokens';

const zero = { input: 0, output: 0, validated: 0, refuted: 0, used: 0 };

describe('tokensUsed', () => {
  it('a 39-token prompt and 20 answer tokens: the prompt decode reads one logit, each answer token fed back one more', () => {
    expect(tokensUsed(zero, { ...zero, input: 38, output: 20 })).toEqual({
      generatedTokens: 20,
      computedPromptTokens: 39,
      draft: { accepted: 0, refuted: 0 },
    });
  });

  it('a right draft rides with the prompt: 23 new prompt tokens and 19 draft tokens in one decode give all 20', () => {
    expect(tokensUsed(zero, { input: 22, output: 20, validated: 19, refuted: 0, used: 19 })).toEqual({
      generatedTokens: 20,
      computedPromptTokens: 23,
      draft: { accepted: 19, refuted: 0 },
    });
  });

  it('a wrong draft is checked and thrown away, then the answer is decoded token by token; counts are deltas', () => {
    const before = { input: 100, output: 50, validated: 4, refuted: 6, used: 4 };
    const after = { input: 122, output: 50 + 20 + 19, validated: 4, refuted: 25, used: 4 };
    expect(tokensUsed(before, after)).toEqual({ generatedTokens: 20, computedPromptTokens: 23, draft: { accepted: 0, refuted: 19 } });
  });
});
