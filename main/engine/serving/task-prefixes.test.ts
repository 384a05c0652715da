import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine';
import { skillPrefix } from '../skills/skill-request';
import { resetLlamaForTests } from '../llm/llama-instance';
import type { LlamaRuntime } from '../llm/runtime';
import { requireFixtureModel } from '../llm/test-fixture';
import { tempEngine, VARIANTS, type TempEngine } from '../../test-support/temp-engine';
import { TASK_PREFIX_OWNER } from './task-prefixes';

let t: TempEngine;
const others: Engine[] = [];
beforeEach(() => {
  t = tempEngine({ model: { modelPath: requireFixtureModel(), runtime: { gpu: false, threads: 1, contextSize: 1024 } } });
  t.engine.taskPrefixes.enable(); // as createAppRuntime does
});
afterEach(async () => {
  for (const other of others.splice(0)) other.close();
  await t.engine.dispose();
  t.cleanup();
});
afterAll(() => resetLlamaForTests());

const runtime = async (): Promise<LlamaRuntime> => (await t.engine.models.get()) as LlamaRuntime;
const pinned = async () => (await runtime()).warmPrefixes(TASK_PREFIX_OWNER).map((p) => p.prompt);
const prefixesOf = (templates: string[]) => templates.map(skillPrefix).sort();
/** Another process on the same data folder (its own database connection and config.yaml reads). */
const otherProcess = (): Engine => {
  const other = Engine.open({ dataDir: t.dataDir, seed: 'other' });
  others.push(other);
  return other;
};

describe('TaskPrefixes on the real serving path (stories260K)', () => {
  it("pins the active prompt's prefix at the first task, so the next task computes only its input", async () => {
    const serve = (input: string) => t.engine.serveTask({ skill: 'file-naming', input, allowVote: false });
    await serve('IMG_0001.png — a beach at sunset');
    const rt = await runtime();
    expect(await pinned()).toEqual(prefixesOf([t.engine.prompts.active('file-naming').prompt]));
    const before = rt.stats();
    await serve('IMG_0002.png — a receipt from a hardware store');
    const after = rt.stats();
    const sent = after.promptTokens - before.promptTokens;
    const computed = after.computedPromptTokens - before.computedPromptTokens;
    // The template before {{input}} (with the chat template's start) came from the pinned prefix.
    expect(sent - computed).toBeGreaterThanOrEqual(16);
    expect(computed).toBeLessThan(sent / 2);
    expect(rt.prefixStats()).toMatchObject({ pinned: 1 });
  });

  it('re-pins after another process starts a test (every arm), promotes an arm, and rolls back', async () => {
    await t.engine.serveTask({ skill: 'file-naming', input: 'IMG_0003.png', allowVote: false });
    const rt = await runtime();
    const other = otherProcess();
    const session = other.sessions.create({ skill: 'file-naming', variants: VARIANTS.map((prompt) => ({ prompt })), reason: 'manual' });

    // The app refreshes on a state change; the arms are evaluated once, before any vote round.
    await t.engine.taskPrefixes.refresh();
    expect(await pinned()).toEqual(prefixesOf(VARIANTS));
    const before = rt.prefixStats()!;
    t.engine.ctx.config.set(['prompt_evolution', 'ab_testing', 'show_probability'], 1);
    const round = await t.engine.serveTask({ skill: 'file-naming', input: 'IMG_0004.png — a cat on a sofa' });
    expect(round.kind).toBe('vote');
    // Every arm's prefix was restored or already resident: none was computed for the round.
    const after = rt.prefixStats()!;
    expect(after.computed).toBe(before.computed);
    expect(after.restored + after.resident - before.restored - before.resident).toBeGreaterThanOrEqual(3);

    other.promoteByHand('file-naming', 'B', { sessionId: session.id });
    const promoted = t.engine.prompts.active('file-naming');
    expect(promoted.prompt).toBe(VARIANTS[1]);
    // Read lazily before the next task as well: no refresh call needed.
    await t.engine.serveTask({ skill: 'file-naming', input: 'IMG_0005.png', allowVote: false });
    expect(await pinned()).toEqual(prefixesOf([VARIANTS[1]]));

    other.promotion.rollback('file-naming', { reason: 'test' });
    await t.engine.taskPrefixes.refresh();
    expect(await pinned()).toEqual(prefixesOf([t.engine.prompts.active('file-naming').prompt]));
    expect(t.engine.prompts.active('file-naming').version).toBe(1);
  });

  it('never loads the model to warm prefixes, and pins nothing for skills this process has not served', async () => {
    await t.engine.taskPrefixes.refresh();
    expect(t.engine.models.isLoaded()).toBe(false);
    expect(t.engine.taskPrefixes.current()).toEqual([]);
  });

  it('pins nothing in a one-shot process (not enabled): the task still reuses its own prefix through cachePrefix', async () => {
    t.engine.taskPrefixes.reset();
    await t.engine.serveTask({ skill: 'file-naming', input: 'IMG_0006.png', allowVote: false });
    expect(await pinned()).toEqual([]);
  });
});
