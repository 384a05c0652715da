// `npm run bench:runtime -- [--model toy|shaped-smollm2] [--quick] [--only memory,speed,lanes,tasks,drafts,ab]`
// The model runtime on this machine: memory per context setup, prompt and generation speed per thread count,
// batching, flash attention, KV cache type, batch size; then through LlamaRuntime: evaluation lanes per setup,
// a file-naming task cold / warm (prefix snapshot restored) / resident, an evaluation with and without a draft of its
// answer, and an A/B round of 3 arms vs 1 arm.
// With --model shaped-smollm2 every figure is printed for the shaped SmolLM2-360M and the stories260K toy side
// by side. Speed is reported per CPU-second of this process and per wall second, with the machine's other load.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { APP_ROOT } from '../main/engine/data-paths';
import { insertFewShot } from '../main/engine/evolution/operators';
import { cpuSecondsFor } from '../main/engine/evolution/run-time';
import { probeSpeed } from '../main/engine/evolution/speed';
import { runSkillBatch } from '../main/engine/evolution/skill-runner';
import { skillPrefix, skillRequest } from '../main/engine/skills/skill-request';
import { resetLlamaForTests } from '../main/engine/llm/llama-instance';
import { LlamaRuntime, type RuntimeOptions } from '../main/engine/llm/runtime';
import { flag, has } from './args';
import { benchModels, chosenModel, type BenchModel } from './bench-model';
import { loadNote, measure, type Measured } from './cpu-meter';
import {
  callRate,
  draftCost,
  generationRate,
  kvSetup,
  measureMemory,
  memoryChild,
  promptRate,
  type DraftCost,
  type MemorySetup,
  type Rate,
} from './runtime-probes';
import { median, printTable } from './table';

if (process.argv.includes('--memory-child')) {
  const { modelPath, setup } = JSON.parse(process.argv[process.argv.indexOf('--memory-child') + 1]) as {
    modelPath: string;
    setup: MemorySetup;
  };
  console.log(JSON.stringify(await memoryChild(modelPath, setup)));
  process.exit(0);
}

const quick = has('quick');
const ROUNDS = quick ? 1 : 3;
const SKILL = { output: 'filename' as const };
const NAME_TOKENS = 12;
/** Tokens the chat template wraps around any prompt (counted with the prefix, computed once per task anyway). */
const CHAT_WRAP_TOKENS = 6;

interface Failure {
  input: string;
  expected: string;
}
const failures = (
  JSON.parse(fs.readFileSync(path.join(APP_ROOT, 'skills', 'examples', 'file-naming-failures.json'), 'utf8')) as { examples: Failure[] }
).examples;
const shipped = fs
  .readFileSync(path.join(APP_ROOT, 'skills', 'file-naming.md'), 'utf8')
  .split('---')
  .slice(2)
  .join('---')
  .trim();
