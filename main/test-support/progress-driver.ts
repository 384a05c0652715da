// Replays a fixed evolution through the CLI's progress display on this process's stderr, on a scripted clock, so a
// terminal (tmux in the tests) shows the same final screen every time: `node bin/run-ts.mjs main/test-support/progress-driver.ts`.
import type { EvolutionPlan } from '../engine/evolution/plan';
import { formatPlan } from '../engine/evolution/plan';
import { ASSUMED_SPEED } from '../engine/evolution/speed';
import type { EvolutionProgress } from '../engine/evolution/types';
import { ProgressView, type ProgressClock } from '../shells/cli/progress-view';

let now = 0;
const clock: ProgressClock = { now: () => now, every: () => () => {} };
const view = new ProgressView(process.stderr, clock);
const err = (line: string) => process.stderr.write(`${line}\n`);

const plan: EvolutionPlan = {
  skill: 'file-naming',
  runId: null,
  resumeFrom: null,
  populationSize: 20,
  generations: 30,
  tournaments: 10,
  evaluationSamples: 10,
  trainExamples: 100,
  finalExamples: 20,
  calls: { initial: 19, mutations: 300, evaluations: 6000, final: 420, total: 6739, maxLlmCalls: 5000, capped: true },
  expected: { evaluations: 2400, final: 420, mutations: 319 },
  raced: true,
  speed: ASSUMED_SPEED,
  tokens: { prompt: 853_000, generated: 34_000, perEvaluation: 200, perMutation: 480, generatedPerMutation: 100, counted: 'tokenizer' },
  estimatedSeconds: 1860,
  cpu: null,
  secondsPer: { evaluation: 0.25, mutation: 3 },
  notes: [],
};

const event = (p: Partial<EvolutionProgress>): EvolutionProgress => ({
  skill: 'file-naming',
  phase: 'evolving',
  generation: 0,
  generations: 30,
  bestFitness: null,
  meanFitness: null,
  llmCalls: 0,
  maxLlmCalls: 5000,
  tokensPerSecond: null,
  etaSeconds: null,
  message: null,
  ...p,
});

view.status('loading the model SmolLM2-360M-Instruct-Q4_K_M.gguf');
now += 1400;
view.pause();
for (const line of formatPlan(plan)) err(line);
view.setPlan(plan);
view.status('building the first population 1/20');
for (let built = 4; built <= 20; built += 4) {
  now += 2000;
  const message = `building the first population ${Math.min(20, built)}/20`;
  view.update(event({ phase: 'initialising', llmCalls: built - 1, message, tokensPerSecond: 41 }));
}
now += 500;
view.update(event({ llmCalls: 19, message: 'initial population of 20', bestFitness: 0.41, meanFitness: 0.3, tokensPerSecond: 43 }));
for (let g = 1; g <= 30; g++) {
  now += 8000;
  const fitness = { bestFitness: 0.41 + g / 100, meanFitness: 0.3 + g / 120 };
  view.update(event({ generation: g, llmCalls: 19 + g * 150, ...fitness, tokensPerSecond: 44, etaSeconds: (30 - g) * 8 + 30 }));
}
const ranking = { message: 'ranking on held-out examples', etaSeconds: 30 };
view.update(event({ phase: 'final-evaluation', generation: 30, llmCalls: 4600, bestFitness: 0.71, meanFitness: 0.55, ...ranking }));
now += 30000;
const done = { message: 'best 74% vs current 62% on 20 held-out examples', etaSeconds: 0 };
view.update(event({ phase: 'done', generation: 30, llmCalls: 5000, bestFitness: 0.74, meanFitness: 0.58, ...done }));
err('Evolution run evo_0123456789ab: 30 generations, 283.9 s');
