// `npm run bench:evolve -- [--model toy|shaped-smollm2] [--seeds 24] [--generations 30] [--quick] [--skip-replay] [--skip-toy]
//   [--window 400,400,200[,initial,mutationsFrom,mutations]] [--window-now] [--replay-all] [--replay before|now|both]
//   [--replay-on toy|shaped-smollm2] [--skip-policies] [--settle seconds] [--contexts n]`
// 1. The spending policies (racing, successive halving, operator retirement) against scoring everything, at equal
//    seeds on the graded stand-in, whose prompts' true fitness is known: champion fitness and calls per policy.
// 2. The cost of one design-configuration evolution before and after, replayed through LlamaRuntime on the benchmark
//    model (the stand-in decides, the model pays): CPU-seconds, wall time with the machine's other load, tokens,
//    and the projection against the measured time. --model shaped-smollm2 adds the shaped SmolLM2-360M beside the toy.
// 3. The toy with its own answers: the evolution as the model really runs it, and a kill -9 / resume check.
// --transfer alone: cross-skill learning (issue 15 §1) on the graded stand-in, skill B evolved after skill A with
//    learning on vs off over --seeds seeds (default 24; --targets 0.7,0.75,0.8): calls to reach each target, champions.
// --contexts n: the replays' runtime splits its sequences over n contexts (default: the evolution's layout, on a
// 2-core CPU one context per sequence).
// --settle s: the replays wait s seconds with the load sampler running first, as in the app (where it runs from start-up),
//    so their projections see the machine's last 15 s rather than only the load average.
// A benchmark, not a test: it prints measurements; timings vary with the machine and its load.
import os from 'node:os';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { DEFAULT_HALVING } from '../main/engine/evolution/halving';
import { DEFAULT_RACING, type RacingPolicy } from '../main/engine/evolution/racing';
import { othersBesideProbe } from '../main/engine/evolution/run-time';
import { FULL_POLICIES, SPENDING_POLICIES } from '../main/engine/evolution/settings';
import type { EvolutionSettings } from '../main/engine/evolution/types';
import { resetLlamaForTests } from '../main/engine/llm/llama-instance';
import { startLoadSampler } from '../main/engine/util/load-sampler';
import { flag, has } from './args';
import { benchModels, chosenModel } from './bench-model';
import { loadNote } from './cpu-meter';
import { replay, type PayWindow, type ReplayResult } from './evolve-replay';
import { evolveOnce, type SimOutcome } from './evolve-sim';
import { transferBench } from './evolve-transfer';
import { crashResume, toyEvolution } from './evolve-toy';
import { printTable } from './table';

const quick = has('quick');
const num = (name: string, full: number, small: number): number => Number(flag(name) ?? (quick ? small : full));
const SEEDS = num('seeds', 24, 4);
const DESIGN: Partial<EvolutionSettings> = {
  populationSize: num('population', 20, 8),
  generations: num('generations', 30, 4),
  evaluationSamples: num('samples', 10, 6),
  finalEvaluationSamples: num('final', 100, 24),
  parallel: 4,
};
const TODAY = { settings: FULL_POLICIES, runtime: { contextSize: 2048, prefixCacheBytes: 0 } };
const NEW = { settings: SPENDING_POLICIES, runtime: {} };

const THIRDS = { rule: 'halving', eta: 3, minExamples: 12 } as const;
const racing = (o: Partial<RacingPolicy>) => ({ ...SPENDING_POLICIES, racing: { ...DEFAULT_RACING, ...o } });
const POLICIES: [string, Partial<EvolutionSettings>][] = [
  ['before: every example, every unit on every held-out example', FULL_POLICIES],
  ['halving only (tournaments unraced)', { ...SPENDING_POLICIES, racing: FULL_POLICIES.racing }],
  ['racing, exact bound only', racing({ rule: 'exact' })],
  ['racing, sequential z 1.64, from 4 examples, ties < 0.10', racing({ z: 1.64, minSamples: 4, indifference: 0.1 })],
  ['**default**: racing z 1.0, from 3, ties < 0.15; halving by fifths, kept on 48; operator policy', SPENDING_POLICIES],
  ['default, halving by thirds from 12, kept on all 96 (the default before)', { ...SPENDING_POLICIES, ranking: THIRDS }],
  ['default, kept on 24', { ...SPENDING_POLICIES, ranking: { ...DEFAULT_HALVING, keptExamples: 24 } }],
  ['default, racing z 0.84', racing({ z: 0.84 })],
];

