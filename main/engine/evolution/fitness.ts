import { throwIfAborted } from '../llm/abort';
import { deferred } from '../util/deferred';
import { Lanes } from '../util/lanes';
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
 * pair is looked up in the cache first. The rest run in `parallel` lanes, one prompt's examples of a call
 * together on one lane: the runtime batches the lanes' concurrent requests, and a sequence that just ran a
 * prompt only evaluates the new input's tokens. Callers may score at the same time (a round's matches race
 * each on its own): they share the lanes, so none waits for another's slowest evaluation, and a pair already
 * being scored for one caller is awaited by the next instead of run twice. Each score is stored as soon as it
 * exists, so a kill loses only the calls in flight and nothing stored is ever run again.
 */
export class FitnessEvaluator {
  private readonly lanes: Lanes;
  private readonly inFlight = new Map<string, Promise<number>>();
  /** A fatal failure of one lane: jobs still waiting give up instead of running. */
  private failure: { error: unknown } | null = null;
  private busySeen = 0;

  constructor(private readonly o: EvaluatorOptions) {
    this.lanes = new Lanes(Math.max(1, o.parallel));
  }

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
    const fresh = todo.filter(([key]) => !this.inFlight.has(key));
    if (this.lanes.running === 0) this.failure = null;
    this.o.budget.reserve(fresh.length, 'evaluation');
    for (const group of groupByUnit(fresh)) this.enqueue(group);
    const settled = await Promise.allSettled(todo.map(async ([key]) => scores.set(key, await this.inFlight.get(key)!)));
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    return scores;
  }

  /** One prompt's pairs, one after another on one lane; each pair's score is awaitable from the moment it is queued. */
  private enqueue(group: readonly [string, { unit: Scored; example: Example }][]): void {
    const results = group.map(() => deferred<number>());
    group.forEach(([key], i) => {
      this.inFlight.set(key, results[i].promise);
      // Whoever awaits it sees the rejection; this only keeps an unawaited one from being reported as unhandled.
      results[i].promise.catch(() => undefined);
    });
    void this.lanes
      .run(async () => {
        for (const [i, [, pair]] of group.entries()) {
          try {
            if (this.failure) throw this.failure.error;
            throwIfAborted(this.o.signal);
            results[i].resolve(await this.runOne(pair));
          } catch (error) {
            this.failure ??= { error };
            results[i].reject(error);
          } finally {
            this.o.budget.release(1);
          }
        }
      })
      .finally(() => {
        for (const [key] of group) this.inFlight.delete(key);
        const busy = this.lanes.busyMs;
        this.o.counters.evaluationMs += busy - this.busySeen;
        this.busySeen = busy;
      });
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

/** Pairs grouped by prompt, in the order each prompt first appears. */
function groupByUnit<T extends { unit: Scored }>(todo: readonly [string, T][]): [string, T][][] {
  const groups = new Map<string, [string, T][]>();
  for (const item of todo) {
    const group = groups.get(item[1].unit.hash) ?? [];
    group.push(item);
    groups.set(item[1].unit.hash, group);
  }
  return [...groups.values()];
}

/** A failure of this one request that would repeat on every try (the runtime's prompt_too_long), not of the model. */
export const isRequestError = (error: unknown): boolean => isUserError(error) && error.code === 'prompt_too_long';
