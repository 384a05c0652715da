import { randomInt, createRng } from '../util/random';
import type { GenerateRequest, GenerateResult, TextModel } from '../llm/types';

/** This machine's speed on this model, all lanes together (what a run sees). */
export interface Speed {
  /** Prompt tokens evaluated per wall second (tokens reused from a prefix cost nothing). */
  promptPerSecond: number;
  /** Generated tokens per wall second. */
  generatedPerSecond: number;
  source: 'probe' | 'probe, calibrated by the last run' | 'assumed';
}

/**
 * Assumed when nothing can be measured (a model without a tokenizer, e.g. the tests' stand-in): SmolLM2-360M Q4 on
 * a base M1 by public llama.cpp figures scaled to 360M (Metal, batched): ~1,000 prompt and ~80 generated tok/s.
 */
export const ASSUMED_SPEED: Speed = { promptPerSecond: 1000, generatedPerSecond: 80, source: 'assumed' };

const PROBE_WORDS = 'the file name shows a screen of the app with a form and a list of dates and prices for each plan'.split(' ');

function probePrompt(rng: ReturnType<typeof createRng>, words: number): string {
  return `Probe ${randomInt(rng, 1e9)}: ${Array.from({ length: words }, () => PROBE_WORDS[randomInt(rng, PROBE_WORDS.length)]).join(' ')}`;
}

const tokensOf = (results: readonly GenerateResult[]) => ({
  prompt: results.reduce((sum, r) => sum + (r.computedPromptTokens ?? r.promptTokens), 0),
  generated: results.reduce((sum, r) => sum + r.generatedTokens, 0),
});

/**
 * A short probe (about three seconds for SmolLM2-360M on 2 CPU cores): `parallel` prompt-heavy requests, then
 * `parallel` generation-heavy ones, each batch at once as a run sends them; the two timings give both rates.
 * Null for a model without a tokenizer (a stand-in, whose speed means nothing).
 */
export async function probeSpeed(model: TextModel, parallel: number, signal?: AbortSignal): Promise<Speed | null> {
  if (!model.countPromptTokens) return null;
  const rng = createRng(`probe|${Date.now()}|${process.pid}`);
  const timed = async (requests: GenerateRequest[]) => {
    const started = performance.now();
    const results = await model.generateBatch(requests, { signal });
    return { seconds: (performance.now() - started) / 1000, ...tokensOf(results) };
  };
  const lanes = Math.max(1, parallel);
  await model.generate({ prompt: probePrompt(rng, 8), maxTokens: 1, temperature: 0, stop: 'none', signal });
  const heavy = await timed(Array.from({ length: lanes }, () => ({ prompt: probePrompt(rng, 120), maxTokens: 1, temperature: 0, stop: 'none' as const })));
  const light = await timed(Array.from({ length: lanes }, () => ({ prompt: probePrompt(rng, 4), maxTokens: 24, temperature: 0, stop: 'none' as const })));
  // seconds = prompt / pp + generated / gen, for both batches.
  const det = heavy.prompt * light.generated - light.prompt * heavy.generated;
  let perPrompt = det !== 0 ? (heavy.seconds * light.generated - light.seconds * heavy.generated) / det : NaN;
  let perGenerated = det !== 0 ? (heavy.prompt * light.seconds - light.prompt * heavy.seconds) / det : NaN;
  if (!(perPrompt > 0) || !(perGenerated > 0)) {
    // Noisy timings on a busy machine: charge each batch to what dominates it.
    perPrompt = heavy.seconds / Math.max(1, heavy.prompt);
    perGenerated = light.seconds / Math.max(1, light.generated);
  }
  return { promptPerSecond: 1 / perPrompt, generatedPerSecond: 1 / perGenerated, source: 'probe' };
}

/** The probe corrected by how far the last projection on this model was off (measured / projected wall time). */
export function calibrated(speed: Speed, calibration: number | null): Speed {
  if (calibration === null || !(calibration > 0) || speed.source === 'assumed') return speed;
  return { promptPerSecond: speed.promptPerSecond / calibration, generatedPerSecond: speed.generatedPerSecond / calibration, source: 'probe, calibrated by the last run' };
}