const variants = fs
  .readFileSync(path.join(APP_ROOT, 'skills', 'examples', 'file-naming-demo-variants.md'), 'utf8')
  .split(/^## Variant /m)
  .slice(1)
  .map((s) => s.slice(1).trim());
const evolved = insertFewShot(variants[0], 'filename', failures.slice(60, 66));
const PROMPTS: [string, string][] = [
  ['shipped prompt', shipped],
  ['demo variant A', variants[0]],
  ['evolved: variant A + 6 few-shot examples', evolved],
];

type Rows = Map<string, string[]>;
const rows: Rows = new Map();
const put = (metric: string, column: number, value: string) => {
  const row = rows.get(metric) ?? [];
  row[column] = value;
  rows.set(metric, row);
};
const load = (m: Measured) => loadNote(m).replace(' cores', '');
const perCpu = (r: Rate[]) =>
  `${median(r.map((x) => x.perCpuS)).toFixed(0)} tok/CPU-s, ${median(r.map((x) => x.perWallS)).toFixed(0)} tok/s (${load(r[0].measured)})`;

const MEMORY: MemorySetup[] = [
  { label: '2 contexts × 2 × 2048, f16 (before)', contexts: 2, sequences: 4, contextSize: 2048, kv: 'f16' },
  { label: '2 × 2 × 2048, q8_0', contexts: 2, sequences: 4, contextSize: 2048, kv: 'q8_0' },
  { label: '2 × 2 × 1024, f16', contexts: 2, sequences: 4, contextSize: 1024, kv: 'f16' },
  { label: '2 × 2 × 1024, q8_0', contexts: 2, sequences: 4, contextSize: 1024, kv: 'q8_0' },
  { label: '2 × 2 × 1024, f16, batch 128', contexts: 2, sequences: 4, contextSize: 1024, kv: 'f16', batchSize: 128 },
  { label: '4 contexts × 1 × 1024, f16', contexts: 4, sequences: 4, contextSize: 1024, kv: 'f16' },
  { label: '4 × 1 × 1024, f16, batch 128', contexts: 4, sequences: 4, contextSize: 1024, kv: 'f16', batchSize: 128 },
];

function memory(model: BenchModel, column: number): void {
  for (const setup of quick ? MEMORY.slice(0, 2) : MEMORY) {
    const m = measureMemory(model.path, setup);
    if ('skipped' in m) {
      put(`RSS ${setup.label}: contexts / after 600-token prompts (peak)`, column, `n/a: ${m.skipped}`);
      continue;
    }
    put('load (warm page cache)', column, `${m.loadMs.toFixed(0)} ms`);
    put('RSS: node + llama.cpp / + model', column, `${m.baseMb.toFixed(0)} / ${m.loadedMb.toFixed(0)} MB`);
    put(
      `RSS ${setup.label}: contexts / after 600-token prompts (peak)`,
      column,
      `${m.contextsMb.toFixed(0)} / ${m.promptedMb.toFixed(0)} MB (${m.peakMb.toFixed(0)})`,
    );
  }
}

async function speed(model: BenchModel, column: number): Promise<void> {
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const loaded = await llama.loadModel({ modelPath: model.path });
  const f16 = kvSetup(loaded, 'f16', true)!;
  const q8 = kvSetup(loaded, 'q8_0');
  const cases: [string, (() => Promise<Rate>) | null][] = [
    ['prompt 256 tokens, 1 thread', () => promptRate(loaded, { ...f16, threads: 1 }, 256)],
    ['prompt 256 tokens, 2 threads', () => promptRate(loaded, { ...f16, threads: 2 }, 256)],
    ['prompt 256 tokens, 1 thread, batch 128', () => promptRate(loaded, { ...f16, threads: 1, batchSize: 128 }, 256)],
    ['generation, 1 sequence, 1 thread', () => generationRate(loaded, { ...f16, threads: 1 }, 1, 24)],
    ['generation, 4 sequences in one context, 1 thread', () => generationRate(loaded, { ...f16, threads: 1 }, 4, 24)],
    ['generation, 1 sequence, 2 threads', () => generationRate(loaded, { ...f16, threads: 2 }, 1, 24)],
    ['generation, 4 sequences in one context, 2 threads', () => generationRate(loaded, { ...f16, threads: 2 }, 4, 24)],
    ['call (150 + 16 tokens), f16, flash attention off', () => callRate(loaded, { ...kvSetup(loaded, 'f16', false), threads: 1 }, 150, 16)],
    ['call (150 + 16 tokens), f16, flash attention on', () => callRate(loaded, { ...f16, threads: 1 }, 150, 16)],
    ['call (150 + 16 tokens), q8_0 KV (flash attention on)', q8 && (() => callRate(loaded, { ...q8, threads: 1 }, 150, 16))],
    ['call (600 + 16 tokens), f16, flash attention on', () => callRate(loaded, { ...f16, threads: 1 }, 600, 16)],
    ['call (600 + 16 tokens), q8_0 KV', q8 && (() => callRate(loaded, { ...q8, threads: 1 }, 600, 16))],
  ];
  const results = new Map<string, Rate[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, run] of cases) if (run) results.set(label, [...(results.get(label) ?? []), await run()]);
  }
  for (const [label, run] of cases) put(label, column, run ? perCpu(results.get(label)!) : 'n/a (head size not a multiple of 32)');
  await loaded.dispose();
}

const runtime = (model: BenchModel, extra: Partial<RuntimeOptions>) =>
  new LlamaRuntime({
    modelPath: model.path,
    dataDir: os.tmpdir(),
    gpu: false,
    threads: 1,
    contextSize: 1024,
    sequences: 4,
    idleDisposeMs: 0,
    ...extra,
  });

