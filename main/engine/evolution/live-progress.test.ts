import { afterEach, describe, expect, it } from 'vitest';
import { evolutionSettings } from './settings';
import { ASSUMED_SECONDS_PER, type EvolutionPlan } from './plan';
import { ASSUMED_SPEED } from './speed';
import type { GenerateResult, TextModel } from '../llm/types';
import { UserError } from '../util/errors';
import { tempEngine, type TempEngine } from '../../test-support/temp-engine';
import { createProgressTracker, ProgressStore, type LiveProgress } from './live-progress';

const temps: TempEngine[] = [];
afterEach(() => temps.splice(0).forEach((t) => t.cleanup()));

function setup(alive: (pid: number) => boolean = () => true) {
  const t = tempEngine();
  temps.push(t);
  const store = new ProgressStore(t.engine.ctx.db, () => t.clock.now().toISOString(), alive);
  const settings = evolutionSettings(t.engine.ctx.config.config, { populationSize: 5, generations: 4 });
  const seen: LiveProgress[] = [];
  let clock = 0;
  const tracker = createProgressTracker({
    skill: 'file-naming',
    settings,
    store,
    onProgress: (p) => seen.push(p),
    nowIso: () => t.clock.now().toISOString(),
    nowMs: () => clock,
    throttleMs: 1000,
  });
  return { t, store, tracker, seen, tick: (ms: number) => (clock += ms) };
}

const echo: TextModel = {
  id: 'echo',
  generate: async () => ({ text: 'x', promptTokens: 1, generatedTokens: 1, stopReason: 'eos', ms: 1 }) satisfies GenerateResult,
  generateBatch: async (requests) =>
    requests.map(() => ({ text: 'x', promptTokens: 1, generatedTokens: 1, stopReason: 'eos' as const, ms: 1 })),
};

const plan = (overrides: Partial<EvolutionPlan> = {}): EvolutionPlan => ({
  skill: 'file-naming',
  runId: null,
  resumeFrom: null,
  populationSize: 5,
  generations: 4,
  tournaments: 2,
  evaluationSamples: 2,
  trainExamples: 10,
  finalExamples: 4,
  calls: { initial: 4, mutations: 8, evaluations: 32, final: 24, total: 68, maxLlmCalls: 5000, capped: false },
  tokens: { prompt: 0, generated: 0, perEvaluation: 0, perMutation: 0, generatedPerMutation: 0, counted: 'estimate' },
  expected: { evaluations: 32, final: 24, mutations: 12 },
  raced: true,
  speed: ASSUMED_SPEED,
  estimatedSeconds: 1,
  cpu: null,
  secondsPer: ASSUMED_SECONDS_PER,
  notes: [],
  ...overrides,
});

const event = (phase: LiveProgress['phase'], generation: number, message: string | null = null) => ({
  skill: 'file-naming',
  phase,
  generation,
  generations: 4,
  bestFitness: null,
  meanFitness: null,
  llmCalls: 0,
  maxLlmCalls: 5000,
  tokensPerSecond: null,
  etaSeconds: null,
  message,
});

