import { throwIfAborted } from '../llm/abort';
import { isUserError } from '../util/errors';
import type { TextModel } from '../llm/types';
import type { Scorer } from '../skills/scorers';
import type { OutputKind } from '../skills/skill-file';
import type { Budget } from './budget';
import type { Mistake } from './data';
import { pairKey, type FitnessCache, type NewScore } from './fitness-cache';
import { runSkillPairs, type SkillRun } from './skill-runner';
import type { Example, RunCounters } from './types';

export interface Scored {
  hash: string;
  prompt: string;
}

export interface EvaluatorOptions {
  model: TextModel;
  kind: OutputKind;
  scorer: Scorer;
  cache: FitnessCache;
  runId: string | null;
  budget: Budget;
  counters: RunCounters;
  /** Lanes run at once (the runtime's sequences). */
  parallel: number;
  maxTokens: number | null;
  signal?: AbortSignal;
  now: () => string;
}

/**
 * Fitness = mean scorer score of the skill run with a candidate prompt on examples. Every (prompt, example)
 * pair is looked up in the cache first. The rest run in `parallel` lanes, one prompt's examples always on
 * the same lane: the runtime batches the lanes' concurrent requests, and a sequence that just ran a prompt
 * only evaluates the new input's tokens (llama.cpp keeps the shared prefix), whereas spreading one prompt
 * over every sequence pays for its prefix once per sequence. Each score is stored as soon as it exists, so
 * a kill loses only the calls in flight and nothing stored is ever run again.
 */
export class FitnessEvaluator {
  constructor(private readonly o: EvaluatorOptions) {}

  /** Scores by pairKey for every requested pair. Throws BudgetExhausted before running when the uncached pairs do not fit. */
  async score(pairs: readonly { unit: Scored; example: Example }[]): Promise<Map<string, number>> {
    const unique = new Map<string, { unit: Scored; example: Example }>();
    for (const pair of pairs) unique.set(pairKey(pair.unit.hash, pair.example.id), pair);
    const cached = this.o.cache.lookup(
      this.modelId,
      [...unique.values()].map((p) => ({ promptHash: p.unit.hash, exampleId: p.example.id })),
    );
    const scores = new Map<string, number>();
    for (const [key, hit] of cached) scores.set(key, hit.score);
    this.o.counters.cacheHits += cached.size;
    const todo = [...unique.entries()].filter(([key]) => !cached.has(key));
    if (todo.length === 0) return scores;
    this.o.budget.ensure(todo.length, 'evaluation');
    const lanes = assignLanes(todo, this.o.parallel);
    const started = performance.now();
    try {
      const settled = await Promise.allSettled(
        lanes.map(async (lane) => {
          for (const [key, pair] of lane) {
            throwIfAborted(this.o.signal);
            scores.set(key, await this.runOne(pair));
          }
        }),
      );
      const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failure) throw failure.reason;
    } finally {
      this.o.counters.evaluationMs += performance.now() - started;
    }
    return scores;
  }

  /** Whether the pair is in the fitness cache (it would cost nothing to score). */
  isCached(promptHash: string, exampleId: string): boolean {
    return this.o.cache.lookup(this.modelId, [{ promptHash, exampleId }]).size > 0;
  }

  /** Mean cached score of a prompt on the given examples it has met; n = how many. */
  estimate(unit: Scored, examples: ReadonlySet<string>): { mean: number | null; n: number } {
    const rows = this.o.cache.scoresOf(this.modelId, unit.hash, examples);
    if (rows.length === 0) return { mean: null, n: 0 };
    return { mean: rows.reduce((sum, row) => sum + row.score, 0) / rows.length, n: rows.length };
  }

  /** Examples a prompt got wrong, with its answer: what the direct operator shows. */
  mistakes(unit: Scored, examples: readonly Example[]): Mistake[] {
    const byId = new Map(examples.map((e) => [e.id, e]));
    return this.o.cache
      .scoresOf(this.modelId, unit.hash, new Set(byId.keys()))
      .filter((row) => row.score < 1)
      .sort((a, b) => a.score - b.score)
      .map((row) => ({ input: byId.get(row.exampleId)!.input, output: row.output, expected: byId.get(row.exampleId)!.expected }));
  }

  get modelId(): string {
    return this.o.model.id;
  }

  /** One evaluation, stored at once. A prompt longer than the context scores 0, uncached; any other failure ends the run (resumable). */
  private async runOne(pair: { unit: Scored; example: Example }): Promise<number> {
    let run: SkillRun;
    try {
      // The person's answer as a draft: where the prompt gets it right, its tokens are checked in one batch.
      const evaluation = { template: pair.unit.prompt, input: pair.example.input, draft: pair.example.expected };
      [run] = await runSkillPairs(this.o.model, { output: this.o.kind }, [evaluation], {
        signal: this.o.signal,
        maxTokens: this.o.maxTokens,
      });
    } catch (error) {
      if (!isRequestError(error)) throw error;
      this.o.counters.errors++;
      return 0;
    }
    const score = this.o.scorer(run.output, pair.example.expected).score;
    const stored: NewScore = {
      promptHash: pair.unit.hash,
      exampleId: pair.example.id,
      score,
      output: run.output,
      promptTokens: run.result.promptTokens,
      generatedTokens: run.result.generatedTokens,
    };
    this.o.cache.put(this.modelId, this.o.runId, [stored], this.o.now());
    const c = this.o.counters;
    c.llmCalls++;
    c.evaluationCalls++;
    c.promptTokens += stored.promptTokens;
    c.generatedTokens += stored.generatedTokens;
    this.o.budget.spend(1);
    return score;
  }
}

/** Splits pairs into lanes, each prompt's pairs whole on one lane, biggest groups first onto the emptiest lane. */
export function assignLanes<T extends { unit: Scored }>(todo: readonly [string, T][], parallel: number): [string, T][][] {
  const groups = new Map<string, [string, T][]>();
  for (const item of todo) {
    const group = groups.get(item[1].unit.hash) ?? [];
    group.push(item);
    groups.set(item[1].unit.hash, group);
  }
  const lanes: [string, T][][] = Array.from({ length: Math.max(1, Math.min(parallel, groups.size)) }, () => []);
  for (const group of [...groups.values()].sort((a, b) => b.length - a.length)) {
    lanes.reduce((min, lane) => (lane.length < min.length ? lane : min)).push(...group);
  }
  return lanes;
}

/** A failure of this one request that would repeat on every try (the runtime's prompt_too_long), not of the model. */
export const isRequestError = (error: unknown): boolean => isUserError(error) && error.code === 'prompt_too_long';
