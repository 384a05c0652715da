import { afterEach, describe, expect, it } from 'vitest';
import { createEvolutionHost } from '../engine/evolution/in-process-host';
import { engineWithHistory, namingModel, SMALL } from '../engine/evolution/test-support';
import { ProgressStore } from '../engine/evolution/live-progress';
import type { TempEngine } from '../test-support/temp-engine';
import type { AppStateView, SkillView } from '../../contract/api';
import { AppService } from './app-service';

// The evolution lifecycle as the popover drives it: Evolve now, progress from the first second, Cancel → Resume,
// Pause that stops after the generation and goes on when resumed, Dismiss, and a run by another process.

let t: TempEngine;
let app: AppService;
let pushes: AppStateView[];

function setup() {
  t = engineWithHistory(24);
  t.reopen();
  const model = namingModel();
  const host = createEvolutionHost(t.engine, { model, settings: SMALL });
  t.engine.setVariantGenerator(host.generate);
  // A model is "there" for the checks before an evolution; the host runs on the stand-in.
  t.engine.models.available = () => true;
  pushes = [];
  app = new AppService({ engine: t.engine, evolution: host, watchIntervalMs: 0, log: () => {} });
  app.onState((s) => pushes.push(s));
  return host;
}

afterEach(async () => {
  await app?.stop();
  t?.cleanup();
});

const naming = (state: AppStateView | undefined): SkillView => state!.skills.find((s) => s.skill === 'file-naming')!;

describe('the evolution lifecycle in the app', () => {
  it('Evolve now shows progress from its first step, then the test it started', async () => {
    setup();
    expect(naming(await app.getState()).canEvolve).toBe(true);
    await app.startEvolution('file-naming');
    await app.evolutionsSettled();
    await app.getState();
    const steps = pushes.map((p) => naming(p).evolution?.step).filter(Boolean);
    expect(steps[0]).toMatch(/^Writing the first prompts \(0 of 5\)$/);
    expect(steps.some((step) => /^Generation [1-3] of 3$/.test(step!))).toBe(true);
    const fractions = pushes.map((p) => naming(p).evolution?.fraction).filter((f): f is number => f !== undefined);
    expect(fractions.some((f) => f > 0 && f < 0.2)).toBe(true);
    expect(naming(pushes.at(-1)).state.kind).toBe('testing');
    expect(naming(pushes.at(-1)).evolution).toBeNull();
    await expect(app.startEvolution('file-naming')).rejects.toThrow(/already has an A\/B test running/);
  });

  it('Cancel stops it where it is, Resume goes on from there, Dismiss forgets it', async () => {
    const host = setup();
    const off = host.onProgress(() => {
      if (host.progress('file-naming')?.generation === 1 && host.progress('file-naming')?.phase === 'evolving')
        void app.cancelEvolution('file-naming');
    });
    await app.startEvolution('file-naming');
    await app.evolutionsSettled();
    off();
    const stopped = naming(await app.getState());
    expect(stopped.evolution).toMatchObject({
      status: 'stopped',
      step: 'Stopped after generation 1 of 3',
      note: 'Resume it where it stopped, or dismiss it.',
    });
    expect(stopped.state.kind).toBe('needs-prompt');
    expect(stopped.canEvolve).toBe(true);
    await app.dismissEvolution('file-naming');
    expect(naming(pushes.at(-1)).evolution).toBeNull();
    await app.startEvolution('file-naming');
    await app.evolutionsSettled();
    const resumed = pushes.map((p) => naming(p).evolution?.step).filter(Boolean);
    expect(resumed).toContain('Resuming after generation 1 of 3');
    expect(naming(await app.getState()).state.kind).toBe('testing');
  });

  it('Pause stops after the running generation and shows it; resuming the switch goes on where it stopped', async () => {
    const host = setup();
    const off = host.onProgress(() => {
      if (host.progress('file-naming')?.generation === 1) void app.setEvolutionPaused(true);
    });
    await app.startEvolution('file-naming');
    await app.evolutionsSettled();
    off();
    const paused = naming(await app.getState());
    expect(paused.state).toMatchObject({ kind: 'paused', detail: 'Stopped after generation 1 of 3; it goes on when you resume.' });
    expect(paused.evolution).toMatchObject({ status: 'stopped', step: 'Paused after generation 1 of 3' });
    await expect(app.startEvolution('file-naming')).rejects.toThrow(/paused/);
    await app.setEvolutionPaused(false);
    await app.evolutionsSettled();
    expect(naming(await app.getState()).state.kind).toBe('testing');
  });

  it('goes on with a run the pause stopped before the app last quit, once the switch is turned off', async () => {
    const host = setup();
    const off = host.onProgress(() => {
      if (host.progress('file-naming')?.generation === 1) void app.setEvolutionPaused(true);
    });
    await app.startEvolution('file-naming');
    await app.evolutionsSettled();
    off();
    await app.stop();
    // A new app process: its host remembers nothing; evolution_progress does.
    const fresh = createEvolutionHost(t.engine, { model: namingModel(), settings: SMALL });
    t.engine.setVariantGenerator(fresh.generate);
    app = new AppService({ engine: t.engine, evolution: fresh, watchIntervalMs: 0, log: () => {} });
    expect(naming(await app.getState()).evolution).toMatchObject({ status: 'stopped', step: 'Paused after generation 1 of 3' });
    await app.setEvolutionPaused(false);
    await app.evolutionsSettled();
    expect(naming(await app.getState()).state.kind).toBe('testing');
  });

  it('shows an evolution another process runs, and will not dismiss it while it runs', async () => {
    setup();
    const store = new ProgressStore(t.engine.ctx.db, () => t.clock.now().toISOString());
    store.write(
      {
        skill: 'file-naming',
        phase: 'initialising',
        generation: 0,
        generations: 30,
        bestFitness: null,
        meanFitness: null,
        llmCalls: 2,
        maxLlmCalls: 5000,
        tokensPerSecond: null,
        etaSeconds: null,
        message: null,
        fraction: 0.01,
        building: { made: 2, of: 19 },
        resumeFrom: null,
        stop: null,
      },
      t.clock.now().toISOString(),
      process.ppid,
    );
    const skill = naming(await app.getState());
    expect(skill.state.label).toBe('Evolving (writing the first prompts, 2 of 19)');
    expect(skill.evolution).toMatchObject({ status: 'running', elsewhere: true, note: 'Started from the command line.' });
    expect(skill.canEvolve).toBe(false);
    await expect(app.dismissEvolution('file-naming')).rejects.toThrow(/still evolving/);
  });
});
