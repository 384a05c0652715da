import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAbortError } from '../llm/abort';
import { resetLlamaForTests } from '../llm/llama-instance';
import { LlamaRuntime } from '../llm/runtime';
import { requireFixtureModel } from '../llm/test-fixture';
import type { GenerateRequest, GenerateResult, TextModel } from '../llm/types';
import { renderPrompt } from '../skills/skill-file';
import type { TempEngine } from '../../test-support/temp-engine';
import { isUserError } from '../util/errors';
import { RunStore } from './checkpoint';
import { FitnessCache } from './fitness-cache';
import { runEvolution, type EvolutionRunOptions } from './run';
import { evolutionSettings } from './settings';
import { runSkill, runSkillBatch } from './skill-runner';
import { engineWithHistory, NAMING_CASES } from './test-support';
import type { EvolutionProgress } from './types';

// The toy model writes stories, not prompts: these tests check the mechanics (calls, cache, rejections,
// checkpoints, cancellation), never the quality of what it writes.
let runtime: LlamaRuntime;
const temps: TempEngine[] = [];

beforeAll(async () => {
  runtime = new LlamaRuntime({
    modelPath: requireFixtureModel(),
    dataDir: engineWithHistory(0).dataDir,
    gpu: false,
    threads: 1,
    contextSize: 1024,
    sequences: 3,
    idleDisposeMs: 0,
  });
  await runtime.ensureLoaded();
});

afterAll(async () => {
  for (const t of temps) t.cleanup();
  await runtime?.dispose();
  await resetLlamaForTests();
});

const TINY = {
  populationSize: 4,
  generations: 2,
  evaluationSamples: 2,
  finalEvaluationSamples: 3,
  maxTokens: 8,
  evaluationMaxTokens: 8,
  seed: 11,
  variants: 2,
  parallel: 3,
};

function options(t: TempEngine, model: TextModel, extra: Partial<EvolutionRunOptions> = {}): EvolutionRunOptions {
  const active = t.engine.prompts.active('file-naming');
  return {
    ctx: t.engine.ctx,
    tasks: t.engine.tasks,
    skill: active.definition,
    active,
    model,
    settings: evolutionSettings(t.engine.ctx.config.config, TINY),
    ...extra,
  };
}

/** Passes calls through to the real runtime, recording skill prompts, and can abort a run once n calls have started. */
class Probe implements TextModel {
  readonly evaluated: string[] = [];
  readonly drafts: (string | undefined)[] = [];
  started = 0;
  constructor(
    private readonly inner: TextModel,
    private readonly abortAfter?: { calls: number; controller: AbortController },
  ) {}
  get id(): string {
    return this.inner.id;
  }
  generate(request: GenerateRequest): Promise<GenerateResult> {
    return this.generateBatch([request], { signal: request.signal }).then(([result]) => result);
  }
  generateBatch(requests: readonly GenerateRequest[], o?: { signal?: AbortSignal }): Promise<GenerateResult[]> {
    for (const r of requests) {
      if (r.stop !== 'line') continue;
      this.evaluated.push(r.prompt);
      this.drafts.push(r.draft);
    }
    const promise = this.inner.generateBatch(requests, o);
    this.started += requests.length;
    // Abort once the n-th call is under way, so real generations are cut off mid-run.
    if (this.abortAfter && this.started >= this.abortAfter.calls && !this.abortAfter.controller.signal.aborted)
      setImmediate(() => this.abortAfter!.controller.abort());
    return promise;
  }
}

describe('skill execution on the real model', () => {
  it("runs the A/B's arms for one input as one batch: one parsed line each, the same as one at a time", async () => {
    const skill = { output: 'filename' as const };
    const prompts = ['Name the file.\nFile: {{input}}', 'Give a short name.\nFile: {{input}}', 'Rename it.\nFile: {{input}}'];
    const input = 'IMG_1.png | photo | beach';
    const batched = await runSkillBatch(runtime, skill, prompts, input, { maxTokens: 12 });
    expect(batched).toHaveLength(3);
    for (const [i, run] of batched.entries()) {
      expect(run.output).not.toContain('\n');
      expect(run.result.generatedTokens).toBeGreaterThan(0);
      expect(run.result.generatedTokens).toBeLessThanOrEqual(12);
      expect((await runSkill(runtime, skill, prompts[i], input, { maxTokens: 12 })).output).toBe(run.output);
    }
  });
});

