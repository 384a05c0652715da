import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../util/errors';
import { isAbortError } from './abort';
import { getSharedLlama, resetLlamaForTests } from './llama-instance';
import { LINE_GRAMMAR, PROMPT_GRAMMAR } from './output-rules';
import { LlamaRuntime } from './runtime';
import { fixtureRuntimeOptions, requireFixtureModel } from './test-fixture';
import type { GenerateRequest } from './types';

// One runtime for the whole file: loading is the slow part on a 2-core machine.
let runtime: LlamaRuntime;

beforeAll(async () => {
  // Two contexts (2 + 1 sequences): batches below span both, as on a 2-core machine by default.
  runtime = new LlamaRuntime(fixtureRuntimeOptions({ sequences: 3, contexts: 2 }));
  await runtime.ensureLoaded();
});

afterAll(async () => {
  await runtime?.dispose();
  await resetLlamaForTests();
});

const story = (prompt: string, extra: Partial<GenerateRequest> = {}): GenerateRequest => ({
  prompt,
  temperature: 0,
  maxTokens: 60,
  ...extra,
});

describe('LlamaRuntime on the stories260K fixture', () => {
  it('loads and describes the model: wrapper, source, identity, threads', () => {
    const info = runtime.info();
    expect(info).toMatchObject({
      path: requireFixtureModel(),
      source: 'config',
      catalogId: 'stories260K',
      chatWrapper: 'Llama2ChatWrapper',
      sizeBytes: 1185376,
      sha256: '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d',
      verified: true,
      architecture: 'llama',
      sequences: 3,
      contexts: 2,
      threads: 1,
      gpu: false,
    });
    expect(info!.contextSize).toBeGreaterThanOrEqual(512);
    expect(runtime.id).toBe('270cba1bd5109f42');
    expect(runtime.modelInfo()).toEqual(info);
    expect(runtime.cpuThreads()).toBe(2);
  });

  it('generates text and reports token counts', async () => {
    const result = await runtime.generate(story('Once upon a time', { system: 'You tell stories.', stop: 'none' }));
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.promptTokens).toBeGreaterThan(5);
    expect(result.generatedTokens).toBeGreaterThan(0);
    expect(result.generatedTokens).toBeLessThanOrEqual(60);
    expect(['eos', 'stop', 'maxTokens']).toContain(result.stopReason);
    expect(result.ms).toBeGreaterThanOrEqual(0);
    expect(result.seed).toBeUndefined();
  });

  it("'line' returns a single non-empty line", async () => {
    for (const prompt of ['Tom had a dog', 'Lily saw a big tree', 'The cat']) {
      const result = await runtime.generate(story(prompt, { stop: 'line', maxTokens: 200 }));
      expect(result.text).not.toContain('\n');
      expect(result.text.trim()).toBe(result.text);
      expect(result.text.length).toBeGreaterThan(0);
    }
  });

  it("llama.cpp reads the output grammars as meant: 'prompt' can only end after one {{input}} slot", async () => {
    const llama = await getSharedLlama(false);
    // _testText is node-llama-cpp's internal check: does llama.cpp's grammar parser accept this text as complete?
    const accepts = async (gbnf: string) => {
      const grammar = (await llama.createGrammar({ grammar: gbnf })) as unknown as { _testText(text: string): boolean };
      return (text: string) => grammar._testText(text);
    };
    const prompt = await accepts(PROMPT_GRAMMAR);
    expect(prompt('Name the file in kebab-case.\n\nFile: {{input}}')).toBe(true);
    expect(prompt('Name it.\nFile: {{input}}\nAnswer with the name only.')).toBe(true);
    expect(prompt('Name the file in kebab-case.')).toBe(false);
    expect(prompt('File: {{input}} or {{input}}')).toBe(false);
    expect(prompt('Use {braces}: {{input}}')).toBe(false);
    expect(prompt('File: {{inp}}')).toBe(false);
    const line = await accepts(LINE_GRAMMAR);
    expect(line('invoice-2024-03.pdf')).toBe(true);
    expect(line('invoice.pdf\n')).toBe(true);
    expect(line('two\nlines')).toBe(false);
    expect(line('')).toBe(false);
  });

  it("a 'prompt' run on the real model follows its grammar (the toy never writes the slot, so it runs to maxTokens)", async () => {
    const result = await runtime.generate(story('Write a prompt for naming files.', { stop: 'prompt', maxTokens: 40 }));
    expect(result.text).not.toMatch(/[{}]/);
    expect(result.stopReason).toBe('maxTokens');
  });

  it('generateBatch of 3 matches sequential runs at temperature 0', async () => {
    const requests = ['Tom had a dog', 'Lily went to the park', 'The sun was hot'].map((prompt) => story(prompt, { maxTokens: 80 }));
    const sequential = [];
    for (const request of requests) sequential.push(await runtime.generate(request));
    const batched = await runtime.generateBatch(requests);
    expect(batched.map((result) => result.text)).toEqual(sequential.map((result) => result.text));
    expect(batched.map((result) => result.generatedTokens)).toEqual(sequential.map((result) => result.generatedTokens));
  });

  it('queues a batch larger than the number of sequences and keeps request order', async () => {
    const prompts = ['A', 'B', 'C', 'D', 'E'].map((letter) => `${letter} little bird`);
    const batched = await runtime.generateBatch(prompts.map((prompt) => story(prompt, { maxTokens: 20 })));
    const alone = await runtime.generate(story(prompts[4], { maxTokens: 20 }));
    expect(batched).toHaveLength(5);
    expect(batched[4].text).toBe(alone.text);
  });

  it('is reproducible with a fixed seed at temperature > 0', async () => {
    const sampled = (seed: number) => runtime.generate(story('Tom had a dog', { temperature: 0.9, seed, maxTokens: 40 }));
    const first = await sampled(7);
    const again = await sampled(7);
    expect(again.text).toBe(first.text);
    expect(first.seed).toBe(7);
    const others = await Promise.all([8, 9, 10].map(sampled));
    expect(others.some((result) => result.text !== first.text)).toBe(true);
  });

  it('reports the random seed it drew, which reproduces the run', async () => {
    const drawn = await runtime.generate(story('Lily had a ball', { temperature: 0.9, maxTokens: 30 }));
    expect(typeof drawn.seed).toBe('number');
    const replay = await runtime.generate(story('Lily had a ball', { temperature: 0.9, maxTokens: 30, seed: drawn.seed }));
    expect(replay.text).toBe(drawn.text);
  });

  it('aborting mid-run rejects with an AbortError and the runtime keeps working', async () => {
    const controller = new AbortController();
    let chunks = 0;
    const started = runtime.generate(
      story('Once upon a time', {
        temperature: 0.8,
        seed: 1,
        maxTokens: 2000,
        signal: controller.signal,
        onText: () => {
          if (++chunks === 3) controller.abort();
        },
      }),
    );
    const error = await started.then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(isAbortError(error)).toBe(true);
    expect(chunks).toBeLessThan(2000);
    const after = await runtime.generate(story('Tom had a dog', { maxTokens: 10 }));
    expect(after.generatedTokens).toBeGreaterThan(0);
  });

  it('partialOnAbort returns the text so far with stopReason "abort"', async () => {
    const controller = new AbortController();
    let chunks = 0;
    const result = await runtime.generate(
      story('Once upon a time', {
        temperature: 0.8,
        seed: 2,
        maxTokens: 2000,
        partialOnAbort: true,
        signal: controller.signal,
        onText: () => {
          if (++chunks === 5) controller.abort();
        },
      }),
    );
    expect(result.stopReason).toBe('abort');
    expect(result.generatedTokens).toBeLessThan(2000);
  });

  it("a batch's signal aborts every request in it", async () => {
    const controller = new AbortController();
    let chunks = 0;
    const requests = [1, 2, 3, 4].map((seed) =>
      story('Once upon a time', {
        temperature: 0.8,
        seed,
        maxTokens: 2000,
        onText: () => {
          if (++chunks === 5) controller.abort();
        },
      }),
    );
    const error = await runtime.generateBatch(requests, { signal: controller.signal }).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(isAbortError(error)).toBe(true);
    expect((await runtime.generate(story('The end', { maxTokens: 5 }))).generatedTokens).toBeGreaterThan(0);
  });

  it('a prompt longer than the context is a UserError, not a silent truncation', async () => {
    const error = await runtime.generate({ prompt: 'the big red dog ran '.repeat(200) }).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/the prompt is \d+ tokens but the model context holds \d+/);
  });

  it('keeps cumulative token counters', async () => {
    const before = runtime.stats();
    const result = await runtime.generate(story('Tom had a dog', { maxTokens: 15 }));
    const after = runtime.stats();
    expect(after.requests).toBe(before.requests + 1);
    expect(after.promptTokens).toBe(before.promptTokens + result.promptTokens);
    expect(after.generatedTokens).toBe(before.generatedTokens + result.generatedTokens);
    expect(after.aborted).toBeGreaterThanOrEqual(2);
    expect(after.busyMs).toBeGreaterThan(0);
    expect(after.tokensPerSecond).toBeGreaterThan(0);
    expect(after.loads).toBe(1);
  });
});
