import { randomInt, createRng } from '../util/random';
import type { GenerateResult, TextModel } from '../llm/types';
import { startMeter } from '../util/cpu-meter';

/** This machine's speed on this model, all lanes together (what a run sees). */
export interface Speed {
  /** Prompt tokens evaluated per wall second (tokens reused from a prefix cost nothing). */
  promptPerSecond: number;
  /** Generated tokens per wall second. */
  generatedPerSecond: number;
  /** Wall seconds each call costs beyond its tokens (request set-up, sampling, bookkeeping), `lanes` calls at a time. */
  secondsPerCall: number;
  source: 'probe' | 'probe, calibrated by the last run' | 'assumed';
  /**
   * On a CPU: the same costs in CPU-seconds, which hold whatever else the machine runs (the wall rates above are
   * what the probe's few seconds happened to get), and the threads the run's lanes use at once.
   */
  cpu?: CpuCost;
}

export interface CpuCost {
  perPromptToken: number;
  perGeneratedToken: number;
  perCall: number;
  threads: number;
  /** Cores the probe's requests got (its CPU-seconds over its wall seconds): what others left it just then. */
  probeCores: number;
}

/**
 * Assumed when nothing can be measured (a model without a tokenizer, e.g. the tests' stand-in): SmolLM2-360M Q4 on
 * a base M1 by public llama.cpp figures scaled to 360M (Metal, batched): ~1,000 prompt and ~80 generated tok/s.
 */
export const ASSUMED_SPEED: Speed = { promptPerSecond: 1000, generatedPerSecond: 80, secondsPerCall: 0.005, source: 'assumed' };

const PROBE_WORDS = 'the file name shows a screen of the app with a form and a list of dates and prices for each plan'.split(' ');

function probePrompt(rng: ReturnType<typeof createRng>, words: number): string {
  return `Probe ${randomInt(rng, 1e9)}: ${Array.from({ length: words }, () => PROBE_WORDS[randomInt(rng, PROBE_WORDS.length)]).join(' ')}`;
}

const tokensOf = (results: readonly GenerateResult[]) => ({
  prompt: results.reduce((sum, r) => sum + (r.computedPromptTokens ?? r.promptTokens), 0),
  generated: results.reduce((sum, r) => sum + r.generatedTokens, 0),
});

/**
 * A short probe (about three seconds for SmolLM2-360M on 2 CPU cores): three batches of `parallel` requests at once,
 * as a run sends them (tiny, prompt-heavy, generation-heavy); their timings give the cost of a call, of a prompt
 * token and of a generated token. Null for a model without a tokenizer (a stand-in, whose speed means nothing).
 */
export async function probeSpeed(model: TextModel, parallel: number, signal?: AbortSignal): Promise<Speed | null> {
  if (!model.countPromptTokens) return null;
  const rng = createRng(`probe|${Date.now()}|${process.pid}`);
  const lanes = Math.max(1, parallel);
  const batch = async (words: number, maxTokens: number) => {
    const requests = Array.from({ length: lanes }, () => ({
      prompt: probePrompt(rng, words),
      maxTokens,
      temperature: 0,
      stop: 'none' as const,
      signal,
    }));
    const stop = startMeter();
    const results = await model.generateBatch(requests, { signal });
    const { wallS, cpuS } = stop();
    return { seconds: wallS, cpuSeconds: cpuS, ...tokensOf(results) };
  };
  await batch(2, 1);
  const runs = [await batch(2, 1), await batch(120, 1), await batch(2, 24)];
  const wall = costs(runs, (r) => r.seconds);
  const speed: Speed = {
    promptPerSecond: 1 / wall.perPrompt,
    generatedPerSecond: 1 / wall.perGenerated,
    secondsPerCall: wall.round / lanes,
    source: 'probe',
  };
  const threads = model.cpuThreads?.() ?? null;
  if (threads === null) return speed;
  const cpu = costs(runs, (r) => r.cpuSeconds);
  const sum = (f: (run: (typeof runs)[number]) => number) => runs.reduce((total, run) => total + f(run), 0);
  return {
    ...speed,
    cpu: {
      perPromptToken: cpu.perPrompt,
      perGeneratedToken: cpu.perGenerated,
      perCall: cpu.round / lanes,
      threads,
      probeCores:
        sum((r) => r.cpuSeconds) /
        Math.max(
          1e-9,
          sum((r) => r.seconds),
        ),
    },
  };
}

interface ProbeBatch {
  prompt: number;
  generated: number;
}

/** seconds = round + prompt × perPrompt + generated × perGenerated, solved over the three batches. */
function costs<B extends ProbeBatch>(runs: readonly B[], seconds: (run: B) => number) {
  const solved = solve3(
    runs.map((r) => [1, r.prompt, r.generated]),
    runs.map(seconds),
  );
  let [round, perPrompt, perGenerated] = solved ?? [NaN, NaN, NaN];
  if (!(round >= 0) || !(perPrompt > 0) || !(perGenerated > 0)) {
    // Noisy timings on a busy machine: the tiny batch is the overhead, the others what dominates them.
    round = seconds(runs[0]);
    perPrompt = Math.max(1e-6, seconds(runs[1]) - round) / Math.max(1, runs[1].prompt);
    perGenerated = Math.max(1e-6, seconds(runs[2]) - round) / Math.max(1, runs[2].generated);
  }
  return { round, perPrompt, perGenerated };
}

/** Solves a 3 × 3 linear system by Cramer's rule; null when it is singular. */
function solve3(a: number[][], b: number[]): [number, number, number] | null {
  const det = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
    m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
    m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const d = det(a);
  if (Math.abs(d) < 1e-12) return null;
  const column = (i: number) => a.map((row, r) => row.map((v, c) => (c === i ? b[r] : v)));
  return [det(column(0)) / d, det(column(1)) / d, det(column(2)) / d];
}

/**
 * The probe corrected by how far the last run on this model was off: on a CPU its CPU-seconds (measured / projected),
 * which other processes do not change; on a GPU its wall time.
 */
export function calibrated(speed: Speed, history: { calibration: number | null; cpuCalibration: number | null }): Speed {
  if (speed.source === 'assumed') return speed;
  const source = 'probe, calibrated by the last run' as const;
  if (speed.cpu) {
    const k = history.cpuCalibration;
    if (k === null || !(k > 0)) return speed;
    const c = speed.cpu;
    return {
      ...speed,
      source,
      cpu: { ...c, perPromptToken: c.perPromptToken * k, perGeneratedToken: c.perGeneratedToken * k, perCall: c.perCall * k },
    };
  }
  const k = history.calibration;
  if (k === null || !(k > 0)) return speed;
  return {
    promptPerSecond: speed.promptPerSecond / k,
    generatedPerSecond: speed.generatedPerSecond / k,
    secondsPerCall: speed.secondsPerCall * k,
    source,
  };
}
