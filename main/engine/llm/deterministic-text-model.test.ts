import { describe, expect, it } from 'vitest';
import { isAbortError } from './abort';
import { DeterministicTextModel } from './deterministic-text-model';

describe('DeterministicTextModel', () => {
  it('answers the same request the same way and a different seed differently', async () => {
    const model = new DeterministicTextModel();
    const a = await model.generate({ prompt: 'p', temperature: 0.7, seed: 1 });
    const b = await model.generate({ prompt: 'p', temperature: 0.7, seed: 1 });
    const c = await model.generate({ prompt: 'p', temperature: 0.7, seed: 2 });
    expect(b.text).toBe(a.text);
    expect(c.text).not.toBe(a.text);
    expect(model.calls).toHaveLength(3);
  });

  it('applies the output rules and maxTokens', async () => {
    const model = new DeterministicTextModel(() => 'Sure, here is the prompt:\none two three four');
    expect((await model.generate({ prompt: 'x', stop: 'bare' })).text).toBe('one two three four');
    const clipped = await model.generate({ prompt: 'x', stop: 'line', maxTokens: 2 });
    expect(clipped).toMatchObject({ stopReason: 'maxTokens', generatedTokens: 2 });
  });

  it('honours an aborted signal', async () => {
    const model = new DeterministicTextModel();
    const error = await model.generateBatch([{ prompt: 'x' }], { signal: AbortSignal.abort() }).catch((reason: unknown) => reason);
    expect(isAbortError(error)).toBe(true);
  });
});
