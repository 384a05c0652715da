// `npm run bench:evolve -- [--generations 30] [--population 20] [--samples 10] [--final 100] [--max-tokens 32]
//   [--eval-tokens 16] [--parallel 4] [--quick] [--skip-evolution]`
// The design's configuration on the stories260K fixture with 120 realistic file-naming failures, then batched
// vs one-at-a-time evaluation (contexts × sequences × threads), A/B serving of 3 arms, and a kill -9 / resume
// check. A benchmark, not a test: it prints measurements; timings vary with the machine and its load.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Engine } from '../main/engine/engine';
import { assignLanes } from '../main/engine/evolution/fitness';
import { formatPlan } from '../main/engine/evolution/plan';
import { formatProgress } from '../main/engine/evolution/progress';
import { runEvolution, type EvolutionResult } from '../main/engine/evolution/run';
import { evolutionSettings } from '../main/engine/evolution/settings';
import { cachedEvaluationPrompts, EvaluationRecorder } from '../main/engine/evolution/test-support';
import { runSkill, runSkillBatch, skillRequest } from '../main/engine/evolution/skill-runner';
import { resetLlamaForTests } from '../main/engine/llm/llama-instance';
import { LlamaRuntime } from '../main/engine/llm/runtime';
import { FIXTURE_MODEL } from '../main/engine/llm/test-fixture';
import { APP_ROOT } from '../main/engine/data-paths';
import { renderPrompt } from '../main/engine/skills/skill-file';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { flag, has } from './args';

const quick = has('quick');
const num = (name: string, full: number, small: number): number => Number(flag(name) ?? (quick ? small : full));

const MODEL = FIXTURE_MODEL;
const SKILL = 'file-naming';
const settingsOverride = {
  populationSize: num('population', 20, 6),
  generations: num('generations', 30, 3),
  evaluationSamples: num('samples', 10, 4),
  finalEvaluationSamples: num('final', 100, 20),
  // Capped so the toy model, which never stops by itself, keeps the bench within minutes.
  maxTokens: num('max-tokens', 32, 16),
  evaluationMaxTokens: num('eval-tokens', 16, 16),
  // Requests in flight = sequences, split over the default contexts (one per core on CPU).
  parallel: num('parallel', 4, 4),
  seed: 2026,
};

const LAG_TIMER_MS = 5;

interface Failure { id: string; input: string; output: string; expected: string }
const failures = (JSON.parse(fs.readFileSync(path.join(APP_ROOT, 'skills', 'examples', 'file-naming-failures.json'), 'utf8')) as { examples: Failure[] }).examples;

const rows: [string, string][] = [];
const row = (name: string, value: string) => {
  rows.push([name, value]);
};
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const time = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const value = await f();
  return [value, performance.now() - started];
};

function newDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-evolve-bench-'));
  const engine = Engine.open({ dataDir: dir, seed: 'bench' });
  try {
    for (const f of failures) engine.recordTask({ skill: SKILL, id: f.id, input: f.input, output: f.output, source: 'bench' }, { outcome: 'edited', finalOutput: f.expected });
  } finally {
    engine.close();
  }
  return dir;
}

/** contexts undefined = the runtime's default (on CPU one per core, so 2 here). */
const runtime = (sequences: number, threads = 1, contexts?: number) =>
  new LlamaRuntime({ modelPath: MODEL, dataDir: os.tmpdir(), gpu: false, threads, contextSize: 2048, sequences, contexts, idleDisposeMs: 0 });

