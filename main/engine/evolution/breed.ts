import { idea } from '../learning/ideas';
import type { IdeaRef } from '../learning/types';
import { throwIfAborted } from '../llm/abort';
import { isRequestError } from './fitness';
import type { GenerateRequest, GenerateResult, TextModel } from '../llm/types';
import type { Rng } from '../util/random';
import type { Budget } from './budget';
import type { RunStore, StoredCall } from './checkpoint';
import { applyMutationPrompt, type MutationPlan, type OperatorContext } from './operators';
import { makeUnit } from './population';
import { promptSimilarity, stripTemplateEcho, validateMutant } from './validation';
import type { EvolutionSettings, MutationPromptEntry, OperatorName, OperatorStats, RejectionReason, RunCounters, Unit } from './types';

export interface Birth {
  id: string;
  op: OperatorName;
  parent: Unit | null;
  plan: MutationPlan;
  /** Member index the child would overwrite (the tournament's loser); null at initialisation. */
  slot: number | null;
  mutationPromptId: string | null;
}

export interface BreedDeps {
  model: TextModel;
  store: RunStore;
  runId: string;
  budget: Budget;
  counters: RunCounters;
  settings: EvolutionSettings;
  operators: Record<OperatorName, OperatorStats>;
  mutationPrompts: Map<string, MutationPromptEntry>;
  opCtx: () => OperatorContext;
  slotLine: string;
  maxPromptChars: number;
  signal?: AbortSignal;
  /** After each batch of new model calls: how many of this breed's calls are done (progress while a population is built). */
  onCallsDone?: (done: number, total: number) => void;
}

const MAX_MUTATION_PROMPT_CHARS = 400;

/**
 * Model calls for mutations, in `parallel` lanes. A call this run already made (the generation repeated after a
 * crash) is replayed from evolution_calls instead of run again; only new calls count against the budget.
 * A request too long for the context yields { error }; any other failure ends the run (resumable).
 */
export type CallOutcome = StoredCall | { error: string };

export const failedCall = (outcome: CallOutcome | undefined): outcome is { error: string } | undefined => !outcome || 'error' in outcome;

export async function callModel(deps: BreedDeps, calls: readonly { key: string; request: GenerateRequest }[]): Promise<CallOutcome[]> {
  const out: (CallOutcome | undefined)[] = calls.map((c) => deps.store.call(deps.runId, c.key) ?? undefined);
  // Same template next to each other: a sequence that just ran one reuses its prefix for the next.
  const todo = calls
    .map((c, i) => ({ ...c, i }))
    .filter((c) => out[c.i] === undefined)
    .sort((a, b) =>
      a.request.prompt.slice(0, 80) < b.request.prompt.slice(0, 80)
        ? -1
        : a.request.prompt.slice(0, 80) > b.request.prompt.slice(0, 80)
          ? 1
          : a.i - b.i,
    );
  deps.counters.replayedCalls += calls.length - todo.length;
  if (todo.length === 0) return out.map((r) => r ?? { error: 'no result' });
  deps.budget.ensure(todo.length, 'mutation');
  // `parallel` lanes take the next call as soon as their last one is done: mutations differ in length, and a
  // lane that waited for the slower of a pair would sit idle for the difference.
  let next = 0;
  let done = 0;
  let fatal: { error: unknown } | null = null;
  const lane = async (): Promise<void> => {
    while (next < todo.length && !fatal) {
      throwIfAborted(deps.signal);
      const c = todo[next++];
      let result: GenerateResult;
      try {
        result = await deps.model.generate({ ...c.request, signal: deps.signal });
      } catch (error) {
        // A request too long for the context fails by itself; anything else ends the run once the lanes are idle.
        if (!isRequestError(error)) throw error;
        deps.counters.errors++;
        out[c.i] = { error: (error as Error).message };
        deps.onCallsDone?.(++done, todo.length);
        continue;
      }
      const call: StoredCall = {
        text: result.text,
        stopReason: result.stopReason,
        promptTokens: result.promptTokens,
        generatedTokens: result.generatedTokens,
      };
      out[c.i] = call;
      deps.store.putCalls(deps.runId, [{ key: c.key, result: call }]);
      deps.counters.llmCalls++;
      deps.counters.mutationCalls++;
      deps.counters.promptTokens += call.promptTokens;
      deps.counters.generatedTokens += call.generatedTokens;
      deps.budget.spend(1);
      deps.onCallsDone?.(++done, todo.length);
    }
  };
  const began = performance.now();
  try {
    const lanes = Array.from({ length: Math.min(Math.max(1, deps.settings.parallel), todo.length) }, () =>
      lane().catch((error: unknown) => {
        fatal ??= { error };
      }),
    );
    await Promise.all(lanes);
  } finally {
    deps.counters.mutationMs += performance.now() - began;
  }
  if (fatal) throw (fatal as { error: unknown }).error;
  return out.map((r) => r ?? { error: 'no result' });
}

