// What an evolution costs on a real-sized model when its decisions come from the graded stand-in: every request the
// run makes (the real skill prompts and mutation templates) is also sent to LlamaRuntime on the benchmark model,
// generating exactly as many tokens as the stand-in's answer has (plus the one that ends it). The run follows the
// stand-in (whose prompts' true fitness is known); the CPU and wall time are the model's.
import { linkSignals } from '../main/engine/llm/abort';
import type { LlamaRuntime } from '../main/engine/llm/runtime';
import type { GenerateRequest, GenerateResult, TextModel } from '../main/engine/llm/types';

export class CostReplayModel implements TextModel {
  constructor(
    private readonly decider: TextModel,
    private readonly runtime: LlamaRuntime,
  ) {}

  get id(): string {
    return this.decider.id;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const answer = await this.decider.generate(request);
    const tokens = answer.text === '' ? 0 : await this.runtime.countTokens(answer.text);
    const cost = await this.runtime.generate({ ...request, maxTokens: tokens + 1, onText: undefined });
    return {
      ...answer,
      promptTokens: cost.promptTokens,
      computedPromptTokens: cost.computedPromptTokens,
      generatedTokens: cost.generatedTokens,
      ms: cost.ms,
    };
  }

  async generateBatch(requests: readonly GenerateRequest[], options: { signal?: AbortSignal } = {}): Promise<GenerateResult[]> {
    const links = requests.map((request) => linkSignals(request.signal, options.signal));
    try {
      return await Promise.all(requests.map((request, i) => this.generate({ ...request, signal: links[i].signal })));
    } finally {
      for (const link of links) link.release();
    }
  }

  countPromptTokens(request: Pick<GenerateRequest, 'system' | 'prompt'>): Promise<number> {
    return this.runtime.countPromptTokens(request);
  }
}

import os from 'node:os';
import { gradedModel } from '../main/engine/evolution/graded-stand-in';
import type { EvolutionSettings } from '../main/engine/evolution/types';
import { LlamaRuntime as Runtime, type RuntimeOptions } from '../main/engine/llm/runtime';
import { startMeter, type Measured } from './cpu-meter';
import { CASES, evolveOnce, type SimOutcome } from './evolve-sim';

export interface ReplayResult {
  label: string;
  measured: Measured;
  outcome: SimOutcome;
  runtime: { promptTokens: number; computedPromptTokens: number; generatedTokens: number; requests: number };
  prefix: { restored: number; computed: number; resident: number } | null;
}

/** One design-configuration evolution, decided by the graded stand-in and paid for by `modelPath` through LlamaRuntime. */
export async function replay(label: string, modelPath: string, settings: Partial<EvolutionSettings>, runtimeOptions: Partial<RuntimeOptions>, seed: number): Promise<ReplayResult> {
  const runtime = new Runtime({ modelPath, dataDir: os.tmpdir(), gpu: false, threads: 1, sequences: settings.parallel ?? 4, idleDisposeMs: 0, ...runtimeOptions });
  await runtime.ensureLoaded();
  const stop = startMeter();
  try {
    const outcome = await evolveOnce(settings, seed, new CostReplayModel(gradedModel(CASES), runtime));
    const measured = stop();
    const stats = runtime.stats();
    const prefix = runtime.prefixStats();
    return {
      label, measured, outcome,
      runtime: { promptTokens: stats.promptTokens, computedPromptTokens: stats.computedPromptTokens, generatedTokens: stats.generatedTokens, requests: stats.requests },
      prefix: prefix && { restored: prefix.restored, computed: prefix.computed, resident: prefix.resident },
    };
  } finally {
    await runtime.dispose();
  }
}
