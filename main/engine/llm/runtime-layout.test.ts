import { afterAll, describe, expect, it } from 'vitest';
import { resetLlamaForTests } from './llama-instance';
import { LlamaRuntime } from './runtime';
import { defaultEvolutionContexts } from './runtime-defaults';
import { fixtureRuntimeOptions } from './test-fixture';
import type { GenerateRequest } from './types';

// As the app has it on a 2-core CPU: 3 sequences over 2 contexts for tasks, 4 one-sequence contexts for an evolution.
const options = () => fixtureRuntimeOptions({ sequences: 3, contexts: 2, evolution: { sequences: 4, contexts: 4 } });

const story = (prompt: string, maxTokens = 24): GenerateRequest => ({ prompt, temperature: 0, maxTokens, stop: 'none' });
const PROMPTS = ['Tom had a dog', 'Lily went to the park', 'The sun was hot', 'A little bird sang'];

afterAll(async () => {
  await resetLlamaForTests();
});

describe('LlamaRuntime layouts: tasks and evolution', () => {
  it("has the evolution's sequences and contexts while held, and the tasks' again when the hold ends", async () => {
    const runtime = new LlamaRuntime(options());
    await runtime.ensureLoaded();
    expect(runtime.info()).toMatchObject({ contexts: 2, sequences: 3, evolution: { sequences: 4, contexts: 4 } });
    const before = await runtime.generateBatch(PROMPTS.map((p) => story(p)));

    const end = await runtime.beginEvolution();
    expect(runtime.info()).toMatchObject({ contexts: 4, sequences: 4 });
    expect(runtime.cpuThreads()).toBe(4);
    // Four requests run at once now (with 3 sequences the fourth would wait for a free one).
    let running = 0;
    let most = 0;
    await Promise.all(
      PROMPTS.map((p) =>
        runtime.generate({
          ...story(p, 40),
          onText: () => {
            most = Math.max(most, running);
          },
        }),
      ).map((request) => {
        running++;
        return request.finally(() => running--);
      }),
    );
    expect(most).toBe(4);
    // The model stayed loaded; the same greedy requests give the same answers on the new contexts.
    expect(runtime.stats().loads).toBe(1);
    const during = await runtime.generateBatch(PROMPTS.map((p) => story(p)));
    expect(during.map((r) => r.text)).toEqual(before.map((r) => r.text));

    await end();
    await end(); // a second call is a no-op
    expect(runtime.info()).toMatchObject({ contexts: 2, sequences: 3 });
    expect(runtime.stats()).toMatchObject({ loads: 1, unloads: 0 });
    await runtime.dispose();
  });

  it('waits for running requests, and requests that arrive meanwhile run on the new contexts', async () => {
    const runtime = new LlamaRuntime(options());
    await runtime.ensureLoaded();
    let started!: () => void;
    const streaming = new Promise<void>((resolve) => {
      started = resolve;
    });
    const running = runtime.generate({ ...story('Once upon a time', 120), onText: () => started() });
    await streaming;
    const holding = runtime.beginEvolution();
    const arriving = runtime.generate(story('Tom had a dog'));
    const [first, end, second] = await Promise.all([running, holding, arriving]);
    expect(first.generatedTokens).toBeGreaterThan(0);
    expect(first.stopReason).not.toBe('abort');
    expect(second.text.length).toBeGreaterThan(0);
    expect(runtime.info()?.contexts).toBe(4);
    await end();
    await runtime.dispose();
  });

  it('keeps the evolution layout until the last of several holds ends', async () => {
    const runtime = new LlamaRuntime(options());
    await runtime.ensureLoaded();
    const first = await runtime.beginEvolution();
    const second = await runtime.beginEvolution();
    await first();
    expect(runtime.info()?.contexts).toBe(4);
    await second();
    expect(runtime.info()?.contexts).toBe(2);
    await runtime.dispose();
  });

  it('a runtime that is not loaded loads in the layout of its current use', async () => {
    const runtime = new LlamaRuntime(options());
    const end = await runtime.beginEvolution();
    expect(runtime.isLoaded).toBe(false);
    await runtime.generate(story('Tom had a dog'));
    expect(runtime.info()?.contexts).toBe(4);
    await end();
    expect(runtime.info()?.contexts).toBe(2);
    await runtime.dispose();
    await runtime.ensureLoaded();
    expect(runtime.info()?.contexts).toBe(2);
    await runtime.dispose();
  });

  it('pinned prefixes are warmed in every context shape, so no layout computes them again', async () => {
    const runtime = new LlamaRuntime(options());
    await runtime.ensureLoaded();
    const prefix = { prompt: 'Once upon a time there was a little girl called Lily who loved to play in the garden. ' };
    // Tasks have a 2-sequence and a 1-sequence context: a snapshot loads only into its own shape, so two are made.
    await runtime.setWarmPrefixes('tasks', [prefix]);
    expect(runtime.prefixStats()).toMatchObject({ computed: 2 });
    const ask = (tail: string) => runtime.generate({ ...story(prefix.prompt + tail), cachePrefix: prefix.prompt });
    const asked = (await Promise.all(['One day', 'She saw', 'Her mom'].map(ask))).map((r) => r.text);
    const end = await runtime.beginEvolution();
    const during = (await Promise.all(['One day', 'She saw', 'Her mom', 'The cat'].map(ask))).map((r) => r.text);
    expect(during.slice(0, 3)).toEqual(asked);
    await end();
    await ask('One day');
    // The evolution's one-sequence contexts use the 1-sequence snapshot: eight requests, nothing computed again.
    const stats = runtime.prefixStats()!;
    expect(stats.computed).toBe(2);
    expect(stats.restored + stats.resident).toBe(8);
    await runtime.dispose();
  });
});

describe('defaultEvolutionContexts', () => {
  it('one context per sequence for one-thread CPU contexts (at most two per core), else the tasks layout', () => {
    expect(defaultEvolutionContexts(true, undefined, 4)).toBeNull();
    expect(defaultEvolutionContexts(false, 2, 4)).toBeNull();
    const one = defaultEvolutionContexts(false, 1, 4)!;
    expect(one).toBeGreaterThanOrEqual(1);
    expect(one).toBeLessThanOrEqual(4);
  });
});
