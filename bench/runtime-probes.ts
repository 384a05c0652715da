// Raw node-llama-cpp measurements for bench:runtime: memory per context setup (in a child process each, so one
// setup's freed pages do not hide the next one's), prompt and generation speed per thread count, batching, flash
// attention, KV cache type and batch size. Speed figures are tokens per CPU-second of this process (what a shared
// machine cannot distort much) and tokens per wall second, with the load of the rest of the machine beside them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { getLlama, LlamaLogLevel, type LlamaContextOptions, type LlamaModel, type Token } from 'node-llama-cpp';
import { APP_ROOT } from '../main/engine/data-paths';
import { DraftTokenPredictor } from '../main/engine/llm/draft-predictor';
import { contextSettings, kvTypeFor } from '../main/engine/llm/runtime-load';
import type { KvCacheType } from '../main/engine/llm/types';
import { startMeter, type Measured } from './cpu-meter';

export interface MemorySetup {
  label: string;
  contexts: number;
  sequences: number;
  contextSize: number;
  kv: KvCacheType;
  batchSize?: number;
}

export type MemoryOutcome = MemoryResult | { skipped: string };

export interface MemoryResult {
  baseMb: number;
  loadedMb: number;
  contextsMb: number;
  promptedMb: number;
  peakMb: number;
  loadMs: number;
}

const status = (key: string): number =>
  Number(new RegExp(`${key}:\\s+(\\d+)`).exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

/** In the child: load, create the contexts, fill every sequence with a 600-token prompt; RSS at each step. */
export async function memoryChild(modelPath: string, setup: MemorySetup): Promise<MemoryOutcome> {
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const baseMb = status('VmRSS');
  const started = performance.now();
  const model = await llama.loadModel({ modelPath });
  const loadMs = performance.now() - started;
  const loadedMb = status('VmRSS');
  const { kvCacheType, ...settings } = contextSettings({ kvCacheType: kvTypeFor(model, setup.kv), batchSize: setup.batchSize });
  if (kvCacheType !== setup.kv) return { skipped: `${setup.kv} needs a head size divisible by 32` };
  const perContext = Math.ceil(setup.sequences / setup.contexts);
  const contexts = [];
  for (let i = 0; i < setup.contexts; i++)
    contexts.push(await model.createContext({ sequences: perContext, contextSize: setup.contextSize, threads: 1, ...settings }));
  const contextsMb = status('VmRSS');
  const text = benchText(model, 700);
  await Promise.all(
    contexts.flatMap((context) =>
      Array.from({ length: perContext }, (_, i) =>
        context.getSequence().evaluateWithoutGeneratingNewTokens(text.slice(i, i + Math.min(600, setup.contextSize - 8))),
      ),
    ),
  );
  return { baseMb, loadedMb, contextsMb, promptedMb: status('VmRSS'), peakMb: status('VmHWM'), loadMs };
}

/** Runs memoryChild in a fresh process (`--memory-child`), returning its JSON. */
export function measureMemory(modelPath: string, setup: MemorySetup): MemoryOutcome {
  const child = spawnSync(
    process.execPath,
    [
      path.join(APP_ROOT, 'bin', 'run-ts.mjs'),
      path.join(APP_ROOT, 'bench', 'runtime-bench.ts'),
      '--memory-child',
      JSON.stringify({ modelPath, setup }),
    ],
    {
      cwd: APP_ROOT,
      encoding: 'utf8',
    },
  );
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as MemoryOutcome;
  } catch {
    throw new Error(`memory child failed: ${child.stderr.trim() || child.stdout.trim()}`);
  }
}

/** Realistic English tokens (the README) to evaluate. */
export function benchText(model: LlamaModel, tokens: number): Token[] {
  const text = fs.readFileSync(path.join(APP_ROOT, 'README.md'), 'utf8');
  return model.tokenize(text.repeat(Math.ceil((tokens * 8) / text.length) + 1)).slice(0, tokens);
}

export interface Rate {
  perCpuS: number;
  perWallS: number;
  measured: Measured;
}

const rate = (tokens: number, m: Measured): Rate => ({ perCpuS: tokens / Math.max(1e-9, m.cpuS), perWallS: tokens / m.wallS, measured: m });

type ContextSetup = Pick<
  LlamaContextOptions,
  'threads' | 'flashAttention' | 'batchSize' | 'experimentalKvCacheKeyType' | 'experimentalKvCacheValueType'
>;