const pct = (x: number) => (100 * x).toFixed(1);
const thousands = (x: number) => x.toLocaleString('en-US');

async function policies(): Promise<void> {
  console.log(
    `\nSpending policies on the graded stand-in: ${SEEDS} seeds, population ${DESIGN.populationSize}, ${DESIGN.generations} generations, ` +
      `${DESIGN.evaluationSamples} samples, final ${DESIGN.finalEvaluationSamples}, max_llm_calls 5000 …`,
  );
  const runs = new Map<string, SimOutcome[]>();
  for (let seed = 1; seed <= SEEDS; seed++) {
    for (const [label, settings] of POLICIES)
      runs.set(label, [...(runs.get(label) ?? []), await evolveOnce({ ...DESIGN, ...settings }, seed)]);
  }
  const base = runs.get(POLICIES[0][0])!;
  const rows = POLICIES.map(([label]) => {
    const outcomes = runs.get(label)!;
    const diffs = outcomes.map((o, i) => o.champion - base[i].champion);
    const ci = diffs.length > 1 ? (1.96 * sampleStandardDeviation(diffs)) / Math.sqrt(diffs.length) : 0;
    const avg = (f: (o: SimOutcome) => number) => mean(outcomes.map(f));
    return [
      label,
      `${pct(avg((o) => o.champion))}%` +
        (label === POLICIES[0][0] ? '' : ` (${mean(diffs) >= 0 ? '+' : ''}${pct(mean(diffs))} ± ${pct(ci)})`),
      avg((o) => o.result.spend.tournamentEvaluations).toFixed(0),
      avg((o) => o.result.spend.finalEvaluations).toFixed(0),
      avg((o) => o.result.counters.mutationCalls).toFixed(0),
      avg((o) => o.result.counters.llmCalls).toFixed(0),
      avg((o) => o.result.generations).toFixed(1),
      avg((o) => o.result.spend.examplesPerMatch ?? 0).toFixed(2),
    ];
  });
  console.log(
    `current prompt's true fitness ${pct(base[0].current)}%; champion = the A/B's first variant; ± = 95% CI of the paired difference`,
  );
  printTable(
    [
      'policy',
      'champion true fitness (Δ vs before)',
      'tournament evals',
      'final evals',
      'mutations',
      'calls',
      'generations',
      'examples/match',
    ],
    rows,
  );
}

/**
 * `--window from,evolving,final[,initial,mutationsFrom,mutations]`: the calls a windowed replay on the shaped model pays
 * for (default 400,400,200: the before-replay; --window-now windows the now-replay too).
 */
function window(): PayWindow {
  const [from, evolving, final, initial, mutationsFrom, mutations] = (flag('window') ?? (quick ? '40,80,40' : '400,400,200'))
    .split(',')
    .map(Number);
  return { from, evolving, final, ...(initial >= 0 ? { initial } : {}), ...(mutations >= 0 ? { mutationsFrom, mutations } : {}) };
}

const perCall = (r: ReplayResult) =>
  (['initial', 'evaluation', 'mutation', 'final'] as const)
    .map((k) => (r.costs[k].paid > 0 ? (r.costs[k].cpuS / r.costs[k].paid).toFixed(2) : '—'))
    .join(' / ');

