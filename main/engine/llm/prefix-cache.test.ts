import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetLlamaForTests } from './llama-instance';
import { LlamaRuntime, type RuntimeOptions } from './runtime';
import { fixtureRuntimeOptions } from './test-fixture';
import type { GenerateRequest } from './types';

const options = (extra: Partial<RuntimeOptions> = {}): RuntimeOptions => fixtureRuntimeOptions({ sequences: 4, contexts: 2, ...extra });

// A skill-like template: a long fixed part, then the input.
const TEMPLATE = 'Once upon a time there was a little dog named Max who lived in a small house by the big green park. Every day he';
const request = (input: string, extra: Partial<GenerateRequest> = {}): GenerateRequest => ({
  prompt: `${TEMPLATE} ${input}`,
  cachePrefix: TEMPLATE,
  temperature: 0,
  maxTokens: 12,
  ...extra,
});
const INPUTS = ['ran to the tree', 'saw a big cat', 'ate his food', 'played with Tom', 'went to sleep', 'found a ball'];

let cached: LlamaRuntime;
let plain: LlamaRuntime;

beforeAll(async () => {
  cached = new LlamaRuntime(options());
  plain = new LlamaRuntime(options({ prefixCacheBytes: 0 }));
  await Promise.all([cached.ensureLoaded(), plain.ensureLoaded()]);
});

afterAll(async () => {
  await Promise.all([cached?.dispose(), plain?.dispose()]);
  await resetLlamaForTests();
});

describe('prompt-prefix snapshots', () => {
  it('answer exactly as without the cache, on every sequence of both contexts', async () => {
    const withCache = await cached.generateBatch(INPUTS.map((input) => request(input)));
    const again = await cached.generateBatch([...INPUTS].reverse().map((input) => request(input)));
    const without = await plain.generateBatch(INPUTS.map((input) => request(input, { cachePrefix: undefined })));
    expect(withCache.map((r) => r.text)).toEqual(without.map((r) => r.text));
    expect([...again].reverse().map((r) => r.text)).toEqual(without.map((r) => r.text));
    const stats = cached.prefixStats()!;
    expect(stats.entries).toBe(1);
    expect(stats.computed).toBeGreaterThanOrEqual(1);
    expect(stats.restored + stats.resident).toBeGreaterThan(0);
  });

  it('a request after its prefix is cached evaluates only its own tail', async () => {
    const first = await cached.generate(request('jumped over the log'));
    const warm = await cached.generate(request('dug a deep hole'));
    expect(first.promptTokens).toBeGreaterThan(25);
    expect(warm.computedPromptTokens).toBeLessThan(warm.promptTokens / 2);
    expect(cached.stats().computedPromptTokens).toBeLessThan(cached.stats().promptTokens);
  });

  it('pinned prefixes are computed before any request and survive an unload', async () => {
    const runtime = new LlamaRuntime(options({ sequences: 2 }));
    const pinned = 'Lily had a red ball and a blue kite. She took them to the park on a sunny day and met her friend';
    await runtime.setWarmPrefixes('tasks', [{ prompt: pinned }]);
    expect(runtime.prefixStats()).toBeNull();
    await runtime.ensureLoaded();
    await waitFor(() => (runtime.prefixStats()?.computed ?? 0) === 1);
    expect(runtime.prefixStats()).toMatchObject({ pinned: 1, entries: 1 });
    const result = await runtime.generate({ prompt: `${pinned} Sam.`, temperature: 0, maxTokens: 8 });
    // Computed: " Sam." and the chat template's closing tokens; the pinned 40-token sentence comes from the snapshot.
    expect(result.computedPromptTokens).toBeLessThan(result.promptTokens / 3);
    expect(runtime.prefixStats()!.computed).toBe(1);
    await runtime.dispose();
    await runtime.ensureLoaded();
    await waitFor(() => (runtime.prefixStats()?.computed ?? 0) === 1);
    await runtime.setWarmPrefixes('tasks', []);
    expect(runtime.prefixStats()!.pinned).toBe(0);
    await runtime.dispose();
  });

  it('drops least recently used snapshots beyond the byte budget, never pinned ones', async () => {
    const runtime = new LlamaRuntime(options({ sequences: 1, contexts: 1, prefixCacheBytes: 1 }));
    await runtime.setWarmPrefixes('tasks', [{ prompt: TEMPLATE }]);
    await runtime.ensureLoaded();
    await runtime.generate({ ...request('sat down'), cachePrefix: undefined });
    const other = 'The sun was hot and the sky was blue and all the birds in the tall trees sang a happy song for';
    await runtime.generate({ prompt: `${other} Max.`, cachePrefix: other, temperature: 0, maxTokens: 4 });
    const stats = runtime.prefixStats()!;
    expect(stats.evicted).toBe(1);
    expect(stats.entries).toBe(1);
    expect(stats.pinned).toBe(1);
    await runtime.dispose();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
