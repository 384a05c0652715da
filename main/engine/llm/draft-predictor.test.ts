import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DraftPolicy, DraftTokenPredictor, draftsSupported } from './draft-predictor';
import { resetLlamaForTests } from './llama-instance';
import { LlamaRuntime } from './runtime';
import { fixtureRuntimeOptions } from './test-fixture';
import type { GenerateRequest } from './types';

const tokens = (...values: number[]) => values as unknown as Token[];
/** What reset sees: the whole prompt, and a sequence that already holds `held` of its tokens. */
const start = (predictor: DraftTokenPredictor, prompt: number, held: number) =>
  predictor.reset({
    stateTokens: tokens(...Array.from({ length: prompt }, (_, i) => i)),
    targetSequence: { nextTokenIndex: held } as LlamaContextSequence,
  });

describe('DraftTokenPredictor', () => {
  it('offers the draft once, with the prompt, at most maxTokens - 1 tokens', () => {
    const predictor = new DraftTokenPredictor(16);
    predictor.setDraft(tokens(7, 8, 9, 10), 3);
    start(predictor, 40, 10);
    expect(predictor.predictTokens()).toEqual([7, 8]);
    predictor.pushTokens();
    expect(predictor.predictTokens()).toEqual([]);
  });

  it('offers at most maxOffer tokens of a long draft', () => {
    const predictor = new DraftTokenPredictor(16, 3);
    predictor.setDraft(tokens(1, 2, 3, 4, 5, 6), 100);
    start(predictor, 40, 0);
    expect(predictor.predictTokens()).toEqual([1, 2, 3]);
  });

  it('offers nothing when the prompt brings few new tokens (a small batch gains nothing), or without a draft', () => {
    const predictor = new DraftTokenPredictor(16);
    predictor.setDraft(tokens(7, 8, 9));
    start(predictor, 40, 30);
    expect(predictor.predictTokens()).toEqual([]);
    predictor.setDraft([]);
    start(predictor, 40, 0);
    expect(predictor.predictTokens()).toEqual([]);
  });
});

describe('DraftPolicy', () => {
  it('on CPU offers drafts while confirmed tokens save more than refuted ones cost, then one request in probeEvery', () => {
    const policy = new DraftPolicy('auto', false, 4, 1);
    expect(policy.shouldOffer()).toBe(true);
    policy.record(0, 12);
    expect([policy.shouldOffer(), policy.shouldOffer(), policy.shouldOffer()]).toEqual([false, false, true]);
    // 11 confirmed save 101 ms against 96 for the 12 refuted.
    policy.record(11, 0);
    expect(policy.shouldOffer()).toBe(true);
  });

  it('always offers on a GPU, and obeys always / never', () => {
    const gpu = new DraftPolicy('auto', true);
    gpu.record(0, 100);
    expect(gpu.shouldOffer()).toBe(true);
    const never = new DraftPolicy('never', true);
    expect(never.shouldOffer()).toBe(false);
    const always = new DraftPolicy('always', false);
    always.record(0, 100);
    expect(always.shouldOffer()).toBe(true);
  });
});

describe('drafts on the stories260K fixture', () => {
  let runtime: LlamaRuntime;

  beforeAll(async () => {
    runtime = new LlamaRuntime(fixtureRuntimeOptions({ sequences: 1, contexts: 1, prefixCacheBytes: 0, drafts: 'always' }));
    await runtime.ensureLoaded();
  });

  afterAll(async () => {
    await runtime?.dispose();
    await resetLlamaForTests();
  });

  // Each request starts from a sequence that holds another prompt, so its own is computed whole, as an evaluation's
  // input is (a draft rides only with many new prompt tokens).
  const ask = async (prompt: string, extra: Partial<GenerateRequest> = {}) => {
    await runtime.generate({ prompt: 'Sue and Max went to the big park to play.', temperature: 0, maxTokens: 1 });
    return runtime.generate({ prompt, temperature: 0, maxTokens: 40, ...extra });
  };

  it('runs with node-llama-cpp patched after install (scripts/patch-node-llama-cpp.mjs)', () => {
    expect(draftsSupported()).toBe(true);
  });

  it('counts a cold prompt whole and a draftless answer token by token', async () => {
    const result = await runtime.generate({ prompt: 'Once upon a time, a small red bird', temperature: 0, maxTokens: 40, stop: 'none' });
    expect(result.computedPromptTokens).toBe(result.promptTokens);
    expect(result.draftTokens).toBeUndefined();
    expect(runtime.stats()).toMatchObject({ computedPromptTokens: result.promptTokens, generatedTokens: result.generatedTokens });
  });

  it('never changes the answer: a right, a half-right, a wrong and an empty draft give the same text and length', async () => {
    let confirmed = 0;
    let refuted = 0;
    for (const [prompt, stop] of [
      ['Tom had a dog', 'line'],
      ['Lily saw a big tree', 'none'],
      ['The cat and the sun', 'line'],
    ] as const) {
      const plain = await ask(prompt, { stop });
      const half = plain.text.slice(0, Math.floor(plain.text.length / 2));
      for (const draft of [plain.text, `${half} zebra moon`, 'a completely different answer', '']) {
        const drafted = await ask(prompt, { stop, draft });
        expect({ draft, text: drafted.text, generatedTokens: drafted.generatedTokens }).toEqual({
          draft,
          text: plain.text,
          generatedTokens: plain.generatedTokens,
        });
        confirmed += drafted.draftTokens?.accepted ?? 0;
        refuted += drafted.draftTokens?.refuted ?? 0;
      }
    }
    // The drafts were really checked: the right ones confirmed, the wrong ones refuted.
    expect(confirmed).toBeGreaterThan(20);
    expect(refuted).toBeGreaterThan(10);
  });

  it('confirms a right draft in one batch and refutes a wrong one, counting both', async () => {
    const plain = await ask('Ben found a shiny stone', { stop: 'none', maxTokens: 20 });
    expect(plain.stopReason).toBe('maxTokens');
    const before = runtime.stats();
    const right = await ask('Ben found a shiny stone', { stop: 'none', maxTokens: 20, draft: plain.text });
    // Every answer token but the first (sampled after the prompt) comes from the confirmed draft.
    expect(right.draftTokens?.accepted).toBe(plain.generatedTokens - 1);
    const wrong = await ask('Ben found a shiny stone', { stop: 'none', maxTokens: 20, draft: 'A dragon flew over the quiet sea.' });
    expect(wrong.draftTokens?.accepted).toBe(0);
    expect(wrong.draftTokens?.refuted).toBeGreaterThan(0);
    const after = runtime.stats();
    expect(after.draftTokensAccepted - before.draftTokensAccepted).toBe(right.draftTokens!.accepted);
    expect(after.draftTokensRefuted - before.draftTokensRefuted).toBe(right.draftTokens!.refuted + wrong.draftTokens!.refuted);
  });
});