function reject(deps: BreedDeps, birth: Birth, generation: number, text: string, reason: RejectionReason, detail: string): null {
  const stats = deps.operators[birth.op];
  stats.rejected[reason] = (stats.rejected[reason] ?? 0) + 1;
  deps.store.recordUnit(deps.runId, {
    unit_id: birth.id,
    generation,
    operator: birth.op,
    parent_id: birth.parent?.id ?? null,
    mutation_prompt: birth.mutationPromptId ? (deps.mutationPrompts.get(birth.mutationPromptId)?.text ?? null) : null,
    prompt: text,
    prompt_hash: null,
    status: 'rejected',
    reason,
    detail,
  });
  return null;
}

function validateMutationPrompt(
  text: string,
  stopReason: StoredCall['stopReason'],
  existing: Iterable<MutationPromptEntry>,
  threshold: number,
): { reason: RejectionReason; detail: string } | null {
  if (text === '') return { reason: 'empty', detail: 'no mutation prompt' };
  if (stopReason === 'maxTokens') return { reason: 'truncated', detail: 'mutation prompt stopped at the token cap' };
  if (text.length > MAX_MUTATION_PROMPT_CHARS) return { reason: 'too_long', detail: `mutation prompt of ${text.length} characters` };
  for (const entry of existing) {
    const similarity = promptSimilarity(text, entry.text);
    if (similarity > threshold)
      return { reason: 'near_copy', detail: `mutation prompt ${(similarity * 100).toFixed(0)}% similar to ${entry.id}` };
  }
  return null;
}

/** The library entries a birth drew on: its operator, the mutation prompt it applied (if any), a thinking style or lesson. */
function ideasOf(deps: BreedDeps, b: Birth): IdeaRef[] {
  const usesMp = b.op === 'first_order' || b.op === 'direct' || b.op === 'hypermutation';
  const mp = usesMp && b.mutationPromptId ? deps.mutationPrompts.get(b.mutationPromptId) : undefined;
  return [idea('operator', b.op), ...(mp ? [idea('mutation_prompt', mp.text)] : []), ...(b.plan.ideas ?? [])];
}

/**
 * Turns planned mutations into validated children: hypermutation's new mutation prompts first (they join
 * the mutation-prompt population), then every task-prompt call in one batch. `members` are compared for
 * near-copies, except the slot a child overwrites. Rejections are stored with their reason.
 */