function replayColumn(r: ReplayResult): string[] {
  const o = r.outcome.result;
  const c = o.counters;
  const paid = Object.values(r.costs).reduce((sum, k) => sum + k.paid, 0);
  return [
    r.sampled
      ? `${r.cpuS.toFixed(0)} CPU-s (extrapolated: ${r.measured.cpuS.toFixed(0)} measured for ${paid} of ${c.llmCalls} calls)`
      : `${r.cpuS.toFixed(0)} CPU-s (measured)`,
    perCall(r),
    `${(r.measured.wallS / 60).toFixed(1)} min${r.sampled ? ' for the paid calls' : ''} (${loadNote(r.measured)})`,
    `${c.llmCalls} (${o.spend.tournamentEvaluations} + ${o.spend.finalEvaluations} evaluations, ${c.mutationCalls} mutations)`,
    `${[r.runtime.promptTokens, r.runtime.computedPromptTokens, r.runtime.generatedTokens].map(thousands).join(' / ')}; ` +
      `answer drafts: ${thousands(r.runtime.draftTokensAccepted)} tokens confirmed, ${thousands(r.runtime.draftTokensRefuted)} refuted`,
    r.prefix ? `${r.prefix.computed} computed, ${r.prefix.restored} restored, ${r.prefix.resident} resident` : 'off',
    `${r.layout.sequences} sequences over ${r.layout.contexts ?? '?'} contexts; peak RSS ${r.layout.peakRssMb.toFixed(0)} MB`,
    r.sampled
      ? `${(o.projection.estimatedSeconds / 60).toFixed(1)} min projected (a window's wall time is not the run's)`
      : `${(o.projection.estimatedSeconds / 60).toFixed(1)} vs ${(o.projection.measuredSeconds / 60).toFixed(1)} min ` +
        `(${o.projection.error >= 0 ? '+' : ''}${(100 * o.projection.error).toFixed(0)}%; ${o.plan.speed.source})`,
    cpuProjection(r),
    `${o.plan.expected.evaluations} + ${o.plan.expected.final} evaluations, ${o.plan.expected.mutations} mutations; ` +
      `${thousands(o.plan.tokens.prompt)} / ${thousands(o.plan.tokens.generated)} tokens`,
    `${o.plan.speed.promptPerSecond.toFixed(0)} prompt, ${o.plan.speed.generatedPerSecond.toFixed(0)} generated tok/s`,
    `${pct(r.outcome.champion)}%`,
  ];
}

/** The projection's CPU-seconds and cores against the run's own meter (a window's CPU-seconds are only the paid calls'). */
function cpuProjection(r: ReplayResult): string {
  const o = r.outcome.result;
  const cpu = o.plan.cpu;
  const check = o.projection.cpu;
  if (!cpu || !check) return '— (no CPU probe)';
  const got = o.projection.measuredSeconds > 0 ? check.measuredCpuSeconds / o.projection.measuredSeconds : 0;
  const others = check.othersCores === null ? 'others unknown' : `others ${check.othersCores.toFixed(1)}`;
  const cores =
    `${cpu.cores.toFixed(2)} cores (others by the load average ${cpu.machine.load.toFixed(1)}` +
    `${typeof cpu.machine.recent === 'number' ? `, by the last 15 s ${cpu.machine.recent.toFixed(1)}` : ''}, by the probe ` +
    `${o.plan.speed.cpu ? othersBesideProbe(o.plan.speed.cpu, cpu.machine.cpus).toFixed(1) : '?'}: ` +
    `others taken as ${cpu.others.toFixed(1)}) vs ${got.toFixed(2)} got (${others})`;
  if (r.sampled) return `${cpu.seconds.toFixed(0)} CPU-s projected vs ${r.cpuS.toFixed(0)} extrapolated; ${cores}`;
  const error = check.cpuError;
  return `${cpu.seconds.toFixed(0)} vs ${check.measuredCpuSeconds.toFixed(0)} CPU-s (${error >= 0 ? '+' : ''}${(100 * error).toFixed(0)}%); ${cores}`;
}

