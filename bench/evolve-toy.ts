// bench:evolve's sections on the stories260K toy with its own answers: the design's evolution as the model really
// runs it (every model-written mutant of a toy is rejected, so the operator policy retires those operators), and
// a kill -9 in generation 3 with the resume that follows (no cached evaluation may run again).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Engine } from '../main/engine/engine';
import { APP_ROOT } from '../main/engine/data-paths';
import { formatPlan } from '../main/engine/evolution/plan';
import { formatProgress } from '../main/engine/evolution/progress';
import { runEvolution } from '../main/engine/evolution/run';
import { evolutionSettings } from '../main/engine/evolution/settings';
import { cachedEvaluationPrompts, EvaluationRecorder } from '../main/engine/evolution/test-support';
import type { EvolutionSettings } from '../main/engine/evolution/types';
import { LlamaRuntime } from '../main/engine/llm/runtime';
import { FIXTURE_MODEL } from '../main/engine/llm/test-fixture';
import { describeMeasured, startMeter } from './cpu-meter';
import { newDataDir, SKILL } from './evolve-sim';

const LAG_TIMER_MS = 5;
// 2048 tokens: the toy's 512-token vocabulary makes the GA's templates ~1,100 tokens (SmolLM2's tokenizer: ~480).
const runtime = (sequences: number) =>
  new LlamaRuntime({
    modelPath: FIXTURE_MODEL,
    dataDir: os.tmpdir(),
    gpu: false,
    threads: 1,
    sequences,
    contextSize: 2048,
    idleDisposeMs: 0,
  });

