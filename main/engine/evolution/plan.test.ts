import { describe, expect, it } from 'vitest';
import { DEFAULT_OPERATOR_WEIGHTS } from './operators';
import { formatPlan, projectRun } from './plan';
import { createProgressPrinter, formatDownload, formatProgress } from './progress';
import type { EvolutionSettings } from './types';

const design: EvolutionSettings = {
  populationSize: 20, generations: 30, evaluationSamples: 10, finalEvaluationSamples: 100, tournamentsPerGeneration: null,
  maxLlmCalls: 5000, similarityThreshold: 0.9, temperature: 0.8, maxTokens: 160, seed: 1, variants: 3, rollbackThreshold: 0.7,
  repairPlaceholder: false, parallel: 4, evaluationMaxTokens: null, operatorWeights: DEFAULT_OPERATOR_WEIGHTS,
};

describe('run projection', () => {
  it("projects the design's configuration: calls, tokens, time, and the cap", () => {
    const plan = projectRun({ skill: 'file-naming', kind: 'filename', settings: design, trainExamples: 24, finalExamples: 96, promptChars: 300, meanInputChars: 120, resumeFrom: null, runId: null, rates: null, notes: [] });
    expect(plan.tournaments).toBe(10);
    expect(plan.calls.initial).toBe(19);
    expect(plan.calls.evaluations).toBe(6000);
    expect(plan.calls.final).toBe(21 * 96);
    expect(plan.calls.total).toBe(plan.calls.initial + plan.calls.mutations + plan.calls.evaluations + plan.calls.final);
    expect(plan.calls.capped).toBe(true);
    expect(plan.tokens.prompt).toBeGreaterThan(0);
    expect(plan.rateSource).toBe('assumed');
    const text = formatPlan(plan).join('\n');
    expect(text).toMatch(/Projected model calls \(upper bound, before cache hits\): 8,\d{3} = 19 initial \+ \d+ mutations \+ 6,000 evaluations \+ 2,016 final; capped at max_llm_calls 5,000/);
    expect(text).toMatch(/estimated time ~\d+ (s|min|h)/);
  });

  it('a resumed run only projects the generations left', () => {
    const plan = projectRun({ skill: 's', kind: 'filename', settings: design, trainExamples: 24, finalExamples: 96, promptChars: 300, meanInputChars: 120, resumeFrom: 25, runId: 'evo_1', rates: { secondsPerEvaluation: 0.1, secondsPerMutation: 1 }, notes: [] });
    expect(plan.calls.initial).toBe(0);
    expect(plan.calls.evaluations).toBe(5 * 10 * 20);
    expect(formatPlan(plan)[0]).toBe('Resuming run evo_1 of s after generation 25 of 30.');
    expect(plan.rateSource).toBe('measured');
  });
});

describe('progress output', () => {
  const view = { skill: 'file-naming', phase: 'evolving' as const, generation: 3, generations: 30, bestFitness: 0.62, meanFitness: 0.48, llmCalls: 812, maxLlmCalls: 5000, tokensPerSecond: 41.2, etaSeconds: 360, message: null };

  it('formats one line with the bar, fitness, calls, speed and ETA', () => {
    expect(formatProgress(view)).toBe('evolving          gen 3/30  [##..................]  best 62% mean 48%  calls 812/5000  41 tok/s ETA 6m');
  });

  it('redraws in place on a TTY and prints plain lines otherwise', () => {
    const tty: string[] = [];
    const p = createProgressPrinter({ isTTY: true, write: (s) => tty.push(s) });
    p.update(view);
    p.update({ ...view, generation: 4 });
    p.done();
    expect(tty[0].startsWith('\r\x1b[2K')).toBe(true);
    expect(tty.at(-1)).toBe('\n');
    const plain: string[] = [];
    const q = createProgressPrinter({ isTTY: false, write: (s) => plain.push(s) });
    q.update(view);
    q.done();
    expect(plain).toEqual([`${formatProgress(view)}\n`]);
  });

  it('formats download progress', () => {
    expect(formatDownload(135_500_000, 271_000_000)).toBe('downloading 135.5/271.0 MB [##########..........] 50%');
    expect(formatDownload(10, 0)).toMatch(/downloading 0\.0\/\? MB/);
  });
});