async function replays(): Promise<void> {
  const models = benchModels(chosenModel()).filter((m) => (flag('replay-on') ?? m.id) === m.id);
  const columns: string[] = [];
  const cells: string[][] = [];
  for (const model of models) {
    const setups = [
      ['before', TODAY],
      ['now', NEW],
    ] as const;
    const which = flag('replay') ?? 'both';
    for (const [label, setup] of setups.filter(([name]) => which === 'both' || which === name)) {
      // The before-run costs ~2 hours of CPU on the shaped model: it pays for a window of calls (see evolve-replay.ts).
      const windowed = label === 'before' ? !has('replay-all') : has('window-now');
      const paid = model.id === 'shaped-smollm2' && windowed ? window() : null;
      console.log(
        `\nReplaying the evolution (seed 1) ${label} on ${model.label}` +
          (paid ? ` (paying for calls ${paid.from}-${paid.from + paid.evolving} of the generations and ${paid.final} final)` : '') +
          ' …',
      );
      const contexts = flag('contexts');
      const runtime = contexts
        ? { ...setup.runtime, contexts: Number(contexts), evolution: { contexts: Number(contexts) } }
        : setup.runtime;
      const result = await replay(label, model.path, { ...DESIGN, ...setup.settings }, runtime, 1, paid);
      columns.push(`${model.label}, ${label}`);
      cells.push(replayColumn(result));
      console.log(`  ${cells.at(-1)![0]}, ${cells.at(-1)![1]}`);
    }
    await resetLlamaForTests();
  }
  const metrics = [
    'CPU-seconds of the evolution',
    'CPU-s per call: initial / tournament evaluation / mutation / final evaluation',
    'wall time',
    'uncached calls',
    'prompt tokens sent / evaluated / generated',
    'prefix snapshots',
    'runtime during the evolution; bench process peak RSS',
    'projected vs measured wall',
    'projection on the CPU: CPU-s; cores at the load it saw vs got',
    'projection: expected calls; tokens to evaluate / generate',
    'projection: probed speed',
    'champion true fitness',
  ];
  printTable(
    ['measure', ...columns],
    metrics.map((m, i) => [m, ...cells.map((c) => c[i])]),
  );
  for (let i = 0; i + 1 < cells.length && columns[i].endsWith('before'); i += 2) {
    console.log(
      `${columns[i + 1]}: ${(parseFloat(cells[i + 1][0]) / parseFloat(cells[i][0])).toFixed(2)}× the CPU-seconds before (target ≤ 0.35)`,
    );
  }
}

async function transfer(): Promise<void> {
  const settings = {
    populationSize: num('population', 12, 8),
    generations: num('generations', 10, 4),
    evaluationSamples: num('samples', 6, 6),
    finalEvaluationSamples: num('final', 24, 24),
    parallel: 4,
    maxLlmCalls: 1500,
  };
  const targets = (flag('targets') ?? '0.7,0.75,0.8').split(',').map(Number);
  console.log(
    `\nCross-skill learning on the graded stand-in: ${SEEDS} seeds; skill A (file-naming) evolved and its champion promoted, then ` +
      `skill B (photo-naming) evolved with learning on (same data folder) vs off (fresh); population ${settings.populationSize}, ` +
      `${settings.generations} generations, ${settings.evaluationSamples} samples, final ${settings.finalEvaluationSamples} …`,
  );
  printTable(['measure (skill B)', 'learning on', 'learning off', 'on vs off'], await transferBench(settings, SEEDS, targets));
}

console.log(`tinyArms evolution benchmark (${os.availableParallelism()} CPUs, Node ${process.version})${quick ? ' — quick mode' : ''}`);
if (has('transfer')) {
  await transfer();
  process.exit(0);
}
if (!has('skip-policies')) await policies();
if (!has('skip-replay')) {
  const settle = Number(flag('settle') ?? 0);
  if (settle > 0) {
    startLoadSampler();
    await new Promise((resolve) => setTimeout(resolve, settle * 1000));
  }
  await replays();
}
if (!has('skip-toy')) {
  console.log('\nThe toy with its own answers (mutation max_tokens 32, evaluation 16) …');
  const rows = await toyEvolution({ ...DESIGN, ...SPENDING_POLICIES, maxTokens: 32, evaluationMaxTokens: 16, seed: 2026 });
  rows.push(await crashResume());
  await resetLlamaForTests();
  printTable(['measure (stories260K, its own answers)', 'value'], rows);
}