export async function breed(
  deps: BreedDeps,
  births: readonly Birth[],
  members: readonly Unit[],
  generation: number,
  rng: Rng,
): Promise<(Unit | null)[]> {
  for (const b of births) {
    deps.operators[b.op].attempts++;
    if (b.mutationPromptId) {
      const entry = deps.mutationPrompts.get(b.mutationPromptId);
      if (entry) entry.uses++;
    }
  }
  const texts = new Map<string, CallOutcome>();
  const failed = new Set<string>();
  const hyper = births.filter((b) => b.plan.kind === 'hyper');
  const hyperResults = await callModel(
    deps,
    hyper.map((b) => ({ key: `${b.id}:mp`, request: (b.plan as { request: GenerateRequest }).request })),
  );
  const second: { key: string; request: GenerateRequest }[] = [];
  hyper.forEach((b, i) => {
    const result = hyperResults[i];
    const text = 'error' in result ? '' : stripTemplateEcho(result.text);
    const problem =
      'error' in result
        ? { reason: 'model_error' as const, detail: result.error }
        : validateMutationPrompt(text, result.stopReason, deps.mutationPrompts.values(), deps.settings.similarityThreshold);
    if (problem) {
      reject(deps, b, generation, text, problem.reason, problem.detail);
      failed.add(b.id);
      return;
    }
    const parentEntry = (b.plan as { mutationPrompt: MutationPromptEntry }).mutationPrompt;
    const entry: MutationPromptEntry = {
      id: `mp-${b.id}`,
      text,
      origin: 'hypermutation',
      parentId: parentEntry.id,
      generation,
      uses: 1,
      improvements: 0,
    };
    deps.mutationPrompts.set(entry.id, entry);
    b.mutationPromptId = entry.id;
    second.push({ key: `${b.id}:prompt`, request: applyMutationPrompt(b.parent!, text, deps.opCtx(), rng) });
  });
  const direct = births
    .filter((b) => b.plan.kind === 'llm')
    .map((b) => ({ key: `${b.id}:prompt`, request: (b.plan as { request: GenerateRequest }).request }));
  const calls = [...direct, ...second];
  const results = await callModel(deps, calls);
  calls.forEach((c, i) => texts.set(c.key.slice(0, -':prompt'.length), results[i]));

  const accepted: Unit[] = [];
  return births.map((b) => {
    if (failed.has(b.id)) return null;
    let text: string;
    let stopReason: StoredCall['stopReason'] | null = null;
    if (b.plan.kind === 'local') {
      text = b.plan.prompt;
    } else {
      const result = texts.get(b.id);
      if (failedCall(result)) return reject(deps, b, generation, '', 'model_error', result?.error ?? 'no result');
      text = result.text;
      stopReason = result.stopReason;
    }
    const others = [...members.filter((_, i) => i !== b.slot), ...accepted].map((u) => u.prompt);
    const verdict = validateMutant(text, {
      stopReason,
      parent: b.parent?.prompt ?? null,
      others,
      similarityThreshold: deps.settings.similarityThreshold,
      maxChars: deps.maxPromptChars,
      repairPlaceholder: deps.settings.repairPlaceholder,
      slotLine: deps.slotLine,
    });
    if (!verdict.ok) return reject(deps, b, generation, stripTemplateEcho(text), verdict.reason, verdict.detail);
    const otherParentId = b.plan.kind === 'llm' ? (b.plan.otherParentId ?? null) : null;
    const unit = makeUnit({
      id: b.id,
      prompt: verdict.prompt,
      operator: b.op,
      generation,
      parent: b.parent,
      otherParentId,
      mutationPromptId: b.mutationPromptId,
      repaired: verdict.repaired,
      ideas: ideasOf(deps, b),
      learnedFrom: b.plan.learnedFrom,
    });
    const stats = deps.operators[b.op];
    stats.accepted++;
    if (verdict.repaired) stats.repaired++;
    deps.store.recordUnit(deps.runId, {
      unit_id: unit.id,
      generation,
      operator: b.op,
      parent_id: unit.parentId,
      mutation_prompt: unit.mutationPromptId ? (deps.mutationPrompts.get(unit.mutationPromptId)?.text ?? null) : null,
      prompt: unit.prompt,
      prompt_hash: unit.hash,
      status: verdict.repaired ? 'repaired' : 'accepted',
      reason: null,
      detail: otherParentId ? `crossed with ${otherParentId}` : null,
    });
    accepted.push(unit);
    return unit;
  });
}

/** The run's mutation generator: turns planned births into validated children (null = rejected). Injected into the loop. */
export interface Proposer {
  /** onCallsDone: (calls finished, calls in this batch), as each chunk of the batch finishes. */
  propose(
    births: readonly Birth[],
    members: readonly Unit[],
    generation: number,
    rng: Rng,
    onCallsDone?: (done: number, total: number) => void,
  ): Promise<(Unit | null)[]>;
}

/** The model-backed proposer: batched, replayed after a crash, validated, recorded. */
export const modelProposer = (deps: BreedDeps): Proposer => ({
  propose: (births, members, generation, rng, onCallsDone) =>
    breed(onCallsDone ? { ...deps, onCallsDone } : deps, births, members, generation, rng),
});