describe('progress tracker', () => {
  it('reports progress from the first second: before the model loads, then on every call while the first population is built', async () => {
    const { tracker, seen, store } = setup();
    tracker.start();
    expect(seen[0]).toMatchObject({ phase: 'initialising', fraction: 0, building: { made: 0, of: 4 }, stop: null });
    expect(store.read('file-naming')?.progress.phase).toBe('initialising');
    const model = tracker.model(echo);
    // The projection's speed probe runs before the plan is accepted: not the run's calls.
    await model.generateBatch([{ prompt: 'probe' }, { prompt: 'probe' }]);
    expect(seen.at(-1)!.building).toMatchObject({ made: 0 });
    expect(await tracker.onPlan()(plan())).toBe(true);
    tracker.onProgress(event('initialising', 0, 'generating the initial population'));
    await model.generate({ prompt: 'a' });
    await model.generateBatch([{ prompt: 'b' }, { prompt: 'c' }]);
    const building = seen.filter((p) => p.building).map((p) => [p.building!.made, p.fraction]);
    expect(building.map(([made]) => made)).toEqual([0, 0, 1, 3]);
    const fractions = building.map(([, f]) => f);
    expect(fractions[3]).toBeGreaterThan(fractions[2]);
    expect(fractions[2]).toBeGreaterThan(0);
    tracker.onProgress(event('evolving', 0, 'initial population of 5'));
    tracker.onProgress(event('evolving', 2));
    const mid = seen.at(-1)!;
    expect(mid.building).toBeNull();
    expect(mid.fraction).toBeGreaterThan(fractions[3]);
    tracker.onProgress(event('done', 4));
    expect(seen.at(-1)!.fraction).toBe(1);
    // A finished run leaves no row behind: the A/B test takes over.
    expect(store.read('file-naming')).toBeNull();
  });

  it("keeps the model's tokenizer and CPU threads, so the projection counts and probes the model it wraps", async () => {
    const { tracker } = setup();
    expect(tracker.model(echo).countPromptTokens).toBeUndefined();
    const counting: TextModel = { ...echo, countPromptTokens: async (r) => r.prompt.length, cpuThreads: () => 2 };
    const wrapped = tracker.model(counting);
    expect(await wrapped.countPromptTokens!({ prompt: 'abc' })).toBe(3);
    expect(wrapped.cpuThreads!()).toBe(2);
  });

  it('says where a resumed run picks up until it reports its own generation', async () => {
    const { tracker, seen } = setup();
    tracker.start();
    await tracker.onPlan()(plan({ resumeFrom: 2, runId: 'evo_1' }));
    expect(seen.at(-1)).toMatchObject({ phase: 'initialising', building: null, resumeFrom: 2 });
    expect(seen.at(-1)!.fraction).toBeGreaterThan(0.3);
    tracker.onProgress(event('evolving', 3));
    expect(seen.at(-1)).toMatchObject({ generation: 3, resumeFrom: null });
  });

  it('writes the database at most once a second while only the numbers move, and at once on a new phase', async () => {
    const { tracker, store, tick } = setup();
    tracker.start();
    await tracker.onPlan()(plan());
    tracker.onProgress(event('evolving', 1));
    const first = store.read('file-naming')!.progress.generation;
    tracker.onProgress(event('evolving', 2));
    expect(store.read('file-naming')!.progress.generation).toBe(first);
    tick(1500);
    tracker.onProgress(event('evolving', 3));
    expect(store.read('file-naming')!.progress.generation).toBe(3);
  });

  it('keeps a paused, cancelled or failed run with why it stopped, until dismissed', async () => {
    const { tracker, store } = setup();
    tracker.start();
    await tracker.onPlan()(plan());
    tracker.onProgress(event('evolving', 2));
    tracker.onProgress(event('cancelled', 2, 'paused after generation 2'));
    tracker.stopped(new UserError('paused', { code: 'paused' }));
    expect(store.read('file-naming')!.progress).toMatchObject({ phase: 'cancelled', stop: 'paused', generation: 2 });
    store.clear('file-naming');
    expect(store.read('file-naming')).toBeNull();
  });

  it('counts a run that fails before it starts (no model) as failed, and one the person declined as nothing', () => {
    const failed = setup();
    failed.tracker.start();
    failed.tracker.stopped(new Error('no model file'));
    expect(failed.store.read('file-naming')!.progress).toMatchObject({ phase: 'failed', stop: 'failed', message: 'no model file' });
    const declined = setup();
    declined.tracker.start();
    declined.tracker.stopped(new UserError('evolution not started', { code: 'declined' }));
    expect(declined.store.read('file-naming')).toBeNull();
  });
});

describe('ProgressStore', () => {
  it('ignores a running row of a process that died, but keeps a stopped one', () => {
    const { store } = setup((pid) => pid !== 999_999);
    const running = { ...event('evolving', 1), fraction: 0.3, building: null, resumeFrom: null, stop: null } satisfies LiveProgress;
    store.write(running, '2026-03-02T09:00:00.000Z', 999_999);
    expect(store.read('file-naming')).toBeNull();
    store.write({ ...running, phase: 'cancelled', stop: 'cancelled' }, '2026-03-02T09:00:00.000Z', 999_999);
    expect(store.read('file-naming')?.progress.stop).toBe('cancelled');
    store.write({ ...running, skill: 'audio-actions' }, '2026-03-02T09:00:00.000Z', 4242);
    expect(store.list().map((p) => p.skill)).toEqual(['audio-actions', 'file-naming']);
  });
});
