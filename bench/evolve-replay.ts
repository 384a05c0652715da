// What an evolution costs on a real-sized model when its decisions come from the graded stand-in: the requests the
// run makes (the real skill prompts and mutation templates) are also sent to LlamaRuntime on the benchmark model,
// generating exactly as many tokens as the stand-in's answer has (plus the one that ends it). The run follows the
// stand-in (whose prompts' true fitness is known); the CPU and wall time are the model's.
//
// A full replay of the design configuration takes hours of CPU on a shared 2-core machine, so a replay may pay for
// a window of calls only (the initial population, a stretch of generations, the start of the final ranking): each
// phase's CPU-seconds per call are measured there and multiplied by the run's exact call counts per phase.
import os from 'node:os';
import { gradedModel } from '../main/engine/evolution/graded-stand-in';
import type { EvolutionPhase, EvolutionSettings } from '../main/engine/evolution/types';
import { linkSignals } from '../main/engine/llm/abort';
import { LlamaRuntime, type RuntimeOptions } from '../main/engine/llm/runtime';
import type { GenerateRequest, GenerateResult, RuntimeStats, TextModel } from '../main/engine/llm/types';
import { startMeter, type Measured } from './cpu-meter';
import { CASES, evolveOnce, type SimOutcome } from './evolve-sim';

/**
 * Calls a replay pays for: `evolving` evaluations of the generations from the `from`-th, `final` of the ranking; the
 * initial population's evaluations (all, or the first `initial`); mutations (all that fall in the evaluations' window,
 * or `mutations` of them from the `mutationsFrom`-th, wherever they happen).
 */
export interface PayWindow {
  from: number;
  evolving: number;
  final: number;
  initial?: number;
  mutationsFrom?: number;
  mutations?: number;
}

type Kind = 'initial' | 'evaluation' | 'mutation' | 'final';
export interface PhaseCost {
  calls: number;
  paid: number;
  cpuS: number;
}

export class CostReplayModel implements TextModel {
  phase: EvolutionPhase = 'initialising';
  readonly costs: Record<Kind, PhaseCost> = { initial: zero(), evaluation: zero(), mutation: zero(), final: zero() };
  private evolvingCalls = 0;
  private finalCalls = 0;
  private initialCalls = 0;
  private mutationCalls = 0;
  private inFlight: Kind[] = [];
  private lastCpu = process.cpuUsage();
  /** The runtime's sequences and contexts while the evolution held it. */
  evolutionLayout: { sequences: number; contexts: number } | null = null;

  constructor(
    private readonly decider: TextModel,
    private readonly runtime: LlamaRuntime,
    private readonly window: PayWindow | null,
  ) {}

