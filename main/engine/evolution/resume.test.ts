import { afterEach, describe, expect, it } from 'vitest';
import { DeterministicTextModel } from '../llm/deterministic-text-model';
import type { GenerateRequest, GenerateResult, TextModel } from '../llm/types';
import type { TempEngine } from '../../test-support/temp-engine';
import { isUserError } from '../util/errors';
import { RunStore } from './checkpoint';
import { FitnessCache } from './fitness-cache';
import { createEvolutionGenerator } from './generator';
import { runEvolution, type EvolutionRunOptions } from './run';
import { evolutionSettings } from './settings';
import { engineWithHistory, namingModel, SMALL } from './test-support';

let t: TempEngine;
afterEach(() => t?.cleanup());

/** Wraps a model: fails (once) on the n-th skill evaluation, and records every skill prompt it runs. */
class FlakyModel implements TextModel {
  readonly evaluated: string[] = [];
  private count = 0;
  constructor(
    private readonly inner: TextModel,
    private failAt: number | null,
  ) {}
  get id(): string {
    return this.inner.id;
  }
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    if (request.stop === 'line') {
      if (++this.count === this.failAt) {
        this.failAt = null;
        throw new Error('power cut');
      }
      this.evaluated.push(request.prompt);
    }
    return this.inner.generate(request);
  }
  async generateBatch(requests: readonly GenerateRequest[]): Promise<GenerateResult[]> {
    return Promise.all(requests.map((r) => this.generate(r)));
  }
}

function options(
  engine: TempEngine['engine'],
  model: TextModel,
  extra: Partial<EvolutionRunOptions> = {},
  settings = {},
): EvolutionRunOptions {
  const active = engine.prompts.active('file-naming');
  return {
    ctx: engine.ctx,
    tasks: engine.tasks,
    skill: active.definition,
    active,
    model,
    settings: evolutionSettings(engine.ctx.config.config, { ...SMALL, ...settings }),
    ...extra,
  };
}

const cachedPairs = (engine: TempEngine['engine']) =>
  new Set(
    (engine.ctx.db.prepare(`SELECT prompt_hash || '|' || example_id AS k FROM fitness_cache`).all() as { k: string }[]).map((r) => r.k),
  );

describe('checkpoint and resume', () => {
  it('a run that dies mid-generation resumes from its last checkpoint and re-runs no cached evaluation', async () => {
    t = engineWithHistory(24);
    const inner = namingModel();
    const flaky = new FlakyModel(inner, 40);
    await expect(runEvolution(options(t.engine, flaky))).rejects.toThrow('power cut');
    const store = new RunStore(t.engine.ctx.db, () => '');
    const dead = store.latest('file-naming')!;
    expect(dead.status).toBe('failed');
    expect(dead.generation).toBeGreaterThanOrEqual(0);
    const before = cachedPairs(t.engine);
    const seenBefore = new Set(flaky.evaluated);

    const again = new FlakyModel(inner, null);
    const result = await runEvolution(options(t.engine, again));
    expect(result.runId).toBe(dead.id);
    expect(result.resumedFrom).toBe(dead.generation);
    expect(result.generations).toBe(3);
    expect(again.evaluated.filter((p) => seenBefore.has(p))).toEqual([]);
    expect(result.counters.cacheHits).toBeGreaterThan(0);
    // Every evaluation either side of the crash is one cache row: none was paid twice.
    expect(new FitnessCache(t.engine.ctx.db).totalsForRun(dead.id).calls).toBe(cachedPairs(t.engine).size);
    expect(cachedPairs(t.engine).size).toBe(before.size + again.evaluated.length);
    expect(store.require(dead.id).status).toBe('done');
  });

  it('cancelling stops cleanly with a resumable checkpoint; the next run continues it', async () => {
    t = engineWithHistory(24);
    const controller = new AbortController();
    const error = await runEvolution(
      options(t.engine, namingModel(), {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'evolving' && p.generation === 1) controller.abort();
        },
      }),
    ).catch((e: unknown) => e);
    expect(isUserError(error) && error.code).toBe('cancelled');
    expect((error as Error).message).toMatch(
      /evolution of file-naming cancelled after generation 1; the checkpoint is kept: run it again to resume/,
    );
    const run = new RunStore(t.engine.ctx.db, () => '').latest('file-naming')!;
    expect(run).toMatchObject({ status: 'cancelled', generation: 1 });
    const resumed = await runEvolution(options(t.engine, namingModel()));
    expect(resumed).toMatchObject({ runId: run.id, resumedFrom: 1, generations: 3 });
  });

  it('a resume matches skill, prompt and model; another model starts a new run and the old one is abandoned', async () => {
    t = engineWithHistory(24);
    const controller = new AbortController();
    controller.abort();
    await runEvolution(options(t.engine, namingModel(), { signal: controller.signal })).catch(() => null);
    const first = new RunStore(t.engine.ctx.db, () => '').latest('file-naming')!;
    const other = new DeterministicTextModel(undefined, 'other-model');
    const result = await runEvolution(options(t.engine, other)).catch((e: Error) => e);
    expect(new RunStore(t.engine.ctx.db, () => '').require(first.id).status).toBe('abandoned');
    expect(result).toBeDefined();
  });

  it('the same seed gives the same variants', async () => {
    t = engineWithHistory(24);
    const a = await runEvolution(options(t.engine, namingModel(), { resume: false }));
    const t2 = engineWithHistory(24);
    try {
      const b = await runEvolution(options(t2.engine, namingModel(), { resume: false }));
      expect(b.variants.map((v) => v.prompt)).toEqual(a.variants.map((v) => v.prompt));
    } finally {
      t2.cleanup();
    }
  });
});