/** The evaluation workload of a generation (4 prompts × 4 inputs) in lanes, as FitnessEvaluator sends it, per setup. */
async function lanes(model: BenchModel, column: number): Promise<void> {
  const prompts = [shipped, ...variants];
  const work = prompts.flatMap((template) =>
    failures.slice(0, 4).map((f) => skillRequest(SKILL, template, f.input, { maxTokens: NAME_TOKENS })),
  );
  const setups: [string, Partial<RuntimeOptions>][] = [
    ['one at a time (1 context, 1 sequence, 1 thread)', { sequences: 1, contexts: 1, prefixCacheBytes: 0 }],
    ['2 contexts × 2 sequences, 1 thread, no prefix cache (before)', { contexts: 2, prefixCacheBytes: 0, contextSize: 2048 }],
    ['2 contexts × 2 sequences, 1 thread, prefix cache', { contexts: 2 }],
    ['2 contexts × 1 sequence, 1 thread, prefix cache', { contexts: 2, sequences: 2 }],
    ['4 contexts × 1 sequence, 1 thread (4 threads on the cores), prefix cache', { contexts: 4, sequences: 4 }],
    ['1 context × 4 sequences, 2 threads, prefix cache', { contexts: 1, threads: 2 }],
  ];
  const runtimes = setups.map(([, o]) => runtime(model, o));
  for (const rt of runtimes) await rt.ensureLoaded();
  const measured: Measured[][] = setups.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, rt] of runtimes.entries()) {
      const sequences = rt.info()!.sequences;
      const byPrompt = prompts.map((_, p) => work.slice(p * 4, p * 4 + 4));
      const laneOf = Array.from({ length: sequences }, (_, l) => byPrompt.filter((__, p) => p % sequences === l).flat());
      // A fresh set of inputs' prefix states each round: drop what the previous round left on the sequences.
      await rt.generateBatch(
        Array.from({ length: sequences }, (_, s) => ({ prompt: `unrelated ${round} ${s} `.repeat(20), maxTokens: 1, temperature: 0 })),
      );
      const [, m] = await measure(() =>
        Promise.all(
          laneOf.map(async (lane) => {
            for (const request of lane) await rt.generate(request);
          }),
        ),
      );
      measured[i].push(m);
    }
  }
  const base = median(measured[0].map((m) => m.wallS));
  const baseCpu = median(measured[0].map((m) => m.cpuS));
  for (const [i, [label]] of setups.entries()) {
    const wall = median(measured[i].map((m) => m.wallS));
    const cpu = median(measured[i].map((m) => m.cpuS));
    put(
      `evaluation lanes, 4 prompts × 4 inputs: ${label}`,
      column,
      `${wall.toFixed(1)} s = ${(base / wall).toFixed(2)}×, ` +
        `${cpu.toFixed(1)} CPU-s = ${(cpu / baseCpu).toFixed(2)}× (${load(measured[i][0])})`,
    );
  }
  for (const rt of runtimes) await rt.dispose();
}

/** One file-naming task: cold (nothing cached), warm (the prefix snapshot restored), resident (the sequence still holds it). */
async function tasks(model: BenchModel, column: number): Promise<void> {
  const inputs = failures.slice(10, quick ? 13 : 16).map((f) => f.input);
  for (const [label, template] of PROMPTS) {
    // 2048 tokens: the toy's 512-token vocabulary makes the evolved prompt ~1,100 tokens.
    const cold = runtime(model, { sequences: 1, contexts: 1, prefixCacheBytes: 0, contextSize: 2048 });
    const warm = runtime(model, { sequences: 1, contexts: 1, contextSize: 2048 });
    await Promise.all([cold.ensureLoaded(), warm.ensureLoaded()]);
    await warm.setWarmPrefixes('tasks', [{ prompt: skillPrefix(template) }]);
    const tokens = await cold.countPromptTokens(skillRequest(SKILL, template, inputs[0]));
    // What no prefix cache can save: the input with the chat template's tail, and the answer (at the probe's CPU costs).
    const prefix = (await cold.countPromptTokens({ prompt: skillPrefix(template) })) - CHAT_WRAP_TOKENS;
    const cost = (await probeSpeed(cold, 1))?.cpu;
    const floor = cost ? cpuSecondsFor(cost, tokens - prefix, NAME_TOKENS, 0) / cpuSecondsFor(cost, tokens, NAME_TOKENS, 0) : null;
    const unrelated = {
      prompt: 'Summarise the following notes about the quarterly planning meeting. '.repeat(6),
      maxTokens: 1,
      temperature: 0,
    };
    const times: Record<'cold' | 'warm' | 'resident', Measured[]> = { cold: [], warm: [], resident: [] };
    for (const [i, input] of inputs.entries()) {
      const request = skillRequest(SKILL, template, input, { maxTokens: NAME_TOKENS });
      await cold.generate(unrelated);
      times.cold.push((await measure(() => cold.generate(request)))[1]);
      await warm.generate(unrelated);
      times.warm.push((await measure(() => warm.generate(request)))[1]);
      // The sequence still holds the prefix and the previous input: the next task only replaces the input.
      const next = skillRequest(SKILL, template, inputs[(i + 1) % inputs.length], { maxTokens: NAME_TOKENS });
      times.resident.push((await measure(() => warm.generate(next)))[1]);
    }
    const ms = (xs: Measured[]) => median(xs.map((m) => m.wallS * 1000));
    const cpu = (xs: Measured[]) => median(xs.map((m) => m.cpuS));
    put(
      `file-naming task, ${label} (${tokens} prompt tokens): cold / warm / resident`,
      column,
      `${ms(times.cold).toFixed(0)} / ${ms(times.warm).toFixed(0)} / ${ms(times.resident).toFixed(0)} ms; ` +
        `warm = ${(ms(times.warm) / ms(times.cold)).toFixed(2)}× cold ` +
        `(CPU ${(cpu(times.warm) / cpu(times.cold)).toFixed(2)}×; floor ${floor === null ? '?' : `${floor.toFixed(2)}×`}: ` +
        `${tokens - prefix} tokens after the prefix; ${load(times.cold[0])})`,
    );
    await Promise.all([cold.dispose(), warm.dispose()]);
  }
}