async function evolution(): Promise<EvolutionResult> {
  const dataDir = newDataDir();
  const engine = Engine.open({ dataDir, seed: 'bench' });
  const rt = runtime(settingsOverride.parallel);
  await rt.ensureLoaded();
  const model = new EvaluationRecorder(rt);
  try {
    const active = engine.prompts.active(SKILL);
    let lastLine = 0;
    // What the app's main process would feel while an evolution runs in it: timer lateness on the event loop.
    const lag = monitorEventLoopDelay({ resolution: LAG_TIMER_MS });
    lag.enable();
    const [result, ms] = await time(() => runEvolution({
      ctx: engine.ctx, tasks: engine.tasks, skill: active.definition, active, model,
      settings: evolutionSettings(engine.ctx.config.config, settingsOverride),
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
    }));
    lag.disable();
    const late = (ns: number) => `${Math.max(0, ns / 1e6 - LAG_TIMER_MS).toFixed(1)} ms`;
    const c = result.counters;
    const duplicates = model.evaluated.length - new Set(model.evaluated).size;
    const lookups = c.cacheHits + c.evaluationCalls;
    const s = settingsOverride;
    row('configuration', `population ${s.populationSize}, ${s.generations} generations, ${s.evaluationSamples} samples/match, final ${s.finalEvaluationSamples} (held out: ${result.finalExamples}, tournament set: ${result.examples.train}); mutation max_tokens ${s.maxTokens}, evaluation max tokens ${s.evaluationMaxTokens}; ${s.parallel} sequence${s.parallel > 1 ? 's' : ''} over ${rt.info()?.contexts ?? 1} context(s), 1 thread each`);
    row('generations run', `${result.generations}${result.stoppedEarly ? ` (stopped: ${result.stoppedEarly})` : ''}`);
    row('uncached LLM calls', `${c.llmCalls} (${c.evaluationCalls} evaluations + ${c.mutationCalls} mutations); cap ${evolutionSettings(engine.ctx.config.config, s).maxLlmCalls}`);
    row('prompt / generated tokens', `${c.promptTokens} / ${c.generatedTokens}`);
    row('fitness cache hit rate', `${((100 * c.cacheHits) / Math.max(1, lookups)).toFixed(1)}% (${c.cacheHits} hits of ${lookups} lookups)`);
    row('(prompt, example) pairs evaluated twice', String(duplicates));
    row('evolution wall time', `${sec(ms)} (model: ${sec(c.evaluationMs)} evaluating, ${sec(c.mutationMs)} mutating)`);
    row('per call', `${(c.evaluationMs / Math.max(1, c.evaluationCalls)).toFixed(0)} ms/evaluation (${s.parallel} lane${s.parallel > 1 ? 's' : ''}), ${(c.mutationMs / Math.max(1, c.mutationCalls)).toFixed(0)} ms/mutation (batches of ${s.parallel})`);
    const ops = Object.entries(result.operators).filter(([, o]) => o.attempts > 0)
      .map(([op, o]) => `${op} ${o.accepted}/${o.attempts}${Object.keys(o.rejected).length ? ` (${Object.entries(o.rejected).map(([r, n]) => `${r} ${n}`).join(', ')})` : ''}`);
    row('mutants accepted/attempted', ops.join('; '));
    row('event-loop delay during the run', `p50 ${late(lag.percentile(50))}, p99 ${late(lag.percentile(99))}, max ${late(lag.max)} (a ${LAG_TIMER_MS} ms timer's lateness on the main thread)`);
    row('best vs current (held out)', `${result.bestFitness?.toFixed(3)} vs ${result.currentFitness?.toFixed(3)} (the toy model cannot name files: both ≈ 0)`);
    return result;
  } finally {
    engine.close();
    await rt.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One evaluation workload: `prompts` distinct prompts × `inputs` inputs, as a generation would send it. */
function workload(prompts: number, inputs: number) {
  const base = fs.readFileSync(path.join(APP_ROOT, 'skills', `${SKILL}.md`), 'utf8').split('---').slice(2).join('---').trim();
  const templates = Array.from({ length: prompts }, (_, i) => `Variant ${i}: ${'Keep the names and dates. '.repeat(1 + (i % 3))}\n\n${base}`);
  return templates.flatMap((template, u) => failures.slice(0, inputs).map((f) => ({ u, template, input: f.input })));
}

type Setup = [contexts: number, sequences: number, threads: number];

/**
 * The same 8 × 8 evaluations one at a time and batched in each setup, `repeats` rounds with the setups
 * interleaved (a noisy VM then hits every setup alike); each figure is the median of its rounds.
 */
async function evaluationSpeed(prompts: number, inputs: number, setups: Setup[], repeats: number): Promise<{ median: number; low: number; high: number }> {
  const work = workload(prompts, inputs);
  const skill = { output: 'filename' as const };
  const maxTokens = settingsOverride.evaluationMaxTokens;
  const request = (w: (typeof work)[number]) => skillRequest(skill, w.template, w.input, { maxTokens });
  // As FitnessEvaluator runs it: one lane per sequence, each prompt's inputs whole on one lane, in prompt order
  // (one lane = one at a time: each request reuses the previous one's prefix).
  const lanesOf = (sequences: number) => assignLanes(work.map((w, i) => [String(i), { unit: { hash: String(w.u), prompt: w.template }, w }] as [string, { unit: { hash: string; prompt: string }; w: (typeof work)[number] }]), sequences);
  const all: Setup[] = [[1, 1, 1], [1, 1, 2], ...setups];
  const runtimes = all.map(([contexts, sequences, threads]) => runtime(sequences, threads, contexts));
  for (const [i, rt] of runtimes.entries()) {
    await rt.ensureLoaded();
    await rt.generateBatch(work.slice(0, all[i][1]).map(request));
  }
  const laned: number[][] = all.map(() => []);
  for (let round = 0; round < repeats; round++) {
    for (const [i, rt] of runtimes.entries()) {
      const [, ms] = await time(() => Promise.all(lanesOf(all[i][1]).map(async (lane) => {
        for (const [, item] of lane) await rt.generate(request(item.w));
      })));
      laned[i].push(ms);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const sequential = median(laned[0]);
  row(`evaluation, ${prompts} prompts × ${inputs} inputs: one at a time`, `${sec(sequential)} (1 context, 1 sequence, 1 thread; median of ${repeats} rounds)`);
  row('  one at a time, 2 threads', `${sec(median(laned[1]))} = ${(sequential / median(laned[1])).toFixed(2)}× (llama.cpp's threads synchronise per operation)`);
  let result = { median: 0, low: 0, high: 0 };
  for (const [i, [contexts, sequences, threads]] of all.entries()) {
    if (i < 2) continue;
    const [, plain] = await time(() => runtimes[i].generateBatch(work.map(request)));
    // Each round's speed-up against the same round's one-at-a-time run.
    const ratios = laned[i].map((ms, round) => laned[0][round] / ms);
    const isDefault = contexts === 2 && sequences === 4 && threads === 1;
    if (isDefault) result = { median: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios) };
    row(`  ${contexts} context${contexts > 1 ? 's' : ''} × ${sequences / contexts} sequence${sequences / contexts > 1 ? 's' : ''}, ${threads} thread${threads > 1 ? 's' : ''} each${isDefault ? ' (default here)' : ''}`,
      `lanes ${sec(median(laned[i]))} = ${median(ratios).toFixed(2)}× (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}); one generateBatch of all ${work.length} ${sec(plain)} = ${(sequential / plain).toFixed(2)}×`);
  }
  for (const rt of runtimes) await rt.dispose();
  return result;
}

/** Why one context gains little from batching on this model: prefix reuse per sequence, and native decode with 1 vs 4 sequences in one context. */
async function investigate(): Promise<void> {
  const work = workload(8, 8);
  const skill = { output: 'filename' as const };
  const rt = runtime(1);
  await rt.ensureLoaded();
  const run = async (items: typeof work) => {
    const [, ms] = await time(async () => {
      for (const w of items) await rt.generate(skillRequest(skill, w.template, w.input, { maxTokens: 8 }));
    });
    return ms / items.length;
  };
  await run(work.slice(0, 1));
  const shared = await run(work.filter((w) => w.u === 0));
  const distinct = await run(Array.from({ length: 8 }, (_, u) => work[u * 8 + u]));
  await rt.dispose();
  row('prefix reuse, 1 sequence', `same prompt, 8 inputs: ${shared.toFixed(0)} ms/call; a different prompt each call: ${distinct.toFixed(0)} ms/call (${(distinct / shared).toFixed(1)}×)`);

  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: MODEL });
  const decode = async (sequences: number, generate: number, short: boolean) => {
    const texts = work.slice(0, 16).map((w, i) => (short ? `Once upon a time, a dog named Max ${i}` : renderPrompt(w.template, w.input)));
    const context = await model.createContext({ sequences, contextSize: 2048, threads: 1 });
    const queue = texts.map((text) => model.tokenize(text));
    let tokens = 0;
    const [, ms] = await time(() => Promise.all(Array.from({ length: sequences }, async () => {
      const sequence = context.getSequence();
      for (let prompt = queue.shift(); prompt; prompt = queue.shift()) {
        await sequence.clearHistory();
        tokens += prompt.length;
        let n = 0;
        for await (const token of sequence.evaluate(prompt, { temperature: 0 })) {
          void token;
          if (++n >= generate) break;
        }
        tokens += n;
      }
    })));
    await context.dispose();
    return { ms, perSecond: (1000 * tokens) / ms };
  };
  for (const [generate, short, label] of [[1, false, 'skill prompts, prompt only'], [32, false, 'skill prompts + 32 generated'], [64, true, 'short prompts + 64 generated']] as const) {
    const one = await decode(1, generate, short);
    const four = await decode(4, generate, short);
    row(`native decode, 16 ${label}`, `1 sequence ${sec(one.ms)} (${one.perSecond.toFixed(0)} tok/s), 4 sequences ${sec(four.ms)} (${four.perSecond.toFixed(0)} tok/s) = ${(one.ms / four.ms).toFixed(2)}×`);
  }
  await model.dispose();
}

async function abServing(inputs: number): Promise<void> {
  const variants = fs.readFileSync(path.join(APP_ROOT, 'skills', 'examples', 'file-naming-demo-variants.md'), 'utf8')
    .split(/^## Variant /m).slice(1).map((s) => `${s.slice(1).trim()}\n\nFile: {{input}}`);
  const skill = { output: 'filename' as const };
  const options = { maxTokens: settingsOverride.evaluationMaxTokens };
  const one = runtime(1, 1, 1);
  const three = runtime(3);
  await Promise.all([one.ensureLoaded(), three.ensureLoaded()]);
  const contexts = three.info()?.contexts ?? 1;
  const cases = failures.slice(40, 40 + inputs);
  const [, sequential] = await time(async () => {
    for (const f of cases) for (const v of variants) await runSkill(one, skill, v, f.input, options);
  });
  const [, batched] = await time(async () => {
    for (const f of cases) await runSkillBatch(three, skill, variants, f.input, options);
  });
  await Promise.all([one.dispose(), three.dispose()]);
  row(`A/B serving, 3 arms × ${inputs} inputs`, `${contexts} contexts: sequential ${sec(sequential)} (${(sequential / inputs).toFixed(0)} ms/input), batched ${sec(batched)} (${(batched / inputs).toFixed(0)} ms/input) = ${(sequential / batched).toFixed(2)}×`);
}

/** A child `prompt evolve` killed with SIGKILL mid-generation, then resumed here: cached evaluations run again? */
async function crashResume(): Promise<void> {
  const dataDir = newDataDir();
  fs.writeFileSync(path.join(dataDir, 'config.yaml'), `prompt_evolution:\n  evolution:\n    population_size: 6\n    generations: 4\n    evaluation_samples: 4\n    final_evaluation_samples: 10\n    max_tokens: 16\n    threads: 1\n    context_size: 2048\n    seed: 3\n`);
  const child = spawnSync(process.execPath, [path.join(APP_ROOT, 'bin', 'tinyarms.mjs'), '--data-dir', dataDir, 'prompt', 'evolve', SKILL, '--model', MODEL, '--yes'], {
    env: { ...process.env, TINYARMS_CRASH_AT: 'evolution:generation-3' },
    encoding: 'utf8',
  });
  const engine = Engine.open({ dataDir, seed: 'bench' });
  const rt = runtime(4);
  try {
    const run = engine.ctx.db.prepare(`SELECT id, generation, status FROM evolution_runs ORDER BY created_at DESC LIMIT 1`).get() as { id: string; generation: number; status: string };
    const cached = cachedEvaluationPrompts(engine.ctx.db, run.id);
    await rt.ensureLoaded();
    const model = new EvaluationRecorder(rt);
    const active = engine.prompts.active(SKILL);
    const result = await runEvolution({ ctx: engine.ctx, tasks: engine.tasks, skill: active.definition, active, model, settings: evolutionSettings(engine.ctx.config.config) });
    const repeated = model.evaluated.filter((p) => cached.has(p)).length;
    row('kill -9 at generation 3, then resume', `child ${child.signal ?? `exit ${child.status}`}; checkpoint at generation ${run.generation} (${run.status}); resumed ${result.resumedFrom} → ${result.generations}; ${cached.size} evaluations cached before the kill, ${result.counters.cacheHits} cache hits after, cached calls repeated: ${repeated}`);
  } finally {
    engine.close();
    await rt.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (!fs.existsSync(MODEL)) {
  console.error(`bench:evolve needs the fixture model at ${MODEL}`);
  process.exit(1);
}
const started = performance.now();
console.log(`tinyArms evolution benchmark on ${path.basename(MODEL)} (${os.availableParallelism()} CPUs, Node ${process.version})${quick ? ' — quick mode' : ''}`);
if (!has('skip-evolution')) {
  console.log('\nEvolution (the design configuration):');
  await evolution();
}
console.log('\nBatched vs one-at-a-time evaluation …');
const speedup = await evaluationSpeed(8, 8, quick ? [[2, 4, 1]] : [[1, 4, 1], [1, 8, 1], [2, 2, 1], [2, 4, 1], [2, 8, 1]], quick ? 3 : 5);
console.log('Why …');
await investigate();
console.log('A/B serving …');
await abServing(quick ? 4 : 12);
console.log('Kill -9 and resume …');
await crashResume();
await resetLlamaForTests();

const width = Math.max(...rows.map(([name]) => name.length));
console.log(`\n${'metric'.padEnd(width)}  value`);
console.log(`${'-'.repeat(width)}  ${'-'.repeat(60)}`);
for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);
console.log(`\nbatched evaluation as the evolution runs it here (2 contexts × 2 sequences, 1 thread each): ${speedup.median.toFixed(2)}× one at a time, median of rounds ${speedup.low.toFixed(2)}–${speedup.high.toFixed(2)} (target ≥ 1.8×)`);
console.log(`\ntotal bench time ${sec(performance.now() - started)}`);