  get id(): string {
    return this.decider.id;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    // The projection's speed probe (free text) runs on the model as it is.
    if (request.stop === undefined || request.stop === 'none') return this.runtime.generate(request);
    const answer = await this.decider.generate(request);
    const kind = this.kindOf(request);
    this.costs[kind].calls++;
    if (!this.pays(kind)) return answer;
    this.costs[kind].paid++;
    const tokens = answer.text === '' ? 0 : await this.runtime.countTokens(answer.text);
    this.enter(kind);
    try {
      const cost = await this.runtime.generate({ ...request, maxTokens: tokens + 1, onText: undefined });
      return {
        ...answer,
        promptTokens: cost.promptTokens,
        computedPromptTokens: cost.computedPromptTokens,
        generatedTokens: cost.generatedTokens,
        ms: cost.ms,
      };
    } finally {
      this.leave(kind);
    }
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

  cpuThreads(): number | null {
    return this.runtime.cpuThreads();
  }

  async beginEvolution(): Promise<() => Promise<void>> {
    const end = await this.runtime.beginEvolution();
    const info = this.runtime.info();
    this.evolutionLayout = info && { sequences: info.sequences, contexts: info.contexts };
    return end;
  }

  /** CPU-seconds the unpaid calls would have cost: each kind's CPU per paid call × its unpaid calls. */
  unpaidCpuS(): number {
    return Object.values(this.costs).reduce((sum, c) => sum + (c.paid > 0 ? (c.cpuS / c.paid) * (c.calls - c.paid) : 0), 0);
  }

  private kindOf(request: GenerateRequest): Kind {
    const evaluation = request.stop === 'line' || request.stop === 'lines';
    // With a mutation window, a mutation is one wherever it happens (the initial population's included).
    if (!evaluation && this.window?.mutations !== undefined) return 'mutation';
    if (this.phase === 'initialising') return 'initial';
    if (this.phase === 'final-evaluation') return 'final';
    return evaluation ? 'evaluation' : 'mutation';
  }

  private pays(kind: Kind): boolean {
    if (!this.window) return true;
    if (kind === 'initial') return this.window.initial === undefined || this.initialCalls++ < this.window.initial;
    if (kind === 'final') return this.finalCalls++ < this.window.final;
    if (kind === 'mutation' && this.window.mutations !== undefined) {
      const index = this.mutationCalls++;
      const from = this.window.mutationsFrom ?? 0;
      return index >= from && index < from + this.window.mutations;
    }
    const index = this.evolvingCalls++;
    return index >= this.window.from && index < this.window.from + this.window.evolving;
  }

  /** Process CPU since the last change of what is in flight goes to the kinds in flight (one kind at a time in a run). */
  private account(): void {
    const cpu = process.cpuUsage(this.lastCpu);
    this.lastCpu = process.cpuUsage();
    const seconds = (cpu.user + cpu.system) / 1e6;
    for (const kind of this.inFlight) this.costs[kind].cpuS += seconds / this.inFlight.length;
  }

  private enter(kind: Kind): void {
    this.account();
    this.inFlight.push(kind);
  }

  private leave(kind: Kind): void {
    this.account();
    this.inFlight.splice(this.inFlight.indexOf(kind), 1);
  }
}

const zero = (): PhaseCost => ({ calls: 0, paid: 0, cpuS: 0 });

export interface ReplayResult {
  label: string;
  measured: Measured;
  outcome: SimOutcome;
  costs: Record<Kind, PhaseCost>;
  /** CPU-seconds of the whole run: measured when every call was paid, else per-call costs × calls. */
  cpuS: number;
  sampled: boolean;
  runtime: Pick<
    RuntimeStats,
    'promptTokens' | 'computedPromptTokens' | 'generatedTokens' | 'requests' | 'draftTokensAccepted' | 'draftTokensRefuted'
  >;
  prefix: { restored: number; computed: number; resident: number } | null;
  /** The runtime's layout during the evolution, and the bench process's peak RSS (the model, its contexts, the stand-in). */
  layout: { contexts: number | null; sequences: number; peakRssMb: number };
}

/** One evolution decided by the graded stand-in and paid for (all of it, or a window) by `modelPath` through LlamaRuntime. */
export async function replay(
  label: string,
  modelPath: string,
  settings: Partial<EvolutionSettings>,
  runtimeOptions: Partial<RuntimeOptions>,
  seed: number,
  window: PayWindow | null = null,
): Promise<ReplayResult> {
  const runtime = new LlamaRuntime({
    modelPath,
    dataDir: os.tmpdir(),
    gpu: false,
    threads: 1,
    sequences: settings.parallel ?? 4,
    idleDisposeMs: 0,
    ...runtimeOptions,
  });
  await runtime.ensureLoaded();
  const model = new CostReplayModel(gradedModel(CASES), runtime, window);
  const stop = startMeter();
  try {
    const outcome = await evolveOnce(settings, seed, model, (p) => (model.phase = p.phase));
    const measured = stop();
    const stats = runtime.stats();
    const prefix = runtime.prefixStats();
    return {
      label,
      measured,
      outcome,
      costs: model.costs,
      cpuS: measured.cpuS + model.unpaidCpuS(),
      sampled: window !== null,
      runtime: {
        promptTokens: stats.promptTokens,
        computedPromptTokens: stats.computedPromptTokens,
        generatedTokens: stats.generatedTokens,
        requests: stats.requests,
        draftTokensAccepted: stats.draftTokensAccepted,
        draftTokensRefuted: stats.draftTokensRefuted,
      },
      prefix: prefix && { restored: prefix.restored, computed: prefix.computed, resident: prefix.resident },
      layout: {
        contexts: model.evolutionLayout?.contexts ?? null,
        sequences: model.evolutionLayout?.sequences ?? 0,
        peakRssMb: process.resourceUsage().maxRSS / 1024,
      },
    };
  } finally {
    await runtime.dispose();
  }
}
