import type { TextModel } from '../llm/types';
import type { OutputKind } from '../skills/skill-file';
import { halvingCost, halvingRungs } from './halving';
import { roughTokens } from './operator-policy';
import { skillPrefix, skillRequest } from '../skills/skill-request';
import { raceStep } from './racing';
import type { MachineLoad, Measured } from '../util/cpu-meter';
import { machineLoad } from '../util/load-sampler';
import { checkCpu, cpuSecondsFor, projectCpu, type CpuCheck, type CpuProjection } from './run-time';
import { ASSUMED_SPEED, type Speed } from './speed';
import { firstOrderTemplate, MUTATION_SYSTEM, YOUR_TURN } from './templates';
import type { EvolutionData } from './data';
import { slotLineOf } from './validation';
import type { EvolutionSettings } from './types';

/** What earlier finished runs on this model measured (null where none did). */
export interface RunHistory {
  /** Uncached tournament evaluations / their upper bound, on the last run of this skill. */
  tournamentShare: number | null;
  /** Measured / projected wall time of the last fresh run on this model (used on a GPU). */
  calibration: number | null;
  /** On a CPU: measured / projected CPU-seconds of the last fresh run, and its lanes' efficiency. */
  cpuCalibration: number | null;
  efficiency: number | null;
}

/**
 * Tournament evaluations paid / their upper bound (the rest are cache hits, or saved by racing), on the graded
 * stand-in at the design configuration (bench:evolve, 24 seeds): used until a run of the skill has measured its own.
 */
export const DEFAULT_TOURNAMENT_SHARE = { raced: 0.4, full: 0.6 };
const OUTPUT_TOKENS: Record<OutputKind, number> = { filename: 12, list: 60, text: 90, lint: 40 };
/** Operators with a model call: each computes its template's fixed part about once per run (prefix cache). */
const MODEL_OPERATORS = 6;

/**
 * The tournament share before a run of the skill measured its own: the stand-in's, but never below the examples a
 * raced match scores before it may stop (a short run with few samples per match saves little by racing or the cache).
 */
function defaultShare(s: EvolutionSettings, samples: number): number {
  if (s.racing.rule === 'full') return DEFAULT_TOURNAMENT_SHARE.full;
  return samples > 0 ? Math.max(DEFAULT_TOURNAMENT_SHARE.raced, raceStep(0, samples, s.racing) / samples) : DEFAULT_TOURNAMENT_SHARE.raced;
}

/** One call's wall seconds at a speed: its prompt tokens, its generated tokens and the per-call overhead. */
export const callSeconds = (speed: Speed, promptTokens: number, generatedTokens: number): number =>
  promptTokens / speed.promptPerSecond + generatedTokens / speed.generatedPerSecond + speed.secondsPerCall;

/** Before a run's plan exists: a mutation of ~480 prompt and ~100 generated tokens, an evaluation of ~200 and ~15. */
export const ASSUMED_SECONDS_PER = { mutation: callSeconds(ASSUMED_SPEED, 480, 100), evaluation: callSeconds(ASSUMED_SPEED, 200, 15) };

export interface EvolutionPlan {
  skill: string;
  runId: string | null;
  /** Finished generations of the run being resumed; null for a new run. */
  resumeFrom: number | null;
  populationSize: number;
  generations: number;
  tournaments: number;
  evaluationSamples: number;
  trainExamples: number;
  finalExamples: number;
  /** Upper bounds before cache hits and racing (the budget's view). */
  calls: { initial: number; mutations: number; evaluations: number; final: number; total: number; maxLlmCalls: number; capped: boolean };
  /** What the run is expected to pay (racing and the cache counted in). */
  expected: { evaluations: number; final: number; mutations: number };
  /** Tokens the model is expected to evaluate (prefixes reused) and generate. */
  tokens: {
    prompt: number;
    generated: number;
    perEvaluation: number;
    perMutation: number;
    generatedPerMutation: number;
    counted: 'tokenizer' | 'estimate';
  };
  /** Whether tournaments are raced (the expected calls say so). */
  raced: boolean;
  speed: Speed;
  /** Wall seconds: on a CPU the CPU-seconds over the cores the load leaves the run, on a GPU at the probed speed. */
  estimatedSeconds: number;
  /** On a CPU (null on a GPU or without a probe). */
  cpu: CpuProjection | null;
  /** One call's expected wall seconds at that speed (a progress display rescales them by what it measures). */
  secondsPer: { mutation: number; evaluation: number };
  notes: string[];
}

export interface ProjectionInput {
  skill: string;
  kind: OutputKind;
  settings: EvolutionSettings;
  trainExamples: number;
  finalExamples: number;
  prompt: string;
  inputs: readonly string[];
  resumeFrom: number | null;
  runId: string | null;
  model: TextModel;
  data: EvolutionData;
  speed: Speed | null;
  history: RunHistory;
  notes: string[];
  /** The machine's cores and load (read now when omitted). */
  machine?: MachineLoad;
}

export const tournamentsOf = (s: Pick<EvolutionSettings, 'populationSize' | 'tournamentsPerGeneration'>): number =>
  s.tournamentsPerGeneration ?? Math.max(1, Math.floor(s.populationSize / 2));

