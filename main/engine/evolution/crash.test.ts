import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resetLlamaForTests } from '../llm/llama-instance';
import { LlamaRuntime } from '../llm/runtime';
import { requireFixtureModel } from '../llm/test-fixture';
import { APP_ROOT } from '../data-paths';
import type { TempEngine } from '../../test-support/temp-engine';
import { RunStore } from './checkpoint';
import { FitnessCache } from './fitness-cache';
import { createEvolutionGenerator } from './generator';
import { cachedEvaluationPrompts, engineWithHistory, EvaluationRecorder } from './test-support';

let t: TempEngine | undefined;
let runtime: LlamaRuntime | undefined;
afterAll(async () => {
  t?.cleanup();
  await runtime?.dispose();
  await resetLlamaForTests();
});

const SMALL_CONFIG = `prompt_evolution:
  evolution:
    population_size: 4
    generations: 3
    evaluation_samples: 2
    final_evaluation_samples: 3
    max_tokens: 8
    threads: 1
    context_size: 1024
    seed: 5
`;

describe('an evolution killed with SIGKILL', () => {
  it('resumes after kill -9 with at most one generation lost and no cached evaluation run again', async () => {
    t = engineWithHistory(14);
    fs.writeFileSync(path.join(t.dataDir, 'config.yaml'), SMALL_CONFIG);
    t.engine.close();
    const child = spawnSync(
      process.execPath,
      [
        path.join(APP_ROOT, 'bin', 'tinyarms.mjs'),
        '--data-dir',
        t.dataDir,
        'prompt',
        'evolve',
        'file-naming',
        '--model',
        requireFixtureModel(),
        '--yes',
      ],
      { env: { ...process.env, TINYARMS_CRASH_AT: 'evolution:generation-2' }, encoding: 'utf8', timeout: 55_000 },
    );
    expect(child.signal, child.stderr).toBe('SIGKILL');
    expect(child.stderr).toMatch(/generation 1 done · gen 1\/3/);

    const engine = t.reopen();
    const store = new RunStore(engine.ctx.db, () => '');
    const run = store.latest('file-naming')!;
    expect(run).toMatchObject({ status: 'running', generation: 1 });
    expect(engine.sessions.list({ skill: 'file-naming' })).toEqual([]);
    const cachedBefore = cachedEvaluationPrompts(engine.ctx.db, run.id);
    const paidBefore = new FitnessCache(engine.ctx.db).totalsForRun(run.id).calls;
    expect(cachedBefore.size).toBe(paidBefore);

    runtime = new LlamaRuntime({
      modelPath: requireFixtureModel(),
      dataDir: t.dataDir,
      gpu: false,
      threads: 1,
      contextSize: 1024,
      sequences: 4,
      idleDisposeMs: 0,
    });
    await runtime.ensureLoaded();
    const recorder = new EvaluationRecorder(runtime);
    const generator = createEvolutionGenerator(engine, { model: recorder });
    engine.setVariantGenerator(generator.generate);
    const session = await engine.evolve('file-naming', { count: 2 });
    const result = generator.lastResult()!;
    expect(result).toMatchObject({ runId: run.id, resumedFrom: 1, generations: 3 });
    // Generation 2 ran again from the checkpoint: its evaluations stored before the kill were cache hits.
    expect(result.counters.cacheHits).toBeGreaterThan(0);
    expect(recorder.evaluated.filter((prompt) => cachedBefore.has(prompt))).toEqual([]);
    expect(new FitnessCache(engine.ctx.db).totalsForRun(run.id).calls).toBe(paidBefore + recorder.evaluated.length);
    expect(store.require(run.id)).toMatchObject({ status: 'done', session_id: session.id });
  });

  it('Ctrl-C on the CLI cancels cleanly and the next run resumes from the checkpoint', async () => {
    const t2 = engineWithHistory(14);
    try {
      fs.writeFileSync(path.join(t2.dataDir, 'config.yaml'), SMALL_CONFIG.replace('generations: 3', 'generations: 30'));
      t2.engine.close();
      const args = [
        path.join(APP_ROOT, 'bin', 'tinyarms.mjs'),
        '--data-dir',
        t2.dataDir,
        'prompt',
        'evolve',
        'file-naming',
        '--model',
        requireFixtureModel(),
        '--yes',
      ];
      const child = spawn(process.execPath, args, { env: { ...process.env, TINYARMS_CRASH_AT: '' } });
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/generation 1 done · gen 1\/30/.test(stderr) && !child.killed) child.kill('SIGINT');
      });
      const code = await exited;
      expect(code, stderr).toBe(130);
      expect(stderr).toMatch(/Cancelling after the calls in flight/);
      expect(stderr).toMatch(/tinyarms: interrupted after generation \d+; the checkpoint is kept: run the same command to resume/);
      const engine = t2.reopen();
      const run = new RunStore(engine.ctx.db, () => '').latest('file-naming')!;
      expect(run.status).toBe('cancelled');
      expect(run.generation).toBeGreaterThanOrEqual(1);
      expect(engine.sessions.list({ skill: 'file-naming' })).toEqual([]);
      engine.close();
      const resumed = spawnSync(process.execPath, [...args, '--generations', '2'], { encoding: 'utf8', timeout: 55_000 });
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(resumed.stderr).toMatch(new RegExp(`Resuming run ${run.id} of file-naming after generation ${run.generation} of 2\\.`));
      expect(resumed.stderr).toMatch(/Note: generations changed from 30 to 2/);
      expect(resumed.stdout).toMatch(/resumed after generation \d+/);
    } finally {
      t2.cleanup();
    }
  });
});
