import { throwIfAborted } from '../llm/abort';
import type { GenerateRequest, GenerateResult } from '../llm/types';
import { Lanes } from '../util/lanes';
import type { BreedDeps } from './breed';
import type { StoredCall } from './checkpoint';
import { isRequestError } from './fitness';

/** A mutation call's answer, or why it has none (a request too long for the context). */
export type CallOutcome = StoredCall | { error: string };

export const failedCall = (outcome: CallOutcome | undefined): outcome is { error: string } | undefined => !outcome || 'error' in outcome;

export interface MutationCall {
  /** Stable within the run (birth id and step), so a repeated generation replays the stored answer. */
  key: string;
  request: GenerateRequest;
}

/**
 * One breed's model calls for mutations, in `parallel` lanes shared by every batch it adds: a lane takes the next
 * call as soon as its own is done, so a batch added later (the calls that apply hypermutation's new mutation
 * prompts) queues behind the running ones instead of waiting for a whole batch to finish. A call this run already
 * made (the generation repeated after a crash) is replayed from evolution_calls; only new calls count against the
 * budget. A request too long for the context yields { error }; any other failure stops the lanes from taking new
 * calls, and every batch rejects with it once its own calls have settled.
 */
export class MutationCalls {
  private readonly lanes: Lanes;
  private fatal: { error: unknown } | null = null;
  private done = 0;
  private total = 0;

  constructor(private readonly deps: BreedDeps) {
    this.lanes = new Lanes(Math.max(1, deps.settings.parallel));
  }

  /** Wall time during which at least one call ran. */
  get busyMs(): number {
    return this.lanes.busyMs;
  }

  async run(calls: readonly MutationCall[]): Promise<CallOutcome[]> {
    const { deps } = this;
    const out: (CallOutcome | undefined)[] = calls.map((c) => deps.store.call(deps.runId, c.key) ?? undefined);
    // Same template next to each other: a sequence that just ran one reuses its prefix for the next.
    const head = (c: MutationCall) => c.request.prompt.slice(0, 80);
    const todo = calls
      .map((c, i) => ({ ...c, i }))
      .filter((c) => out[c.i] === undefined)
      .sort((a, b) => (head(a) < head(b) ? -1 : head(a) > head(b) ? 1 : a.i - b.i));
    deps.counters.replayedCalls += calls.length - todo.length;
    if (todo.length > 0) {
      // Reserved, not just checked: batches of one breed run at once and together must stay under the cap. A batch
      // that does not fit stops the others from starting new calls too.
      try {
        deps.budget.reserve(todo.length, 'mutation');
      } catch (error) {
        this.fatal ??= { error };
        throw error;
      }
      this.total += todo.length;
      let unspent = todo.length;
      try {
        await Promise.all(
          todo.map((c) =>
            this.lanes.run(async () => {
              if (this.fatal) return;
              try {
                throwIfAborted(deps.signal);
                out[c.i] = await this.call(c);
              } catch (error) {
                // Set before the lane passes to the next queued call, which then sees it and stops.
                this.fatal ??= { error };
                return;
              }
              deps.budget.release(1);
              unspent--;
              deps.onCallsDone?.(++this.done, this.total);
            }),
          ),
        );
      } finally {
        deps.budget.release(unspent);
      }
    }
    if (this.fatal) throw this.fatal.error;
    return out.map((r) => r ?? { error: 'no result' });
  }

  private async call(c: MutationCall): Promise<CallOutcome> {
    const { deps } = this;
    let result: GenerateResult;
    try {
      result = await deps.model.generate({ ...c.request, signal: deps.signal });
    } catch (error) {
      // A request too long for the context fails by itself; anything else is fatal (see the class comment).
      if (!isRequestError(error)) throw error;
      deps.counters.errors++;
      return { error: (error as Error).message };
    }
    const call: StoredCall = {
      text: result.text,
      stopReason: result.stopReason,
      promptTokens: result.promptTokens,
      generatedTokens: result.generatedTokens,
    };
    deps.store.putCalls(deps.runId, [{ key: c.key, result: call }]);
    deps.counters.llmCalls++;
    deps.counters.mutationCalls++;
    deps.counters.promptTokens += call.promptTokens;
    deps.counters.generatedTokens += call.generatedTokens;
    deps.budget.spend(1);
    return call;
  }
}