describe('budget, review and repair', () => {
  it('never makes more uncached calls than max_llm_calls, and keeps calls for the final ranking', async () => {
    t = engineWithHistory(24);
    const result = await runEvolution(options(t.engine, namingModel(), {}, { maxLlmCalls: 60, generations: 30 }));
    expect(result.counters.llmCalls).toBeLessThanOrEqual(60);
    expect(result.stoppedEarly).toBe('budget');
    expect(result.generations).toBeLessThan(30);
    expect(result.finalExamples).toBeGreaterThan(0);
  });

  it('flags the session for review when the best variant scores below rollback_threshold', async () => {
    t = engineWithHistory(24);
    const hopeless = new DeterministicTextModel(
      (r) => (r.stop === 'prompt' ? `Try ${r.seed} words.\n\nFile: {{input}}` : 'nothing.png'),
      'hopeless',
    );
    const generator = createEvolutionGenerator(t.engine, { model: hopeless, settings: SMALL });
    t.engine.setVariantGenerator(generator.generate);
    const session = await t.engine.evolve('file-naming', { count: 2 });
    expect(session.needs_review).toBe(1);
    expect(generator.lastResult()).toMatchObject({
      needsReview: true,
      reviewReason: expect.stringMatching(/below rollback_threshold 70%/),
    });
  });

  it('repairPlaceholder appends the slot and counts it separately; by default such mutants are rejected', async () => {
    t = engineWithHistory(24);
    const forgetful = namingModel({ dropPlaceholderEvery: 1 });
    const strict = await runEvolution(options(t.engine, forgetful, { resume: false }));
    const total = (r: typeof strict, f: (o: (typeof strict.operators)['direct']) => number) =>
      Object.values(r.operators).reduce((s, o) => s + f(o), 0);
    expect(total(strict, (o) => o.rejected.no_placeholder ?? 0)).toBeGreaterThan(0);
    expect(total(strict, (o) => o.repaired)).toBe(0);
    const lenient = await runEvolution(options(t.engine, forgetful, { resume: false }, { repairPlaceholder: true, seed: 9 }));
    expect(total(lenient, (o) => o.repaired)).toBeGreaterThan(0);
    expect(total(lenient, (o) => o.rejected.no_placeholder ?? 0)).toBe(0);
    const units = new RunStore(t.engine.ctx.db, () => '').units(lenient.runId);
    expect(units.some((u) => u.status === 'repaired' && u.prompt.endsWith('File: {{input}}'))).toBe(true);
  });

  it('refuses to start without enough examples, and asks onPlan before any model call', async () => {
    t = engineWithHistory(2);
    await expect(runEvolution(options(t.engine, namingModel()))).rejects.toThrow(/needs at least 3 tasks with feedback/);
    const t2 = engineWithHistory(24);
    try {
      const model = namingModel();
      await expect(runEvolution(options(t2.engine, model, { onPlan: () => false }))).rejects.toThrow(/not started/);
      expect(model.calls).toHaveLength(0);
      expect(new RunStore(t2.engine.ctx.db, () => '').latest('file-naming')).toBeNull();
    } finally {
      t2.cleanup();
    }
  });
});
