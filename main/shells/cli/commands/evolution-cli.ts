import type { Engine } from '../../../engine/engine';
import { createEvolutionGenerator, type EvolutionGenerator } from '../../../engine/evolution/generator';
import { formatPlan } from '../../../engine/evolution/plan';
import { createProgressPrinter } from '../../../engine/evolution/progress';
import type { EvolutionResult } from '../../../engine/evolution/run';
import type { EvolutionSettings, OperatorName } from '../../../engine/evolution/types';
import type { CliIo } from '../output';
import { pct } from '../output';

export interface EvolveCliOptions {
  settings?: Partial<EvolutionSettings>;
  /** Do not ask before starting. */
  yes?: boolean;
  fresh?: boolean;
}

/**
 * Runs fn with a PromptBreeder generator plugged into the engine: the projection is printed (and confirmed
 * at a terminal unless --yes) before any model call, progress goes to stderr, and Ctrl-C cancels cleanly,
 * leaving a checkpoint the next run resumes from (a second Ctrl-C quits at once).
 */
export async function withEvolution<T>(engine: Engine, io: CliIo, options: EvolveCliOptions, fn: (generator: EvolutionGenerator) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const printer = createProgressPrinter(io.errStream ?? { isTTY: false, write: (text) => io.err(text.replace(/\n$/, '')) });
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    printer.done();
    io.err('Cancelling after the calls in flight… (the checkpoint is kept; Ctrl-C again quits at once)');
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  const generator = createEvolutionGenerator(engine, {
    settings: options.settings,
    fresh: options.fresh,
    signal: controller.signal,
    onProgress: (progress) => printer.update(progress),
    onPlan: async (plan) => {
      printer.done();
      for (const line of formatPlan(plan)) io.err(line);
      return options.yes || !io.confirm ? true : io.confirm('Start the evolution?');
    },
  });
  engine.setVariantGenerator(generator.generate);
  try {
    return await fn(generator);
  } finally {
    printer.done();
    process.off('SIGINT', onSigint);
    engine.setVariantGenerator(null);
    await engine.models.unload();
  }
}

/** For `monitor run`: evolutions the monitor triggers use the model when one is installed (loaded only if one starts). */
export async function withOptionalEvolution<T>(engine: Engine, io: CliIo, fn: () => Promise<T>): Promise<T> {
  if (!engine.models.available()) return fn();
  return withEvolution(engine, io, { yes: true }, () => fn());
}

const LABELS: Record<OperatorName, string> = {
  direct: 'direct', first_order: 'first-order', crossover: 'crossover', zero_order: 'zero-order',
  hypermutation: 'hypermutation', lamarckian: 'lamarckian', few_shot: 'few-shot',
};

export function renderEvolution(r: EvolutionResult): string[] {
  const c = r.counters;
  const lookups = c.cacheHits + c.evaluationCalls;
  const ops = (Object.keys(LABELS) as OperatorName[])
    .filter((op) => r.operators[op].attempts > 0)
    .map((op) => {
      const s = r.operators[op];
      const rejected = Object.entries(s.rejected).map(([reason, n]) => `${reason} ${n}`).join(', ');
      return `  ${LABELS[op].padEnd(14)} ${s.accepted}/${s.attempts} accepted${s.repaired ? ` (${s.repaired} repaired)` : ''}${rejected ? `; rejected: ${rejected}` : ''}; improved on parent ${s.improvements}/${s.judged}`;
    });
  return [
    `Evolution run ${r.runId}: ${r.generations} generations${r.resumedFrom !== null ? ` (resumed after generation ${r.resumedFrom})` : ''}${r.stoppedEarly ? ', stopped early: max_llm_calls reached' : ''}, ${(r.wallMs / 1000).toFixed(1)} s`,
    `Model calls: ${c.llmCalls} uncached (${c.evaluationCalls} evaluations, ${c.mutationCalls} mutations), ${c.cacheHits} cache hits (${lookups ? pct(c.cacheHits / lookups) : 'n/a'}), ${c.replayedCalls} replayed; tokens ${c.promptTokens} prompt + ${c.generatedTokens} generated`,
    'Operators:',
    ...ops,
    `Best variant ${pct(r.bestFitness)} vs current prompt ${pct(r.currentFitness)} on ${r.finalExamples} held-out examples${r.needsReview ? ' — flagged for review' : ''}`,
    ...(r.reviewReason ? [`Review: ${r.reviewReason}`] : []),
    ...(r.examples.note ? [`Note: ${r.examples.note}`] : []),
  ];
}
