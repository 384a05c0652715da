import { describe, expect, it } from 'vitest';
import { DeterministicTextModel } from '../llm/deterministic-text-model';
import type { GenerateRequest, TextModel } from '../llm/types';
import { loadEvolutionData } from './data';
import { DEFAULT_OPERATOR_WEIGHTS } from './operators';
import { formatPlan, projectRun, projectionError, type ProjectionInput } from './plan';
import { createProgressPrinter, formatDownload, formatProgress } from './progress';
import { SPENDING_POLICIES, FULL_POLICIES } from './settings';
import { coresForRun, DEFAULT_EFFICIENCY, lastingOthers, othersBesideProbe } from './run-time';
import { calibrated, probeSpeed, type Speed } from './speed';
import type { EvolutionSettings } from './types';

const design: EvolutionSettings = {
  populationSize: 20,
  generations: 30,
  evaluationSamples: 10,
  finalEvaluationSamples: 100,
  tournamentsPerGeneration: null,
  maxLlmCalls: 5000,
  similarityThreshold: 0.9,
  temperature: 0.8,
  maxTokens: 160,
  seed: 1,
  variants: 3,
  rollbackThreshold: 0.7,
  repairPlaceholder: false,
  parallel: 4,
  evaluationMaxTokens: null,
  operatorWeights: DEFAULT_OPERATOR_WEIGHTS,
  crossSkillLearning: false,
  ...SPENDING_POLICIES,
};
const PROMPT = 'Name the file in kebab-case from what it shows.\nKeep the extension.\n\nFile: {{input}}';
const input = (extra: Partial<ProjectionInput> = {}): ProjectionInput => ({
  skill: 'file-naming',
  kind: 'filename',
  settings: design,
  trainExamples: 24,
  finalExamples: 96,
  prompt: PROMPT,
  inputs: ['IMG_1.png · PNG image · 412 KB'],
  resumeFrom: null,
  runId: null,
  model: new DeterministicTextModel(),
  data: loadEvolutionData(),
  speed: null,
  history: { calibration: null, cpuCalibration: null, efficiency: null, tournamentShare: null },
  notes: [],
  ...extra,
});

/** A stand-in with a "tokenizer" (words) and a fixed cost per token, so the probe has something to measure. */
class TimedModel extends DeterministicTextModel implements TextModel {
  async countPromptTokens(request: Pick<GenerateRequest, 'system' | 'prompt'>): Promise<number> {
    return `${request.system ?? ''} ${request.prompt}`.trim().split(/\s+/).length;
  }
  override async generate(request: GenerateRequest) {
    const result = await super.generate(request);
    await new Promise((resolve) => setTimeout(resolve, result.promptTokens * 0.5 + result.generatedTokens * 5));
    return result;
  }
}

