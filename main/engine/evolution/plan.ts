import type { OutputKind } from '../skills/skill-file';
import type { EvolutionSettings } from './types';

export interface Rates {
  secondsPerEvaluation: number;
  secondsPerMutation: number;
}

/** Rough SmolLM2-360M Q4 figures for an 8 GB M1, used until a run on this model has measured its own. */
export const ASSUMED_RATES: Rates = { secondsPerEvaluation: 0.25, secondsPerMutation: 3 };

const CHARS_PER_TOKEN = 3.5;
const TEMPLATE_CHARS = 900;
const EXPECTED_OUTPUT_TOKENS: Record<OutputKind, number> = { filename: 12, list: 60, text: 90, lint: 40 };

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
  calls: { initial: number; mutations: number; evaluations: number; final: number; total: number; maxLlmCalls: number; capped: boolean };
  tokens: { prompt: number; generated: number };
  estimatedSeconds: number;
  /** The speeds estimatedSeconds assumes (a progress display rescales them by what it measures). */
  rates: Rates;
  rateSource: 'measured' | 'assumed';
  notes: string[];
}

export const tournamentsOf = (s: Pick<EvolutionSettings, 'populationSize' | 'tournamentsPerGeneration'>): number =>
  s.tournamentsPerGeneration ?? Math.max(1, Math.floor(s.populationSize / 2));

/**
 * Upper bounds before the run, ignoring the cache: evaluations are at most 2 × samples per tournament, and a
 * unit can never cost more than one call per tournament example. Hypermutation makes two calls, few-shot none.
 */
export function projectRun(o: {
  skill: string;
  kind: OutputKind;
  settings: EvolutionSettings;
  trainExamples: number;
  finalExamples: number;
  promptChars: number;
  meanInputChars: number;
  resumeFrom: number | null;
  runId: string | null;
  rates: Rates | null;
  notes: string[];
}): EvolutionPlan {
  const s = o.settings;
  const tournaments = tournamentsOf(s);
  const generationsLeft = Math.max(0, s.generations - Math.max(0, o.resumeFrom ?? 0));
  const initial = o.resumeFrom === null ? s.populationSize - 1 : 0;
  const callsPerMutation = (1 + s.operatorWeights.hypermutation) * (1 - s.operatorWeights.few_shot);
  const mutations = Math.ceil(generationsLeft * tournaments * callsPerMutation);
  const samples = Math.min(s.evaluationSamples, o.trainExamples);
  const evaluations = Math.min(generationsLeft * tournaments * 2 * samples, (s.populationSize + generationsLeft * tournaments) * o.trainExamples);
  const final = (s.populationSize + 1) * o.finalExamples;
  const total = initial + mutations + evaluations + final;
  const evalPrompt = (o.promptChars + o.meanInputChars) / CHARS_PER_TOKEN;
  const mutationPrompt = (TEMPLATE_CHARS + 2 * o.promptChars) / CHARS_PER_TOKEN;
  const share = Math.min(1, s.maxLlmCalls / Math.max(1, total));
  const evalCalls = (evaluations + final) * share;
  const mutationCalls = (initial + mutations) * share;
  const rates = o.rates ?? ASSUMED_RATES;
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
    tokens: {
      prompt: Math.round(evalCalls * evalPrompt + mutationCalls * mutationPrompt),
      generated: Math.round(evalCalls * EXPECTED_OUTPUT_TOKENS[o.kind] + mutationCalls * 0.6 * s.maxTokens),
    },
    estimatedSeconds: evalCalls * rates.secondsPerEvaluation + mutationCalls * rates.secondsPerMutation,
    rates,
    rateSource: o.rates ? 'measured' : 'assumed',
    notes: o.notes,
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
  return [
    p.resumeFrom === null
      ? `Evolving ${p.skill}: population ${p.populationSize}, ${p.generations} generations × ${p.tournaments} tournaments, ${p.evaluationSamples} examples per match (${p.trainExamples} for tournaments, ${p.finalExamples} held out for the final ranking).`
      : `Resuming run ${p.runId} of ${p.skill} after generation ${p.resumeFrom} of ${p.generations}.`,
    `Projected model calls (upper bound, before cache hits): ${n(c.total)} = ${n(c.initial)} initial + ${n(c.mutations)} mutations + ${n(c.evaluations)} evaluations + ${n(c.final)} final` +
      (c.capped ? `; capped at max_llm_calls ${n(c.maxLlmCalls)}` : `; cap ${n(c.maxLlmCalls)}`),
    `Projected tokens: ~${n(p.tokens.prompt)} prompt + ~${n(p.tokens.generated)} generated; estimated time ~${formatDuration(p.estimatedSeconds)}` +
      (p.rateSource === 'assumed' ? ' (assumed speed: no run on this model has been measured yet)' : ' (speed measured on the last run with this model)'),
    ...p.notes.map((note) => `Note: ${note}`),
  ];
}