/** Final-ranking calls: successive halving's rungs (or every unit on every example), the current prompt in each. */
export const finalRankingCalls = (s: EvolutionSettings, examples: number): number =>
  halvingCost(halvingRungs(s.populationSize, examples, s.variants, s.ranking), 1);

/**
 * The projection printed before a run: upper bounds of calls (what max_llm_calls is checked against), the calls
 * expected once racing and the cache are counted, tokens counted with the model's own tokenizer (when it has one),
 * and seconds at this machine's measured speed.
 */
export async function projectRun(o: ProjectionInput): Promise<EvolutionPlan> {
  const s = o.settings;
  const tournaments = tournamentsOf(s);
  const generationsLeft = Math.max(0, s.generations - Math.max(0, o.resumeFrom ?? 0));
  const initial = o.resumeFrom === null ? s.populationSize - 1 : 0;
  const callsPerMutation = (1 + s.operatorWeights.hypermutation) * (1 - s.operatorWeights.few_shot);
  const mutations = Math.ceil(generationsLeft * tournaments * callsPerMutation);
  const samples = Math.min(s.evaluationSamples, o.trainExamples);
  const evaluations = Math.min(
    generationsLeft * tournaments * 2 * samples,
    (s.populationSize + generationsLeft * tournaments) * o.trainExamples,
  );
  const final = finalRankingCalls(s, o.finalExamples);
  const total = initial + mutations + evaluations + final;
  const share = o.history.tournamentShare ?? defaultShare(s, samples);
  // The tournaments stop where the budget kept back for the final ranking begins (see run.ts).
  const limit = s.maxLlmCalls - Math.min(Math.floor(s.maxLlmCalls / 2), final);
  const evolving = initial + mutations + evaluations * share;
  const fits = evolving > limit ? Math.max(0, (limit - initial) / Math.max(1, evolving - initial)) : 1;
  const expected = { evaluations: Math.round(evaluations * share * fits), final, mutations: initial + Math.round(mutations * fits) };
  const tokens = await countTokens(o, expected);
  const speed = o.speed ?? ASSUMED_SPEED;
  const calls = expected.evaluations + expected.final + expected.mutations;
  const cpu = speed.cpu
    ? projectCpu(
        speed.cpu,
        { promptTokens: tokens.prompt, generatedTokens: tokens.generated, calls },
        o.machine ?? machineLoad(),
        o.history.efficiency,
      )
    : null;
  // A call's share of the wall time, as the whole run's is projected (a progress display rescales it by its pace).
  const seconds = (prompt: number, generated: number) =>
    cpu && speed.cpu ? cpuSecondsFor(speed.cpu, prompt, generated, 1) / cpu.cores : callSeconds(speed, prompt, generated);
  return {
    skill: o.skill,
    runId: o.runId,
    resumeFrom: o.resumeFrom,
    populationSize: s.populationSize,
    generations: s.generations,
    tournaments,
    evaluationSamples: samples,
    trainExamples: o.trainExamples,
    finalExamples: o.finalExamples,
    calls: { initial, mutations, evaluations, final, total, maxLlmCalls: s.maxLlmCalls, capped: total > s.maxLlmCalls },
    expected,
    tokens,
    speed,
    raced: s.racing.rule !== 'full',
    estimatedSeconds: cpu
      ? cpu.seconds / cpu.cores
      : tokens.prompt / speed.promptPerSecond + tokens.generated / speed.generatedPerSecond + calls * speed.secondsPerCall,
    cpu,
    secondsPer: {
      mutation: seconds(tokens.perMutation, tokens.generatedPerMutation),
      evaluation: seconds(tokens.perEvaluation, OUTPUT_TOKENS[o.kind]),
    },
    notes: o.notes,
  };
}

async function countTokens(o: ProjectionInput, expected: EvolutionPlan['expected']): Promise<EvolutionPlan['tokens']> {
  const count = o.model.countPromptTokens?.bind(o.model);
  const tokensOf = async (request: { system?: string; prompt: string }) =>
    count ? count(request) : roughTokens(`${request.system ?? ''}${request.prompt}`) + 6;
  const sample = o.inputs.slice(0, 8);
  const full =
    sample.length > 0
      ? (await Promise.all(sample.map((input) => tokensOf(skillRequest({ output: o.kind }, o.prompt, input))))).reduce((a, b) => a + b, 0) /
        sample.length
      : await tokensOf({ prompt: o.prompt });
  const prefix = Math.max(0, (await tokensOf({ prompt: skillPrefix(o.prompt) })) - 6);
  const template = firstOrderTemplate({
    data: o.data,
    kind: o.kind,
    slotLine: slotLineOf(o.prompt),
    mutationPrompt: o.data.mutationPrompts[0],
    prompt: o.prompt,
  });
  const mutationFull = await tokensOf({ system: MUTATION_SYSTEM, prompt: template });
  const mutationFixed = Math.max(
    0,
    (await tokensOf({ system: MUTATION_SYSTEM, prompt: template.slice(0, template.indexOf(YOUR_TURN) + YOUR_TURN.length) })) - 6,
  );
  const evaluationCalls = expected.evaluations + expected.final;
  // Each evaluated prompt computes its prefix about once (a snapshot serves the rest): the population plus the mutants.
  const prompts = o.settings.populationSize + expected.mutations;
  const prompt =
    evaluationCalls * (full - prefix) +
    Math.min(evaluationCalls, prompts) * prefix +
    expected.mutations * (mutationFull - mutationFixed) +
    Math.min(expected.mutations, MODEL_OPERATORS) * mutationFixed;
  const rewrite = Math.min(o.settings.maxTokens, Math.round(1.1 * (await tokensOf({ prompt: o.prompt }))));
  const generated = evaluationCalls * OUTPUT_TOKENS[o.kind] + expected.mutations * rewrite;
  return {
    prompt: Math.round(prompt),
    generated: Math.round(generated),
    perEvaluation: Math.round(full),
    perMutation: Math.round(mutationFull),
    generatedPerMutation: rewrite,
    counted: count ? 'tokenizer' : 'estimate',
  };
}

