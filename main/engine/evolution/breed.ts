import { idea } from '../learning/ideas';
import type { IdeaRef } from '../learning/types';
import type { GenerateRequest, TextModel } from '../llm/types';
import type { Rng } from '../util/random';
import type { Budget } from './budget';
import type { RunStore, StoredCall } from './checkpoint';
import { failedCall, MutationCalls, type CallOutcome, type MutationCall } from './mutation-calls';
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

/** Hypermutation's answer as a new member of the mutation-prompt population (its text), or null when rejected. */
function newMutationPrompt(deps: BreedDeps, b: Birth, result: CallOutcome, generation: number): string | null {
  const text = 'error' in result ? '' : stripTemplateEcho(result.text);
  const problem =
    'error' in result
      ? { reason: 'model_error' as const, detail: result.error }
      : validateMutationPrompt(text, result.stopReason, deps.mutationPrompts.values(), deps.settings.similarityThreshold);
  if (problem) {
    reject(deps, b, generation, text, problem.reason, problem.detail);
    return null;
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
  return text;
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
 * Turns planned mutations into validated children: hypermutation's new mutation prompts (they join the
 * mutation-prompt population) and the task-prompt calls share the lanes (see MutationCalls). `members` are compared for
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
  const calls = new MutationCalls(deps);
  const hyper = births.filter((b) => b.plan.kind === 'hyper');
  const direct: MutationCall[] = births
    .filter((b) => b.plan.kind === 'llm')
    .map((b) => ({ key: `${b.id}:prompt`, request: (b.plan as { request: GenerateRequest }).request }));
  // Hypermutation's calls go first and the others right behind them in the same lanes; the calls that apply the new
  // mutation prompts join the queue once all of those are in (in birth order, so the rng's draws stay the same).
  const applied = (async (): Promise<{ calls: MutationCall[]; results: CallOutcome[] }> => {
    const hyperResults = await calls.run(
      hyper.map((b) => ({ key: `${b.id}:mp`, request: (b.plan as { request: GenerateRequest }).request })),
    );
    const second: MutationCall[] = [];
    hyper.forEach((b, i) => {
      const mutationPrompt = newMutationPrompt(deps, b, hyperResults[i], generation);
      if (!mutationPrompt) {
        failed.add(b.id);
        return;
      }
      second.push({ key: `${b.id}:prompt`, request: applyMutationPrompt(b.parent!, mutationPrompt, deps.opCtx(), rng) });
    });
    return { calls: second, results: await calls.run(second) };
  })();
  const first = calls.run(direct);
  try {
    const [secondDone, directDone] = await Promise.allSettled([applied, first]);
    if (secondDone.status === 'rejected') throw secondDone.reason;
    if (directDone.status === 'rejected') throw directDone.reason;
    const all = [...direct, ...secondDone.value.calls];
    const results = [...directDone.value, ...secondDone.value.results];
    all.forEach((c, i) => texts.set(c.key.slice(0, -':prompt'.length), results[i]));
  } finally {
    deps.counters.mutationMs += calls.busyMs;
  }

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
