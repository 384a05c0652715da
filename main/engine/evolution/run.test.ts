import { afterEach, describe, expect, it } from 'vitest';
import type { TempEngine } from '../../test-support/temp-engine';
import { RunStore } from './checkpoint';
import { FitnessCache } from './fitness-cache';
import { createEvolutionGenerator } from './generator';
import { FULL_POLICIES, evolutionSettings } from './settings';
import type { Proposer } from './breed';
import { makeUnit } from './population';
import { engineWithHistory, namingModel, SMALL } from './test-support';
import { runEvolution } from './run';
import type { EvolutionProgress } from './types';

let t: TempEngine;
afterEach(() => t?.cleanup());

const runOn = (
  engine: TempEngine['engine'],
  model = namingModel(),
  extra: Partial<typeof SMALL> = {},
  more: Partial<Parameters<typeof runEvolution>[0]> = {},
) => {
  const active = engine.prompts.active('file-naming');
  return runEvolution({
    ctx: engine.ctx,
    tasks: engine.tasks,
    skill: active.definition,
    active,
    model,
    settings: evolutionSettings(engine.ctx.config.config, { ...SMALL, ...extra }),
    ...more,
  });
};

describe('PromptBreeder run (deterministic stand-in)', () => {
  it('evolves a population, ranks it on held-out examples and reports per-operator counts', async () => {
    t = engineWithHistory(24);
    const progress: EvolutionProgress[] = [];
    const result = await runOn(t.engine, namingModel(), {}, { onProgress: (p) => progress.push(p) });
    expect(result.generations).toBe(3);
    expect(result.variants.length).toBe(3);
    for (const v of result.variants) {
      expect(v.prompt).toContain('{{input}}');
      expect(v.source).toBe('smollm2');
      expect(typeof v.fitness).toBe('number');
      expect(v.reasoning).toMatch(/generation \d+; .*fitness \d+% on \d+ held-out examples \(current prompt \d+%\)/);
    }
    expect(result.examples).toMatchObject({ holdout: 6, train: 18 });
    expect(result.finalExamples).toBe(6);
    const ops = Object.values(result.operators);
    expect(ops.reduce((s, o) => s + o.attempts, 0)).toBeGreaterThan(5);
    expect(ops.reduce((s, o) => s + (o.rejected.no_placeholder ?? 0), 0)).toBeGreaterThan(0);
    expect(result.counters.llmCalls).toBe(result.counters.evaluationCalls + result.counters.mutationCalls);
    expect(result.counters.cacheHits).toBeGreaterThan(0);
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['initialising', 'evolving', 'final-evaluation', 'done']));
    expect(progress.at(-1)).toMatchObject({ phase: 'done', generation: 3, generations: 3, maxLlmCalls: 5000 });
    const store = new RunStore(t.engine.ctx.db, () => '');
    const units = store.units(result.runId);
    expect(units.filter((u) => u.status === 'rejected').every((u) => u.reason !== null)).toBe(true);
    expect(store.require(result.runId).status).toBe('done');
  });

  it('never evaluates a (prompt, example) pair twice: the cache holds exactly the paid evaluations', async () => {
    t = engineWithHistory(24);
    const model = namingModel();
    const result = await runOn(t.engine, model);
    const cache = new FitnessCache(t.engine.ctx.db);
    expect(cache.totalsForRun(result.runId).calls).toBe(result.counters.evaluationCalls);
    const evalRequests = model.calls.filter((c) => c.stop === 'line').map((c) => c.prompt);
    expect(new Set(evalRequests).size).toBe(evalRequests.length);
    // A second run on the same model starts from the shared cache.
    const again = await runOn(t.engine, model, { seed: 8 }, { resume: false });
    expect(again.counters.cacheHits).toBeGreaterThan(0);
  });

  it('holds the model in its evolution layout for the whole run, and lets go when the run fails', async () => {
    t = engineWithHistory(24);
    const events: string[] = [];
    const hold = async () => {
      events.push('begin');
      return async () => {
        events.push('end');
      };
    };
    const model = Object.assign(namingModel(), { beginEvolution: hold });
    const generator = createEvolutionGenerator(t.engine, { model, settings: SMALL });
    t.engine.setVariantGenerator(generator.generate);
    await t.engine.evolve('file-naming', { count: 3 });
    expect(events).toEqual(['begin', 'end']);
    const broken = Object.assign(namingModel(), {
      beginEvolution: hold,
      generate: async () => {
        throw new Error('the model went away');
      },
    });
    await expect(runOn(t.engine, broken, {}, { resume: false })).rejects.toThrow();
    expect(events).toEqual(['begin', 'end', 'begin', 'end']);
  });

  it('generator hands the top variants to an A/B session with fitness and reasoning', async () => {
    t = engineWithHistory(24);
    const generator = createEvolutionGenerator(t.engine, { model: namingModel(), settings: SMALL });
    t.engine.setVariantGenerator(generator.generate);
    const session = await t.engine.evolve('file-naming', { count: 3 });
    const arms = t.engine.sessions.variants(session.id);
    expect(arms).toHaveLength(3);
    expect(arms.every((a) => a.source === 'smollm2' && a.fitness !== null && a.reasoning)).toBe(true);
    const run = new RunStore(t.engine.ctx.db, () => '').latest('file-naming')!;
    expect(run.session_id).toBe(session.id);
  });

  it('racing and successive halving spend fewer evaluations than scoring everything, on the same seed', async () => {
    t = engineWithHistory(30);
    const settings = { populationSize: 8, generations: 4, evaluationSamples: 6, finalEvaluationSamples: 12, seed: 11 };
    const full = await runOn(t.engine, namingModel(), { ...settings, ...FULL_POLICIES }, { resume: false });
    t.cleanup();
    t = engineWithHistory(30);
    const raced = await runOn(t.engine, namingModel(), settings, { resume: false });
    expect(raced.counters.evaluationCalls).toBeLessThan(full.counters.evaluationCalls);
    expect(raced.spend.finalEvaluations).toBeLessThanOrEqual(full.spend.finalEvaluations);
    expect(raced.variants.length).toBe(3);
    // The kept variants met every held-out example; units ruled out early met fewer.
    const kept = raced.ranking.filter((r) => r.unit.operator !== 'current').slice(0, 3);
    expect(kept.every((r) => r.finalSamples === raced.finalExamples)).toBe(true);
    expect(raced.projection.measuredSeconds).toBeGreaterThan(0);
  });

  it('takes its mutants from an injected proposer', async () => {
    t = engineWithHistory(24);
    let calls = 0;
    const proposer = (): Proposer => ({
      async propose(births, _members, generation) {
        calls++;
        return births.map((b) =>
          makeUnit({
            id: b.id,
            prompt: `Variant ${b.id}: name the subject.\n\nFile: {{input}}`,
            operator: b.op,
            generation,
            parent: b.parent,
          }),
        );
      },
    });
    const result = await runOn(t.engine, namingModel(), {}, { proposer });
    expect(calls).toBeGreaterThan(3);
    expect(result.variants.every((v) => v.prompt.startsWith('Variant '))).toBe(true);
  });
});
