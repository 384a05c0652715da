import path from 'node:path';
import {
  MIN_EXAMPLES,
  UserError,
  checkExpected,
  checkGgufFile,
  collectExamples,
  createEvolutionGenerator,
  evolutionSettings,
  formatPlan,
  loadCatalog,
  type Engine,
  type EvolutionGenerator,
  type EvolutionResult,
  type EvolutionSettings,
  type OperatorName,
} from '../../../engine';
import { Interrupted } from '../errors';
import type { CliIo } from '../output';
import { pct } from '../output';
import { ProgressView } from '../progress-view';

export interface EvolveCliOptions {
  settings?: Partial<EvolutionSettings>;
  /** Do not ask before starting. */
  yes?: boolean;
  fresh?: boolean;
}

/**
 * Everything an evolution of `skill` needs, checked before a model is loaded or a run starts: the skill (evolvable,
 * turned on, no A/B test running, its version file usable), enough feedback to learn from, and a model file that is
 * there, is a GGUF and (for a catalog model) is the file the catalog pins. Returns the model file.
 */
export async function preflightEvolution(engine: Engine, skill: string, settings: Partial<EvolutionSettings> = {}): Promise<string> {
  engine.checkEvolvable(skill);
  const located = engine.models.locate();
  if (!located.path) throw engine.models.missingError();
  const run = evolutionSettings(engine.ctx.config.config, settings);
  const { examples } = collectExamples(engine.tasks, skill, run.evaluationSamples, run.finalEvaluationSamples);
  if (examples.length < MIN_EXAMPLES) {
    throw new UserError(
      `evolving ${skill} needs at least ${MIN_EXAMPLES} tasks with feedback and a known expected output ` +
        `(has ${examples.length}); record feedback first`,
      { code: 'too_few_examples' },
    );
  }
  // The pinned size and hash, then the GGUF header (node-llama-cpp is imported, nothing is loaded): a wrong or
  // damaged file fails here, not mid-run.
  await checkExpected(located.path, located.source ?? 'config', { dataDir: engine.dataDir }, loadCatalog());
  await checkGgufFile(located.path);
  return located.path;
}

/**
 * Runs fn with a PromptBreeder generator plugged into the engine: a progress line on stderr from the first moment
 * (loading the model, building the first population, each generation), the projection printed (and confirmed at a
 * terminal unless --yes) before any model call, and Ctrl-C cancelling cleanly: the checkpoint is kept and the
 * command exits 130 (a second Ctrl-C quits at once).
 */
export async function withEvolution<T>(
  engine: Engine,
  io: CliIo,
  options: EvolveCliOptions,
  fn: (generator: EvolutionGenerator) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const view = new ProgressView(io.errStream ?? { isTTY: false, write: (text) => io.err(text.replace(/\n$/, '')) });
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    view.pause();
    io.err('Cancelling after the calls in flight… (the checkpoint is kept; Ctrl-C again quits at once)');
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  const generator = createEvolutionGenerator(engine, {
    settings: options.settings,
    fresh: options.fresh,
    signal: controller.signal,
    onProgress: (progress) => view.update(progress),
    onPlan: async (plan) => {
      view.pause();
      for (const line of formatPlan(plan)) io.err(line);
      const go = options.yes || !io.confirm ? true : await io.confirm('Start the evolution?');
      if (go) {
        view.setPlan(plan);
        const fresh = plan.resumeFrom === null;
        view.status(fresh ? `building the first population 1/${plan.populationSize}` : `resuming after generation ${plan.resumeFrom}`);
      }
      return go;
    },
  });
  engine.setVariantGenerator(generator.generate);
  const modelFile = engine.models.locate().path;
  view.status(`loading the model ${modelFile ? path.basename(modelFile) : ''}`.trim());
  try {
    return await fn(generator);
  } catch (error) {
    if (interrupts > 0) {
      const detail = error instanceof Error && /cancelled after generation (-?\d+)/.exec(error.message);
      if (!detail || Number(detail[1]) < 0) throw new Interrupted('interrupted before the evolution started; nothing to resume');
      throw new Interrupted(`interrupted after generation ${detail[1]}; the checkpoint is kept: run the same command to resume`);
    }
    throw error;
  } finally {
    view.finish();
    process.off('SIGINT', onSigint);
    engine.setVariantGenerator(null);
    await engine.models.unload();
  }
}

export interface EvolveDecision {
  evolve: boolean;
  reason: string;
}

/** Whether `monitor run` may start evolutions: --evolve / --no-evolve, else a question at a terminal, else no. */
export async function decideEvolve(io: CliIo, flag: boolean | undefined, triggered: string[]): Promise<EvolveDecision> {
  if (flag === false) return { evolve: false, reason: '--no-evolve' };
  if (flag === true) return { evolve: true, reason: '--evolve' };
  if (triggered.length === 0) return { evolve: false, reason: 'no skill triggered' };
  if (!io.confirm) return { evolve: false, reason: 'not asked: no terminal (pass --evolve to start evolutions from scripts)' };
  const yes = await io.confirm(`${triggered.join(', ')} triggered an evolution (a long model run). Start it now?`);
  return { evolve: yes, reason: yes ? 'confirmed at the terminal' : 'declined at the terminal' };
}

/** For `monitor run --evolve`: a generator when a model is installed (loaded only if an evolution starts). */
export async function withOptionalEvolution<T>(engine: Engine, io: CliIo, fn: () => Promise<T>): Promise<T> {
  if (!engine.models.available()) return fn();
  return withEvolution(engine, io, { yes: true }, () => fn());
}

const LABELS: Record<OperatorName, string> = {
  direct: 'direct',
  first_order: 'first-order',
  crossover: 'crossover',
  zero_order: 'zero-order',
  hypermutation: 'hypermutation',
  lamarckian: 'lamarckian',
  few_shot: 'few-shot',
  transfer: 'transfer',
};

export function renderEvolution(r: EvolutionResult): string[] {
  const c = r.counters;
  const lookups = c.cacheHits + c.evaluationCalls;
  const ops = (Object.keys(LABELS) as OperatorName[])
    .filter((op) => r.operators[op].attempts > 0)
    .map((op) => {
      const s = r.operators[op];
      const rejected = Object.entries(s.rejected)
        .map(([reason, n]) => `${reason.replace(/_/g, ' ')} ${n}`)
        .join(', ');
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
