import { afterAll, describe, expect, it } from 'vitest';
import { isAbortError } from './abort';
import { resetLlamaForTests } from './llama-instance';
import { LlamaRuntime } from './runtime';
import { fixtureRuntimeOptions } from './test-fixture';

const options = () => fixtureRuntimeOptions({ contextSize: 256, sequences: 2 });

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

afterAll(async () => {
  await resetLlamaForTests();
});

describe('LlamaRuntime lifecycle', () => {
  it('unloads after the idle timeout and reloads transparently on the next request', async () => {
    const runtime = new LlamaRuntime({ ...options(), idleDisposeMs: 30 });
    const first = await runtime.generate({ prompt: 'Tom had a dog', temperature: 0, maxTokens: 20 });
    await waitFor(() => runtime.stats().unloads === 1);
    expect(runtime.isLoaded).toBe(false);
    expect(runtime.info()).toBeNull();
    expect(runtime.stats()).toMatchObject({ loads: 1, unloads: 1 });
    expect(runtime.id).toBe('270cba1bd5109f42');
    const second = await runtime.generate({ prompt: 'Tom had a dog', temperature: 0, maxTokens: 20 });
    expect(second.text).toBe(first.text);
    expect(runtime.stats().loads).toBe(2);
    await runtime.dispose();
  });

  it('does not unload while a generation runs', async () => {
    const runtime = new LlamaRuntime({ ...options(), idleDisposeMs: 1 });
    let sawLoadedMidRun = true;
    await runtime.generate({
      prompt: 'Once upon a time',
      temperature: 0,
      maxTokens: 100,
      onText: () => {
        if (!runtime.isLoaded) sawLoadedMidRun = false;
      },
    });
    expect(sawLoadedMidRun).toBe(true);
    await runtime.dispose();
  });

  it('idleDisposeMs 0 keeps the model loaded', async () => {
    const runtime = new LlamaRuntime({ ...options(), idleDisposeMs: 0 });
    await runtime.ensureLoaded();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runtime.isLoaded).toBe(true);
    await runtime.dispose();
    expect(runtime.isLoaded).toBe(false);
  });

  it('dispose() aborts running and queued requests, and the runtime can be used again', async () => {
    const runtime = new LlamaRuntime({ ...options(), sequences: 1, idleDisposeMs: 0 });
    await runtime.ensureLoaded();
    let disposing: Promise<void> | null = null;
    const running = runtime.generate({
      prompt: 'Once upon a time',
      temperature: 0.8,
      seed: 1,
      maxTokens: 2000,
      onText: () => {
        disposing ??= runtime.dispose();
      },
    });
    const queued = runtime.generate({ prompt: 'Tom', maxTokens: 2000 });
    const outcomes = await Promise.allSettled([running, queued]);
    await disposing;
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect(isAbortError((outcome as PromiseRejectedResult).reason)).toBe(true);
    }
    expect(runtime.isLoaded).toBe(false);
    const again = await runtime.generate({ prompt: 'Tom had a dog', temperature: 0, maxTokens: 10 });
    expect(again.generatedTokens).toBeGreaterThan(0);
    await runtime.dispose();
  });
});