describe('run projection', () => {
  it("projects the design's configuration: upper bounds, expected calls, tokens, time, and the cap", async () => {
    const plan = await projectRun(input());
    expect(plan.tournaments).toBe(10);
    expect(plan.calls.initial).toBe(19);
    expect(plan.calls.evaluations).toBe(6000);
    // Successive halving: 20 units on 4 → 4 on 20 → 3 on 48, the current prompt on all 48.
    expect(plan.calls.final).toBe(20 * 4 + 4 * 16 + 3 * 28 + 48);
    expect(plan.calls.total).toBe(plan.calls.initial + plan.calls.mutations + plan.calls.evaluations + plan.calls.final);
    expect(plan.expected.evaluations).toBeLessThan(plan.calls.evaluations);
    expect(plan.tokens).toMatchObject({ counted: 'estimate' });
    expect(plan.tokens.prompt).toBeGreaterThan(0);
    expect(plan.speed.source).toBe('assumed');
    const text = formatPlan(plan).join('\n');
    expect(text).toMatch(/Projected model calls \(upper bound, before cache hits\): \d,\d{3} = 19 initial \+ \d+ mutations/);
    expect(text).toMatch(/\+ 6,000 evaluations \+ 276 final; capped at max_llm_calls 5,000/);
    expect(text).toMatch(/Expected: ~[\d,]+ mutations \+ ~[\d,]+ tournament evaluations \(raced; cache hits are free\) \+ 276 final/);
    expect(text).toMatch(/estimated time ~\d+ (s|min|h) \(assumed speed/);
  });

  it('every unit on every example is the upper bound without halving', async () => {
    const plan = await projectRun(input({ settings: { ...design, ...FULL_POLICIES } }));
    expect(plan.calls.final).toBe(21 * 96);
    expect(plan.calls.capped).toBe(true);
    // The tournaments stop where the calls kept back for the final ranking begin.
    const { evaluations, final, mutations } = plan.expected;
    expect(evaluations + mutations).toBeLessThanOrEqual(5000 - final);
    expect(evaluations + mutations).toBeGreaterThan(5000 - final - 50);
  });

  it('expects a short run with few samples per match to pay at least what a raced match scores before it may stop', async () => {
    const small = { ...design, populationSize: 6, generations: 3, evaluationSamples: 4, finalEvaluationSamples: 12 };
    const plan = await projectRun(input({ settings: small, trainExamples: 8, finalExamples: 12 }));
    // 3 generations × 3 matches × 2 units × 4 examples; a match scores 3 examples each before the racing rule may stop it.
    expect(plan.calls.evaluations).toBe(72);
    expect(plan.expected.evaluations).toBe(54);
    // The design's configuration keeps the stand-in's share (0.4 of the bound).
    expect((await projectRun(input())).expected.evaluations).toBeLessThanOrEqual(Math.round(0.4 * 6000));
    // What the last run of the skill measured wins over both.
    const measured = await projectRun(
      input({
        settings: small,
        trainExamples: 8,
        finalExamples: 12,
        history: { calibration: null, cpuCalibration: null, efficiency: null, tournamentShare: 0.5 },
      }),
    );
    expect(measured.expected.evaluations).toBe(36);
  });

  it('a resumed run only projects the generations left', async () => {
    const plan = await projectRun(input({ resumeFrom: 25, runId: 'evo_1' }));
    expect(plan.calls.initial).toBe(0);
    expect(plan.calls.evaluations).toBe(5 * 10 * 20);
    expect(formatPlan(plan)[0]).toBe('Resuming run evo_1 of file-naming after generation 25 of 30.');
  });

  it("counts tokens with the model's tokenizer and times them at the probed speed", async () => {
    const model = new TimedModel();
    const speed = await probeSpeed(model, 2);
    expect(speed!.source).toBe('probe');
    // The figures themselves depend on the machine's load (a test never asserts speed): only that they are usable.
    for (const rate of [speed!.promptPerSecond, speed!.generatedPerSecond]) expect(rate).toBeGreaterThan(0);
    expect(speed!.secondsPerCall).toBeGreaterThanOrEqual(0);
    const plan = await projectRun(input({ model, speed }));
    expect(plan.tokens.counted).toBe('tokenizer');
    const calls = plan.expected.evaluations + plan.expected.final + plan.expected.mutations;
    expect(plan.estimatedSeconds).toBeCloseTo(
      plan.tokens.prompt / speed!.promptPerSecond + plan.tokens.generated / speed!.generatedPerSecond + calls * speed!.secondsPerCall,
    );
    expect(await probeSpeed(new DeterministicTextModel(), 2)).toBeNull();
  });

  it('compares the projection with the measured time; the next run divides the probe by the calibration', async () => {
    const plan = await projectRun(
      input({ speed: { promptPerSecond: 1000, generatedPerSecond: 100, secondsPerCall: 0.01, source: 'probe' } }),
    );
    const check = projectionError(plan, { wallS: plan.estimatedSeconds * 1.25, cpuS: 1, othersCores: null }, true);
    expect(check.error).toBeCloseTo(-0.2);
    expect(check.calibration).toBeCloseTo(1.25);
    expect(check.cpu).toBeNull();
    expect(projectionError(plan, { wallS: 1, cpuS: 1, othersCores: null }, false).calibration).toBeNull();
    const next = calibrated(plan.speed, { calibration: check.calibration, cpuCalibration: null });
    expect(next.promptPerSecond).toBeCloseTo(800);
    expect(next.source).toBe('probe, calibrated by the last run');
  });
});

describe('projection in CPU-seconds', () => {
  const cpuSpeed: Speed = {
    promptPerSecond: 300,
    generatedPerSecond: 60,
    secondsPerCall: 0.01,
    source: 'probe',
    cpu: { perPromptToken: 0.006, perGeneratedToken: 0.02, perCall: 0.01, threads: 2, probeCores: 1.9 },
  };
  /** The probe beside `others` busy threads got its fair share of the 2 cores (times the probe's 0.95). */
  const probedBeside = (others: number): Speed => ({ ...cpuSpeed, cpu: { ...cpuSpeed.cpu!, probeCores: 0.95 * (4 / (2 + others)) } });
  const quiet = { cpus: 2, load: 0 };

  it('prices the work in CPU-seconds and divides by the cores the load leaves the run', async () => {
    const atRest = await projectRun(input({ speed: cpuSpeed, machine: quiet }));
    const cpu = atRest.cpu!;
    const calls = atRest.expected.evaluations + atRest.expected.final + atRest.expected.mutations;
    expect(cpu.seconds).toBeCloseTo(atRest.tokens.prompt * 0.006 + atRest.tokens.generated * 0.02 + calls * 0.01);
    expect(cpu.cores).toBeCloseTo(2 * DEFAULT_EFFICIENCY);
    expect(atRest.estimatedSeconds).toBeCloseTo(cpu.seconds / cpu.cores);
    expect(atRest.secondsPer.evaluation).toBeCloseTo((atRest.tokens.perEvaluation * 0.006 + 12 * 0.02 + 0.01) / cpu.cores);
    expect(formatPlan(atRest).join('\n')).not.toContain('if nothing else runs');

    // One other busy thread, seen by the load average and the probe: the scheduler shares the 2 cores among 3 threads.
    const busy = await projectRun(input({ speed: probedBeside(1), machine: { cpus: 2, load: 1 } }));
    expect(busy.cpu!.others).toBeCloseTo(1);
    expect(busy.cpu!.seconds).toBeCloseTo(cpu.seconds);
    expect(busy.cpu!.cores).toBeCloseTo(4 / 3);
    expect(busy.estimatedSeconds).toBeCloseTo(cpu.seconds / (4 / 3));
    expect(busy.cpu!.quietSeconds).toBeCloseTo(atRest.estimatedSeconds);
    const line = formatPlan(busy).find((l) => l.startsWith('Projected wall time'))!;
    expect(line).toMatch(/at this machine's present load, ~\d+ (s|min) if nothing else runs \(~[\d,]+ CPU-seconds over 1\.3 of 2 cores/);
    expect(line).toMatch(/; probe: 6\.0 \+ 20 CPU-ms per prompt \+ generated token\)$/);
  });

  it("takes the others' load as the mean of the load average's reading and the probe's", async () => {
    expect(othersBesideProbe({ threads: 2, probeCores: 1.9 }, 2)).toBe(0);
    expect(othersBesideProbe({ threads: 2, probeCores: 0.95 }, 2)).toBeCloseTo(2);
    expect(othersBesideProbe({ threads: 4, probeCores: 0.95 * (4 / 3) }, 2)).toBeCloseTo(1);
    // A load that has just ended: the load average still reads 3, the probe saw 1 thread beside it.
    const lagging = await projectRun(input({ speed: probedBeside(1), machine: { cpus: 2, load: 3 } }));
    expect(lagging.cpu!.others).toBeCloseTo(2);
    expect(lagging.cpu!.cores).toBeCloseTo(1);
    // A process that has been sampling the machine knows the load ended: its last 15 s replace the load average.
    const sampled = await projectRun(input({ speed: probedBeside(1), machine: { cpus: 2, load: 3, recent: 0.2 } }));
    expect(sampled.cpu!.others).toBeCloseTo(0.6);
  });

  it('reads the lasting load from the sampler where it ran, from the load average once others take every core', () => {
    expect(lastingOthers({ cpus: 2, load: 1.9 })).toBeCloseTo(1.9);
    expect(lastingOthers({ cpus: 2, load: 1.9, recent: null })).toBeCloseTo(1.9);
    expect(lastingOthers({ cpus: 2, load: 1.9, recent: 0.1 })).toBeCloseTo(0.1);
    // Sampled use stops at the cores; four busy threads on two cores read as 1.9 of them.
    expect(lastingOthers({ cpus: 2, load: 4, recent: 1.9 })).toBeCloseTo(4);
  });

  it('gives a run what it asks for while the cores go round, and a fair share per runnable thread once they do not', () => {
    expect(coresForRun(2, { cpus: 8, load: 1 }, 1)).toBeCloseTo(2);
    expect(coresForRun(4, { cpus: 2, load: 0 }, 0.5)).toBeCloseTo(1);
    expect(coresForRun(2, { cpus: 2, load: 0.8 }, 1)).toBeCloseTo(4 / 2.8);
    expect(coresForRun(2, { cpus: 2, load: 0.8 }, 0.5)).toBeCloseTo(1);
    expect(coresForRun(2, { cpus: 2, load: 18 }, 1)).toBeCloseTo(0.2);
  });

  it("checks the CPU-seconds after the run; the next run scales its CPU costs and learns the lanes' efficiency", async () => {
    const plan = await projectRun(input({ speed: cpuSpeed, machine: quiet }));
    const cpu = plan.cpu!;
    // Twice the CPU-seconds projected, over a run that got 1.0 core of the 2 it asked for while nothing else ran.
    const measured = { wallS: cpu.seconds * 2, cpuS: cpu.seconds * 2, othersCores: 0 };
    const check = projectionError(plan, measured, true);
    expect(check.cpu!.cpuError).toBeCloseTo(-0.5);
    expect(check.cpu!.cpuCalibration).toBeCloseTo(2);
    expect(check.cpu!.efficiency).toBeCloseTo(0.5);
    expect(projectionError(plan, measured, false).cpu!.cpuCalibration).toBeNull();
    // A quiet machine's background still shows it (the cores left); beside more, the run's share says nothing of it.
    expect(projectionError(plan, { ...measured, othersCores: 0.2 }, true).cpu!.efficiency).toBeCloseTo(1 / 1.8);
    expect(projectionError(plan, { ...measured, othersCores: 0.5 }, true).cpu!.efficiency).toBeNull();

    const next = calibrated(cpuSpeed, { calibration: check.calibration, cpuCalibration: check.cpu!.cpuCalibration });
    expect(next.cpu!.perPromptToken).toBeCloseTo(0.012);
    expect(next.promptPerSecond).toBe(cpuSpeed.promptPerSecond);
    const replan = await projectRun(
      input({
        speed: next,
        machine: quiet,
        history: { calibration: null, cpuCalibration: 2, efficiency: check.cpu!.efficiency, tournamentShare: null },
      }),
    );
    expect(replan.cpu!.seconds).toBeCloseTo(2 * cpu.seconds);
    expect(replan.cpu!.cores).toBeCloseTo(1);
  });

  it('probes CPU costs too when the model runs on the CPU, and says so in its threads', async () => {
    class CpuModel extends TimedModel {
      cpuThreads() {
        return 3;
      }
    }
    const speed = await probeSpeed(new CpuModel(), 2);
    expect(speed!.cpu!.threads).toBe(3);
    for (const cost of [speed!.cpu!.perPromptToken, speed!.cpu!.perGeneratedToken]) expect(cost).toBeGreaterThan(0);
    expect(speed!.cpu!.perCall).toBeGreaterThanOrEqual(0);
    expect((await probeSpeed(new TimedModel(), 2))!.cpu).toBeUndefined();
  });
});

describe('progress output', () => {
  const view = {
    skill: 'file-naming',
    phase: 'evolving' as const,
    generation: 3,
    generations: 30,
    bestFitness: 0.62,
    meanFitness: 0.48,
    llmCalls: 812,
    maxLlmCalls: 5000,
    tokensPerSecond: 41.2,
    etaSeconds: 360,
    message: null,
  };

  it('formats one line with the bar, fitness, calls, speed and ETA', () => {
    expect(formatProgress(view)).toBe(
      'evolving          gen 3/30  [##..................]  best 62% mean 48%  calls 812/5000  41 tok/s ETA 6m',
    );
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