/**
 * An evaluation with its answer drafted (GenerateRequest.draft) vs without, at the token level: a warm prefix, a new
 * tail of 8 / 25 / 70 tokens, 12 answer tokens; the draft is either the answer's own tokens (all confirmed) or wrong.
 */
async function drafts(model: BenchModel, column: number): Promise<void> {
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const loaded = await llama.loadModel({ modelPath: model.path });
  try {
    for (const tail of [8, 25, 70]) {
      const costs: DraftCost[] = [];
      for (let i = 0; i < (quick ? 2 : ROUNDS + 2); i++) costs.push(await draftCost(loaded, { threads: 1 }, 200, tail, NAME_TOKENS));
      const cpuMs = (pick: (c: DraftCost) => Measured) => median(costs.map((c) => pick(c).cpuS * 1000));
      const none = cpuMs((c) => c.none);
      put(
        `evaluation, ${tail} new prompt tokens + ${NAME_TOKENS} answer tokens: no draft / right draft / wrong draft`,
        column,
        `${none.toFixed(0)} / ${cpuMs((c) => c.right).toFixed(0)} / ${cpuMs((c) => c.wrong).toFixed(0)} CPU-ms ` +
          `(right ${(cpuMs((c) => c.right) / none).toFixed(2)}×, wrong ${(cpuMs((c) => c.wrong) / none).toFixed(2)}×; ` +
          `${median(costs.map((c) => c.accepted))} confirmed, ${median(costs.map((c) => c.refuted))} refuted; ${load(costs[0].none)})`,
      );
    }
  } finally {
    await loaded.dispose();
  }
}

/** An A/B vote round (3 arms on one input, batched) vs one arm, every arm's prefix pinned. */
async function abRound(model: BenchModel, column: number): Promise<void> {
  const arms = variants;
  const setups: [string, Partial<RuntimeOptions>][] = [
    ['2 contexts × 2 sequences, 1 thread', { contexts: 2 }],
    ['3 contexts × 1 sequence, 1 thread', { contexts: 3, sequences: 3 }],
    ['1 context × 4 sequences, 2 threads', { contexts: 1, threads: 2 }],
  ];
  for (const [label, options] of quick ? setups.slice(0, 1) : setups) {
    const rt = runtime(model, options);
    await rt.ensureLoaded();
    await rt.setWarmPrefixes(
      'tasks',
      arms.map((a) => ({ prompt: skillPrefix(a) })),
    );
    const ratios: number[] = [];
    const one: Measured[] = [];
    const cases = failures.slice(20, quick ? 26 : 36);
    for (let i = 0; i + 1 < cases.length; i += 2) {
      const [, single] = await measure(() => runSkillBatch(rt, SKILL, [arms[i % 3]], cases[i].input, { maxTokens: NAME_TOKENS }));
      const [, round] = await measure(() => runSkillBatch(rt, SKILL, arms, cases[i + 1].input, { maxTokens: NAME_TOKENS }));
      ratios.push(round.wallS / single.wallS);
      one.push(single);
    }
    put(
      `A/B round, 3 arms vs 1 arm (warm), ${label}`,
      column,
      `${median(ratios).toFixed(2)}× (1 arm ${(median(one.map((m) => m.wallS)) * 1000).toFixed(0)} ms; ${load(one[0])})`,
    );
    await rt.dispose();
  }
}

const models = benchModels(chosenModel());
console.log(
  `tinyArms runtime benchmark — ${models.map((m) => m.label).join(' vs ')}; ` +
    `${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}${quick ? '; quick' : ''}`,
);
const SECTIONS = { memory, speed, lanes, tasks, drafts, ab: abRound } as const;
const only = flag('only')?.split(',') ?? Object.keys(SECTIONS);
for (const [column, model] of models.entries()) {
  for (const [name, section] of Object.entries(SECTIONS)) {
    if (!only.includes(name)) continue;
    console.log(`${model.label}: ${name} …`);
    await section(model, column);
  }
  await resetLlamaForTests();
}
console.log('');
printTable(
  ['measure', ...models.map((m) => m.label)],
  [...rows.entries()].map(([metric, values]) => [metric, ...models.map((_, i) => values[i] ?? '')]),
);