describe('PromptBreeder on the real model', () => {
  it('counts every uncached call, caches every evaluation, and records each rejected mutant with its reason', async () => {
    const t = engineWithHistory(14);
    temps.push(t);
    const progress: EvolutionProgress[] = [];
    const probe = new Probe(runtime);
    const draftsBefore = runtime.stats();
    const result = await runEvolution(options(t, probe, { onProgress: (p) => progress.push(p) }));
    const store = new RunStore(t.engine.ctx.db, () => '');
    // Each evaluation offers the person's answer as a draft, and the runtime checks it.
    expect(probe.drafts.length).toBeGreaterThan(0);
    expect(probe.drafts.every((draft) => typeof draft === 'string' && draft.length > 0)).toBe(true);
    expect(probe.drafts.some((draft) => NAMING_CASES.some((c) => c.expected === draft))).toBe(true);
    const draftsAfter = runtime.stats();
    expect(draftsAfter.draftTokensAccepted + draftsAfter.draftTokensRefuted).toBeGreaterThan(
      draftsBefore.draftTokensAccepted + draftsBefore.draftTokensRefuted,
    );
    const run = store.require(result.runId);
    expect(run).toMatchObject({ status: 'done', generation: 2, model_id: '270cba1bd5109f42' });
    const c = result.counters;
    expect(c.llmCalls).toBe(c.evaluationCalls + c.mutationCalls);
    expect(new FitnessCache(t.engine.ctx.db).totalsForRun(result.runId).calls).toBe(c.evaluationCalls);
    expect(store.callTotals(result.runId).calls).toBe(c.mutationCalls);
    expect(probe.evaluated).toHaveLength(c.evaluationCalls);
    expect(new Set(probe.evaluated).size).toBe(probe.evaluated.length);
    expect(c.promptTokens).toBeGreaterThan(0);
    expect(c.generatedTokens).toBeGreaterThan(0);
    expect(c.cacheHits).toBeGreaterThan(0);
    const rejected = store.units(result.runId).filter((u) => u.status === 'rejected');
    expect(rejected.length).toBeGreaterThan(0);
    for (const unit of rejected) {
      expect(['empty', 'truncated', 'too_long', 'no_placeholder', 'near_copy', 'model_error']).toContain(unit.reason);
      expect(unit.detail).toBeTruthy();
    }
    expect(result.variants.length).toBeGreaterThan(0);
    expect(result.variants.every((v) => v.prompt.includes('{{input}}'))).toBe(true);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', generation: 2, llmCalls: c.llmCalls });
  });

  it('cancelling while generations are in flight stops cleanly; the runtime keeps working; the resume repeats no cached pair', async () => {
    const t = engineWithHistory(14);
    temps.push(t);
    const controller = new AbortController();
    const probe = new Probe(runtime, { calls: 16, controller });
    const error = await runEvolution(options(t, probe, { signal: controller.signal })).catch((e: unknown) => e);
    expect(isUserError(error) && error.code).toBe('cancelled');
    expect(isAbortError((error as Error).cause)).toBe(true);
    const store = new RunStore(t.engine.ctx.db, () => '');
    const run = store.latest('file-naming')!;
    expect(run.status).toBe('cancelled');
    expect((await runtime.generate({ prompt: 'Tom had a dog', maxTokens: 4, temperature: 0 })).generatedTokens).toBeGreaterThan(0);

    const cached = t.engine.ctx.db
      .prepare(
        `SELECT DISTINCT u.prompt, h.input FROM fitness_cache f JOIN evolution_units u ON u.prompt_hash = f.prompt_hash AND u.run_id = ? JOIN task_history h ON h.id = f.example_id`,
      )
      .all(run.id) as { prompt: string; input: string }[];
    const before = new Set(cached.map((r) => renderPrompt(r.prompt, r.input)));
    expect(before.size).toBeGreaterThan(0);
    const again = new Probe(runtime);
    const resumed = await runEvolution(options(t, again));
    expect(resumed).toMatchObject({ runId: run.id, resumedFrom: run.generation });
    expect(run.generation).toBeGreaterThanOrEqual(1);
    expect(again.evaluated.filter((p) => before.has(p))).toEqual([]);
    expect(store.require(run.id).status).toBe('done');
  });
});
