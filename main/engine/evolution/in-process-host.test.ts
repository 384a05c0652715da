import { afterEach, describe, expect, it } from 'vitest';
import type { EvolutionProgressView } from '../../../contract/api';
import type { TempEngine } from '../../test-support/temp-engine';
import { RunStore } from './checkpoint';
import { attachEvolutionGenerator } from './generator';
import { createEvolutionHost } from './in-process-host';
import { engineWithHistory, namingModel, SMALL } from './test-support';
import type { EvolutionProgress } from './types';

let t: TempEngine;
afterEach(() => t?.cleanup());

describe('in-process evolution host (the app seam)', () => {
  it('reports progress per skill in the contract shape and notifies listeners', async () => {
    t = engineWithHistory(24);
    const host = createEvolutionHost(t.engine, { model: namingModel(), settings: SMALL });
    t.engine.setVariantGenerator(host.generate);
    let notified = 0;
    const unsubscribe = host.onProgress(() => notified++);
    await t.engine.evolve('file-naming', { count: 2 });
    unsubscribe();
    const view: EvolutionProgressView | null = host.progress('file-naming');
    expect(view).toMatchObject({ skill: 'file-naming', phase: 'done', generation: 3, generations: 3 });
    expect(notified).toBeGreaterThan(3);
    expect(host.progress('audio-actions')).toBeNull();
    expect(t.engine.models.isLoaded()).toBe(false);
    await host.dispose();
  });

  it('pause lets the running generation finish and stops there, resumable; paused hosts start nothing', async () => {
    t = engineWithHistory(24);
    const host = createEvolutionHost(t.engine, { model: namingModel(), settings: SMALL });
    t.engine.setVariantGenerator(host.generate);
    host.onProgress(() => {
      if (host.progress('file-naming')?.generation === 1) host.setPaused(true);
    });
    await expect(t.engine.evolve('file-naming')).rejects.toThrow(/paused after generation 1; it resumes from there next time/);
    expect(new RunStore(t.engine.ctx.db, () => '').latest('file-naming')).toMatchObject({ status: 'cancelled', generation: 1 });
    await expect(t.engine.evolve('file-naming')).rejects.toThrow(/evolution is paused/);
    host.setPaused(false);
    await t.engine.evolve('file-naming');
    expect(new RunStore(t.engine.ctx.db, () => '').latest('file-naming')).toMatchObject({ status: 'done', generation: 3 });
  });

  it('cancel aborts the running evolution of that skill only', async () => {
    t = engineWithHistory(24);
    const host = createEvolutionHost(t.engine, { model: namingModel(), settings: SMALL });
    t.engine.setVariantGenerator(host.generate);
    expect(host.cancel('file-naming')).toBe(false);
    host.onProgress(() => {
      if (host.progress('file-naming')?.phase === 'evolving') host.cancel('file-naming');
    });
    await expect(t.engine.evolve('file-naming')).rejects.toThrow(/cancelled/);
    expect(host.progress('file-naming')?.phase).toBe('cancelled');
  });

  it('EvolutionProgress is the contract view', () => {
    const progress: EvolutionProgress = {
      skill: 's',
      phase: 'evolving',
      generation: 1,
      generations: 2,
      bestFitness: null,
      meanFitness: null,
      llmCalls: 0,
      maxLlmCalls: 1,
      tokensPerSecond: null,
      etaSeconds: null,
      message: null,
    };
    const view: EvolutionProgressView = progress;
    expect(view).toBe(progress);
  });
});

describe('attaching a generator for the monitor', () => {
  it('never creates the model unless an evolution starts', async () => {
    t = engineWithHistory(3);
    let created = 0;
    const generator = await attachEvolutionGenerator(t.engine, { model: async () => (created++, namingModel()), settings: SMALL });
    expect(generator).not.toBeNull();
    const run = await t.engine.runMonitor();
    expect(run.started).toEqual([]);
    expect(created).toBe(0);
  });

  it('is not attached when no model is installed', async () => {
    t = engineWithHistory(3);
    expect(await attachEvolutionGenerator(t.engine)).toBeNull();
  });
});
