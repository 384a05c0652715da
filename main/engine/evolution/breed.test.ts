import { afterEach, describe, expect, it } from 'vitest';
import type { GenerateRequest, GenerateResult, TextModel } from '../llm/types';
import { UserError } from '../util/errors';
import { eventually } from '../../test-support/eventually';
import { tempEngine, type TempEngine } from '../../test-support/temp-engine';
import type { BreedDeps } from './breed';
import { MutationCalls } from './mutation-calls';
import { Budget } from './budget';
import { RunStore, type RunSpec } from './checkpoint';
import { emptyCounters } from './run-context';

/* Mutation calls run in `parallel` lanes that each take the next call when theirs is done. */

/** Answers "re: <prompt>"; a prompt containing SLOW waits for release(); FAIL throws, LONG is too long. */
class HeldModel implements TextModel {
  readonly id = 'held';
  readonly answered: string[] = [];
  private held: (() => void)[] = [];

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    if (request.prompt.includes('SLOW')) await new Promise<void>((resolve) => this.held.push(resolve));
    else await new Promise((resolve) => setImmediate(resolve));
    if (request.prompt.includes('FAIL')) throw new Error('the model crashed');
    if (request.prompt.includes('LONG')) throw new UserError('prompt too long', { code: 'prompt_too_long' });
    this.answered.push(request.prompt);
    return { text: `re: ${request.prompt}`, promptTokens: 5, generatedTokens: 3, stopReason: 'eos', ms: 0 };
  }

  generateBatch(requests: readonly GenerateRequest[]): Promise<GenerateResult[]> {
    return Promise.all(requests.map((r) => this.generate(r)));
  }

  release(): void {
    for (const resume of this.held.splice(0)) resume();
  }
}

let t: TempEngine | undefined;
afterEach(() => t?.cleanup());

function depsFor(model: TextModel): BreedDeps & { store: RunStore } {
  t = tempEngine();
  const store = new RunStore(t.engine.ctx.db, () => '2026-11-30T00:00:00.000Z');
  const spec = { settings: { parallel: 2 }, trainIds: [], holdoutIds: [], exampleNote: null } as unknown as RunSpec;
  const run = store.create({ skill: 'file-naming', baseVersion: 1, basePromptHash: 'h', modelId: model.id, spec });
  return {
    model,
    store,
    runId: run.id,
    budget: new Budget(100, 0),
    counters: emptyCounters(),
    settings: spec.settings,
    operators: {} as BreedDeps['operators'],
    mutationPrompts: new Map(),
    opCtx: () => {
      throw new Error('not used');
    },
    slotLine: '',
    maxPromptChars: 1500,
  };
}

const calls = (...prompts: string[]) => prompts.map((prompt, i) => ({ key: `k${i}`, request: { prompt } }));

describe('MutationCalls', () => {
  it('keeps the other lane working through the queue while one call is slow, and returns the results in call order', async () => {
    const model = new HeldModel();
    const deps = depsFor(model);
    const done = new MutationCalls(deps).run(calls('a SLOW one', 'b', 'c', 'd'));
    await eventually(() => model.answered.length === 3, 5_000, 'the other lane to run b, c and d');
    model.release();
    const out = await done;
    expect(out.map((o) => ('text' in o ? o.text : o.error))).toEqual(['re: a SLOW one', 're: b', 're: c', 're: d']);
    expect(deps.counters.mutationCalls).toBe(4);
    expect(deps.budget.used).toBe(4);
    expect(deps.store.callTotals(deps.runId).calls).toBe(4);
  });

  it('gives a request too long for the context its own error and runs the rest', async () => {
    const deps = depsFor(new HeldModel());
    const out = await new MutationCalls(deps).run(calls('a', 'b LONG', 'c'));
    expect(out.map((o) => ('error' in o ? 'error' : o.text))).toEqual(['re: a', 'error', 're: c']);
    expect(deps.counters.errors).toBe(1);
    expect(deps.budget.used).toBe(2);
  });

  it('stops taking calls after a model failure, keeps what finished, and rethrows once the lanes are idle', async () => {
    const model = new HeldModel();
    const deps = depsFor(model);
    await expect(new MutationCalls(deps).run(calls('a FAIL', 'b', 'c', 'd', 'e', 'f'))).rejects.toThrow('the model crashed');
    // The failing lane stopped at once; the other finished its call in flight and took no other.
    expect(model.answered).toEqual(['b']);
    expect(deps.store.callTotals(deps.runId).calls).toBe(1);
  });
});

describe('MutationCalls: batches of one breed share the lanes', () => {
  it("a batch added while another's call is held runs on the free lane, and one added later queues behind", async () => {
    const model = new HeldModel();
    const deps = depsFor(model);
    const lanes = new MutationCalls(deps);
    const slow = lanes.run(calls('a SLOW hypermutation'));
    const others = lanes.run(calls('b', 'c', 'd').map((c) => ({ ...c, key: `o-${c.key}` })));
    expect((await others).map((o) => ('text' in o ? o.text : o.error))).toEqual(['re: b', 're: c', 're: d']);
    model.release();
    await slow;
    const later = await lanes.run(calls('e').map((c) => ({ ...c, key: `l-${c.key}` })));
    expect(later).toEqual([expect.objectContaining({ text: 're: e' })]);
    expect(model.answered).toEqual(['b', 'c', 'd', 'a SLOW hypermutation', 'e']);
    expect(deps.budget.used).toBe(5);
  });

  it('batches running at once never pass the budget together: the one that does not fit stops the others', async () => {
    const model = new HeldModel();
    const deps = { ...depsFor(model), budget: new Budget(3, 0) };
    const lanes = new MutationCalls(deps);
    const first = lanes.run(calls('a', 'b'));
    const second = lanes.run(calls('c', 'd').map((c) => ({ ...c, key: `s-${c.key}` })));
    await expect(second).rejects.toThrow(/needs 2 model calls but only 1/);
    await expect(first).rejects.toThrow(/needs 2 model calls/);
    expect(deps.budget.used).toBeLessThanOrEqual(3);
    expect(model.answered.length).toBe(deps.budget.used);
  });
});