/** Calls kept back for the final ranking. */
export const finalCalls = (plan: EvolutionPlan): number => plan.calls.final;

export interface ProjectionCheck {
  estimatedSeconds: number;
  measuredSeconds: number;
  /** (estimated − measured) / measured. */
  error: number;
  /** measured / estimated: what the next run's probe speed is divided by (fresh runs only). */
  calibration: number | null;
  /** On a CPU: the CPU-seconds against theirs, and the lanes' efficiency at the load they met. */
  cpu: CpuCheck | null;
}

/** After a run: how far the projection was from the wall time and the CPU-seconds (kept in evolution_runs.result). */
export function projectionError(plan: EvolutionPlan, measured: Measured, fresh: boolean): ProjectionCheck {
  const measuredSeconds = measured.wallS;
  const error = measuredSeconds > 0 ? (plan.estimatedSeconds - measuredSeconds) / measuredSeconds : 0;
  return {
    estimatedSeconds: plan.estimatedSeconds,
    measuredSeconds,
    error,
    calibration: fresh && plan.estimatedSeconds > 0 ? measuredSeconds / plan.estimatedSeconds : null,
    cpu: plan.cpu ? checkCpu(plan.cpu, measured, fresh) : null,
  };
}

export const formatDuration = (seconds: number): string => {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
};

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

export function formatPlan(p: EvolutionPlan): string[] {
  const c = p.calls;
  const e = p.expected;
  const ms = (seconds: number) => (seconds * 1000).toFixed(seconds < 0.01 ? 1 : 0);
  // On a CPU the probe's CPU cost per token is what the projection used; its tokens per second were only its moment's.
  const speed =
    p.speed.source === 'assumed'
      ? 'assumed speed: nothing measured yet'
      : p.speed.cpu
        ? `${p.speed.source}: ${ms(p.speed.cpu.perPromptToken)} + ${ms(p.speed.cpu.perGeneratedToken)} CPU-ms per prompt + generated token`
        : `${p.speed.source}: ${n(p.speed.promptPerSecond)} prompt + ${n(p.speed.generatedPerSecond)} generated tok/s`;
  const counted = p.tokens.counted === 'tokenizer' ? "the model's tokenizer" : 'estimated';
  return [
    p.resumeFrom === null
      ? `Evolving ${p.skill}: population ${p.populationSize}, ${p.generations} generations × ${p.tournaments} tournaments, ` +
        `${p.evaluationSamples} examples per match (${p.trainExamples} for tournaments, ${p.finalExamples} held out for the final ranking).`
      : `Resuming run ${p.runId} of ${p.skill} after generation ${p.resumeFrom} of ${p.generations}.`,
    `Projected model calls (upper bound, before cache hits): ${n(c.total)} = ${n(c.initial)} initial + ${n(c.mutations)} mutations + ` +
      `${n(c.evaluations)} evaluations + ${n(c.final)} final` +
      (c.capped ? `; capped at max_llm_calls ${n(c.maxLlmCalls)}` : `; cap ${n(c.maxLlmCalls)}`),
    `Expected: ~${n(e.mutations)} mutations + ~${n(e.evaluations)} tournament evaluations ` +
      `(${p.raced ? 'raced; ' : ''}cache hits are free) + ` +
      `${n(e.final)} final; ~${n(p.tokens.prompt)} prompt tokens to evaluate + ~${n(p.tokens.generated)} to generate (${counted})`,
    p.cpu
      ? `Projected wall time: ~${formatDuration(p.estimatedSeconds)} at this machine's present load` +
        (p.cpu.cores < 0.95 * p.cpu.quietCores ? `, ~${formatDuration(p.cpu.quietSeconds)} if nothing else runs` : '') +
        ` (~${n(p.cpu.seconds)} CPU-seconds over ${p.cpu.cores.toFixed(1)} of ${p.cpu.machine.cpus} cores; ${speed})`
      : `Projected wall time: estimated time ~${formatDuration(p.estimatedSeconds)} (${speed})`,
    ...p.notes.map((note) => `Note: ${note}`),
  ];
}