/** Prompt processing: `tokens` tokens into a fresh sequence. */
export async function promptRate(model: LlamaModel, setup: ContextSetup, tokens: number, offset = 0): Promise<Rate> {
  const context = await model.createContext({ sequences: 1, contextSize: Math.max(512, tokens + 64), ...setup });
  try {
    const text = benchText(model, tokens + offset + 8);
    const sequence = context.getSequence();
    await sequence.evaluateWithoutGeneratingNewTokens(text.slice(0, 8));
    await sequence.clearHistory();
    const stop = startMeter();
    await sequence.evaluateWithoutGeneratingNewTokens(text.slice(offset, offset + tokens));
    return rate(tokens, stop());
  } finally {
    await context.dispose();
  }
}

/** Generation: `sequences` sequences in one context, each after a `prefill`-token prompt, `generate` tokens each. */
export async function generationRate(
  model: LlamaModel,
  setup: ContextSetup,
  sequences: number,
  generate: number,
  prefill = 64,
): Promise<Rate> {
  const context = await model.createContext({ sequences, contextSize: prefill + generate + 64, ...setup });
  try {
    const text = benchText(model, prefill + sequences + 1);
    const all = Array.from({ length: sequences }, () => context.getSequence());
    await Promise.all(all.map((s, i) => s.evaluateWithoutGeneratingNewTokens(text.slice(i, i + prefill))));
    const stop = startMeter();
    await Promise.all(
      all.map(async (s, i) => {
        let n = 0;
        for await (const token of s.evaluate([text[prefill + i]], { temperature: 0 })) {
          void token;
          if (++n >= generate) break;
        }
      }),
    );
    return rate(sequences * generate, stop());
  } finally {
    await context.dispose();
  }
}

/** A skill-like call on one fresh sequence: `prompt` tokens then `generate` tokens (what one evaluation costs). */
export async function callRate(model: LlamaModel, setup: ContextSetup, prompt: number, generate: number): Promise<Rate> {
  const context = await model.createContext({ sequences: 1, contextSize: Math.max(512, prompt + generate + 64), ...setup });
  try {
    const text = benchText(model, prompt + 1);
    const sequence = context.getSequence();
    const stop = startMeter();
    await sequence.evaluateWithoutGeneratingNewTokens(text.slice(0, prompt - 1));
    let n = 0;
    for await (const token of sequence.evaluate([text[prompt - 1]], { temperature: 0 })) {
      void token;
      if (++n >= generate) break;
    }
    return rate(prompt + generate, stop());
  } finally {
    await context.dispose();
  }
}

/** Context settings for a KV type, or null when the model cannot take it. */
export const kvSetup = (model: LlamaModel, kv: KvCacheType, flashAttention?: boolean): ContextSetup | null => {
  const { kvCacheType, ...settings } = contextSettings({ kvCacheType: kvTypeFor(model, kv), flashAttention });
  return kvCacheType === kv ? settings : null;
};

export interface DraftCost {
  none: Measured;
  right: Measured;
  wrong: Measured;
  /** Draft tokens confirmed of a right draft; a wrong one's refuted. */
  accepted: number;
  refuted: number;
}

/**
 * What a draft changes in one evaluation-like call: a warm `prefix`, then `tail` new prompt tokens and `generate`
 * answer tokens, with no draft, with the answer itself as the draft (the exact tokens the model writes) and with a
 * wrong one. Runs on one sequence made with the runtime's DraftTokenPredictor.
 */
export async function draftCost(
  model: LlamaModel,
  setup: ContextSetup,
  prefix: number,
  tail: number,
  generate: number,
): Promise<DraftCost> {
  const context = await model.createContext({ sequences: 1, contextSize: prefix + tail + 2 * generate + 64, ...setup });
  try {
    const predictor = new DraftTokenPredictor();
    const sequence = context.getSequence({ tokenPredictor: predictor });
    const text = benchText(model, prefix + tail + generate);
    await sequence.evaluateWithoutGeneratingNewTokens(text.slice(0, prefix));
    const answer = async (draft: Token[]) => {
      predictor.setDraft(draft, generate);
      const before = sequence.tokenPredictions;
      const stop = startMeter();
      const tokens: Token[] = [];
      for await (const token of sequence.evaluate(text.slice(prefix, prefix + tail), { temperature: 0 })) {
        tokens.push(token);
        if (tokens.length >= generate) break;
      }
      const measured = stop();
      const after = sequence.tokenPredictions;
      await sequence.eraseContextTokenRanges([{ start: prefix, end: sequence.nextTokenIndex }]);
      return { tokens, measured, accepted: after.used - before.used, refuted: after.refuted - before.refuted };
    };
    const none = await answer([]);
    const right = await answer(none.tokens);
    const wrong = await answer(text.slice(prefix + tail, prefix + tail + generate));
    if (right.tokens.join() !== none.tokens.join() || wrong.tokens.join() !== none.tokens.join())
      throw new Error('a draft changed the answer');
    return { none: none.measured, right: right.measured, wrong: wrong.measured, accepted: right.accepted, refuted: wrong.refuted };
  } finally {
    await context.dispose();
  }
}