/** The design's configuration on the toy with its own answers. Returns [metric, value] rows. */
export async function toyEvolution(settings: Partial<EvolutionSettings>): Promise<[string, string][]> {
  const rows: [string, string][] = [];
  const dataDir = newDataDir();
  const engine = Engine.open({ dataDir, seed: 'bench' });
  const rt = runtime(settings.parallel ?? 4);
  await rt.ensureLoaded();
  const model = new EvaluationRecorder(rt);
  try {
    const active = engine.prompts.active(SKILL);
    let lastLine = 0;
    // What the app's main process would feel while an evolution runs in it: timer lateness on the event loop.
    const lag = monitorEventLoopDelay({ resolution: LAG_TIMER_MS });
    lag.enable();
    const stop = startMeter();
    const result = await runEvolution({
      ctx: engine.ctx,
      tasks: engine.tasks,
      skill: active.definition,
      active,
      model,
      resume: false,
      settings: evolutionSettings(engine.ctx.config.config, settings),
      onPlan: (plan) => {
        for (const line of formatPlan(plan)) console.log(`  ${line}`);
        return true;
      },
      onProgress: (p) => {
        if (p.generation % 5 === 0 || p.phase !== 'evolving' || performance.now() - lastLine > 30_000) {
          lastLine = performance.now();
          console.log(`  ${formatProgress(p)}`);
        }
      },
    });
    const measured = stop();
    lag.disable();
    const late = (ns: number) => `${Math.max(0, ns / 1e6 - LAG_TIMER_MS).toFixed(1)} ms`;
    const c = result.counters;
    const lookups = c.cacheHits + c.evaluationCalls;
    rows.push(['generations run', `${result.generations}${result.stoppedEarly ? ` (stopped: ${result.stoppedEarly})` : ''}`]);
    rows.push([
      'uncached LLM calls',
      `${c.llmCalls} (${c.evaluationCalls} evaluations: ${result.spend.tournamentEvaluations} in tournaments, ` +
        `${result.spend.finalEvaluations} final; ${c.mutationCalls} mutations)`,
    ]);
    rows.push([
      'prompt / generated tokens',
      `${c.promptTokens} / ${c.generatedTokens} (${rt.stats().computedPromptTokens} prompt tokens evaluated, the rest reused)`,
    ]);
    rows.push([
      'fitness cache hit rate',
      `${((100 * c.cacheHits) / Math.max(1, lookups)).toFixed(1)}% (${c.cacheHits} of ${lookups} lookups)`,
    ]);
    rows.push(['(prompt, example) pairs evaluated twice', String(model.evaluated.length - new Set(model.evaluated).size)]);
    rows.push([
      'examples scored per match (racing)',
      `${result.spend.examplesPerMatch?.toFixed(2) ?? '—'} of ${settings.evaluationSamples}`,
    ]);
    rows.push([
      'evolution',
      `${describeMeasured(measured)} ` +
        `(model: ${(c.evaluationMs / 1000).toFixed(0)} s evaluating, ${(c.mutationMs / 1000).toFixed(0)} s mutating)`,
    ]);
    rows.push([
      'projected vs measured wall time',
      `${result.projection.estimatedSeconds.toFixed(0)} s vs ${result.projection.measuredSeconds.toFixed(0)} s ` +
        `(error ${(100 * result.projection.error).toFixed(0)}%)`,
    ]);
    const ops = Object.entries(result.operators)
      .filter(([, o]) => o.attempts > 0)
      .map(
        ([op, o]) =>
          `${op} ${o.accepted}/${o.attempts}${
            Object.keys(o.rejected).length
              ? ` (${Object.entries(o.rejected)
                  .map(([r, n]) => `${r} ${n}`)
                  .join(', ')})`
              : ''
          }`,
      );
    rows.push(['mutants accepted/attempted per operator', ops.join('; ')]);
    rows.push([
      'event-loop delay during the run',
      `p50 ${late(lag.percentile(50))}, p99 ${late(lag.percentile(99))}, max ${late(lag.max)}`,
    ]);
    return rows;
  } finally {
    engine.close();
    await rt.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A child `prompt evolve` killed with SIGKILL mid-generation, then resumed here: cached evaluations run again? */
export async function crashResume(): Promise<[string, string]> {
  const dataDir = newDataDir();
  fs.writeFileSync(
    path.join(dataDir, 'config.yaml'),
    `${[
      'prompt_evolution:',
      '  evolution:',
      ...['population_size: 6', 'generations: 4', 'evaluation_samples: 4', 'final_evaluation_samples: 10', 'max_tokens: 16'],
      ...['threads: 1', 'context_size: 2048', 'seed: 3'],
    ]
      .map((line, i) => (i < 2 ? line : `    ${line}`))
      .join('\n')}\n`,
  );
  const child = spawnSync(
    process.execPath,
    [path.join(APP_ROOT, 'bin', 'tinyarms.mjs'), '--data-dir', dataDir, 'prompt', 'evolve', SKILL, '--model', FIXTURE_MODEL, '--yes'],
    {
      env: { ...process.env, TINYARMS_CRASH_AT: 'evolution:generation-3' },
      encoding: 'utf8',
    },
  );
  const engine = Engine.open({ dataDir, seed: 'bench' });
  const rt = runtime(4);
  try {
    const run = engine.ctx.db.prepare(`SELECT id, generation, status FROM evolution_runs ORDER BY created_at DESC LIMIT 1`).get() as {
      id: string;
      generation: number;
      status: string;
    };
    const cached = cachedEvaluationPrompts(engine.ctx.db, run.id);
    await rt.ensureLoaded();
    const model = new EvaluationRecorder(rt);
    const active = engine.prompts.active(SKILL);
    const result = await runEvolution({
      ctx: engine.ctx,
      tasks: engine.tasks,
      skill: active.definition,
      active,
      model,
      settings: evolutionSettings(engine.ctx.config.config),
    });
    const repeated = model.evaluated.filter((p) => cached.has(p)).length;
    return [
      'kill -9 at generation 3, then resume',
      `child ${child.signal ?? `exit ${child.status}`}; checkpoint at generation ${run.generation} (${run.status}); ` +
        `resumed ${result.resumedFrom} → ${result.generations}; ${cached.size} evaluations cached before the kill, ` +
        `${result.counters.cacheHits} cache hits after, cached calls repeated: ${repeated}`,
    ];
  } finally {
    engine.close();
    await rt.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
