import type { GenerateRequest } from '../llm/types';
import { INPUT_PLACEHOLDER, type OutputKind } from '../skills/skill-file';
import { pickFrom, pickWeighted, randomInt, shuffle, type Rng } from '../util/random';
import { idea, ideaId } from '../learning/ideas';
import { thompsonPick, type Credit } from '../learning/thompson';
import type { IdeaRef, LearnedFrom, LibraryEntry } from '../learning/types';
import type { EvolutionData, Mistake } from './data';
import {
  clip,
  crossoverTemplate,
  directTemplate,
  firstOrderTemplate,
  hyperTemplate,
  lamarckianTemplate,
  MUTATION_SYSTEM,
  transferTemplate,
  YOUR_TURN,
  zeroOrderTemplate,
} from './templates';
import { OPERATORS, type MutationPromptEntry, type OperatorName, type Unit } from './types';

/**
 * The design's weights (direct 0.30, first-order 0.30, crossover 0.20, zero-order 0.15, hypermutation 0.05)
 * plus lamarckian 0.10 and few-shot 0.10, renormalised to sum to 1: each design weight is scaled by 1/1.2
 * (direct 0.25, first-order 0.25, crossover 0.167, zero-order 0.125, hypermutation 0.042, lamarckian 0.083,
 * few-shot 0.083). The design's ratios between its own five operators are unchanged. Transfer (cross-skill
 * learning) has no design weight: a run with lessons from other skills draws it at TRANSFER_WEIGHT (see learning.ts).
 */
export const RAW_OPERATOR_WEIGHTS: Readonly<Record<OperatorName, number>> = {
  direct: 0.3,
  first_order: 0.3,
  crossover: 0.2,
  zero_order: 0.15,
  hypermutation: 0.05,
  lamarckian: 0.1,
  few_shot: 0.1,
  transfer: 0,
};

export function normaliseWeights(weights: Readonly<Record<OperatorName, number>>): Record<OperatorName, number> {
  const total = OPERATORS.reduce((sum, op) => sum + Math.max(0, weights[op] ?? 0), 0);
  if (!(total > 0)) throw new RangeError('operator weights must have a positive sum');
  return Object.fromEntries(OPERATORS.map((op) => [op, Math.max(0, weights[op] ?? 0) / total])) as Record<OperatorName, number>;
}

export const DEFAULT_OPERATOR_WEIGHTS = normaliseWeights(RAW_OPERATOR_WEIGHTS);

export interface Pair {
  input: string;
  expected: string;
}

export interface OperatorContext {
  data: EvolutionData;
  kind: OutputKind;
  task: string;
  slotLine: string;
  members: readonly Unit[];
  mutationPrompts: ReadonlyMap<string, MutationPromptEntry>;
  /** Accepted (input, wanted answer) pairs for few-shot and lamarckian, never from the held-out set. */
  pairs: readonly Pair[];
  mistakesOf: (unit: Unit) => Mistake[];
  temperature: number;
  maxTokens: number;
  /** Output cap for a mutation of a prompt this long (tighter than maxTokens); absent = maxTokens. */
  capFor?: (parentPrompt: string, hyper: boolean) => number;
  /** Cross-skill learning: other skills' lessons (transfer), and each library entry's credit (absent: learning off). */
  lessons?: readonly LibraryEntry[];
  credit?: (id: string) => Credit | undefined;
}

/** Which operators can run now: crossover needs a partner, few-shot and lamarckian need accepted pairs, transfer a lesson. */
export function availableOperators(ctx: Pick<OperatorContext, 'members' | 'pairs' | 'lessons'>): OperatorName[] {
  return OPERATORS.filter((op) => {
    if (op === 'crossover') return ctx.members.length >= 2;
    if (op === 'transfer') return (ctx.lessons?.length ?? 0) > 0;
    if (op === 'few_shot' || op === 'lamarckian') return ctx.pairs.length > 0;
    return true;
  });
}

export function pickOperator(rng: Rng, weights: Readonly<Record<OperatorName, number>>, available: readonly OperatorName[]): OperatorName {
  const items = available.map((value) => ({ value, weight: weights[value] })).filter((item) => item.weight > 0);
  if (items.length === 0) return available[0] ?? 'first_order';
  return pickWeighted(rng, items);
}

/**
 * A model call that writes a task prompt ('prompt': the grammar keeps the {{input}} slot), or hypermutation's new
 * mutation prompt ('bare'), capped for the parent's size. The template's fixed part is marked as a shared prefix:
 * a runtime with a prefix cache evaluates it once per operator, not once per call.
 */
export function mutationRequest(
  ctx: Pick<OperatorContext, 'temperature' | 'maxTokens' | 'capFor'>,
  prompt: string,
  rng: Rng,
  stop: 'prompt' | 'bare' = 'prompt',
  parentPrompt = '',
): GenerateRequest {
  const turn = prompt.indexOf(YOUR_TURN);
  const maxTokens = ctx.capFor ? ctx.capFor(parentPrompt, stop === 'bare') : ctx.maxTokens;
  return {
    system: MUTATION_SYSTEM,
    prompt,
    stop,
    temperature: ctx.temperature,
    maxTokens,
    seed: randomInt(rng, 2 ** 31),
    ...(turn >= 0 ? { cachePrefix: prompt.slice(0, turn + YOUR_TURN.length) } : {}),
  };
}

/**
 * A mutation: a local rewrite (no model call), one model call, or hypermutation's two (new mutation prompt, then apply it).
 * `ideas`: the library entries it draws on beyond its operator and mutation prompt (a thinking style, a lesson).
 */
export type MutationPlan = (
  | { kind: 'local'; prompt: string }
  | { kind: 'llm'; request: GenerateRequest; otherParentId?: string }
  | { kind: 'hyper'; request: GenerateRequest; mutationPrompt: MutationPromptEntry }
) & { ideas?: IdeaRef[]; learnedFrom?: LearnedFrom };

/** A thinking style, by its credit in the library when learning is on (uniform otherwise). */
export function pickThinkingStyle(ctx: Pick<OperatorContext, 'data' | 'credit'>, rng: Rng): string {
  const { credit } = ctx;
  const styles = ctx.data.thinkingStyles;
  return credit ? thompsonPick(rng, styles, (s) => credit(ideaId('thinking_style', s))) : pickFrom(rng, styles);
}

/** Transfer: one of another skill's lessons (by credit), applied to the parent; an examples block is inserted locally. */
function transferPlan(parent: Unit, ctx: OperatorContext, rng: Rng): MutationPlan {
  // A lesson whose lines the parent already has would give a near-copy: the others first.
  const lessons = ctx.lessons ?? [];
  const fresh = lessons.filter((l) => !l.change?.lines.every((line) => parent.prompt.includes(line)));
  const lesson = thompsonPick(rng, fresh.length > 0 ? fresh : lessons, (l) => l);
  const ideas = [{ id: lesson.id, kind: lesson.kind, text: lesson.text }];
  const learnedFrom = { skill: lesson.skill ?? 'another skill', version: lesson.version ?? 0, change: lesson.text };
  if (lesson.change?.kind === 'examples' && ctx.pairs.length > 0) {
    const pairs = shuffle(rng, ctx.pairs).slice(0, Math.min(ctx.pairs.length, 3));
    return { kind: 'local', prompt: insertFewShot(parent.prompt, ctx.kind, pairs), ideas, learnedFrom };
  }
  const base = { data: ctx.data, kind: ctx.kind, slotLine: ctx.slotLine };
  const text = transferTemplate({ ...base, change: lesson.text, skill: learnedFrom.skill, prompt: parent.prompt });
  return { kind: 'llm', request: mutationRequest(ctx, text, rng, 'prompt', parent.prompt), ideas, learnedFrom };
}

const FEW_SHOT_HEADER = 'Examples of good answers:';

function formatShot(kind: OutputKind, pair: Pair): string {
  if (kind === 'filename') return `- ${clip(pair.input, 160)} → ${clip(pair.expected, 120)}`;
  const answer = pair.expected.split('\n').slice(0, 6).join('\n');
  return `Input: ${clip(pair.input, 200)}\nAnswer:\n${answer}`;
}

/** Puts real accepted examples just before the input slot, replacing an earlier inserted block. */
export function insertFewShot(prompt: string, kind: OutputKind, pairs: readonly Pair[]): string {
  let lines = prompt.split('\n');
  const header = lines.findIndex((line) => line.trim() === FEW_SHOT_HEADER);
  if (header !== -1) {
    let end = header + 1;
    while (end < lines.length && lines[end].trim() !== '' && !lines[end].includes(INPUT_PLACEHOLDER)) end++;
    lines = [...lines.slice(0, header), ...lines.slice(end + (lines[end]?.trim() === '' ? 1 : 0))];
  }
  let at = lines.findIndex((line) => line.includes(INPUT_PLACEHOLDER));
  if (at === -1) at = lines.length;
  // "Transcript:\n{{input}}": the label belongs with the slot.
  if (at > 0 && lines[at].trim() === INPUT_PLACEHOLDER && lines[at - 1].trim().endsWith(':')) at--;
  const block = [FEW_SHOT_HEADER, ...pairs.map((pair) => formatShot(kind, pair)), ''];
  if (at > 0 && lines[at - 1].trim() !== '') block.unshift('');
  return [...lines.slice(0, at), ...block, ...lines.slice(at)].join('\n').replace(/\n{3,}/g, '\n\n');
}

/** Plans one mutation of `parent` by `op`. */
export function planMutation(op: OperatorName, parent: Unit, ctx: OperatorContext, rng: Rng): MutationPlan {
  const base = { data: ctx.data, kind: ctx.kind, slotLine: ctx.slotLine };
  const mp = (parent.mutationPromptId && ctx.mutationPrompts.get(parent.mutationPromptId)?.text) || ctx.data.mutationPrompts[0];
  switch (op) {
    case 'few_shot': {
      const count = Math.min(ctx.pairs.length, 1 + randomInt(rng, 3));
      return { kind: 'local', prompt: insertFewShot(parent.prompt, ctx.kind, shuffle(rng, ctx.pairs).slice(0, count)) };
    }
    case 'direct':
      return {
        kind: 'llm',
        request: mutationRequest(
          ctx,
          directTemplate({ ...base, mutationPrompt: mp, prompt: parent.prompt, mistakes: ctx.mistakesOf(parent).slice(0, 3) }),
          rng,
          'prompt',
          parent.prompt,
        ),
      };
    case 'first_order':
      return {
        kind: 'llm',
        request: mutationRequest(
          ctx,
          firstOrderTemplate({ ...base, mutationPrompt: mp, prompt: parent.prompt }),
          rng,
          'prompt',
          parent.prompt,
        ),
      };
    case 'crossover': {
      const others = ctx.members.filter((m) => m.id !== parent.id);
      const other = pickFrom(rng, others);
      const longer = other.prompt.length > parent.prompt.length ? other.prompt : parent.prompt;
      return {
        kind: 'llm',
        request: mutationRequest(ctx, crossoverTemplate({ ...base, a: parent.prompt, b: other.prompt }), rng, 'prompt', longer),
        otherParentId: other.id,
      };
    }
    case 'zero_order': {
      const thinkingStyle = pickThinkingStyle(ctx, rng);
      const request = mutationRequest(ctx, zeroOrderTemplate({ ...base, task: ctx.task, thinkingStyle }), rng, 'prompt', parent.prompt);
      return { kind: 'llm', request, ideas: [idea('thinking_style', thinkingStyle)] };
    }
    case 'lamarckian': {
      const pairs = shuffle(rng, ctx.pairs).slice(0, 3);
      return { kind: 'llm', request: mutationRequest(ctx, lamarckianTemplate({ ...base, pairs }), rng, 'prompt', parent.prompt) };
    }
    case 'hypermutation': {
      const entry = (parent.mutationPromptId && ctx.mutationPrompts.get(parent.mutationPromptId)) || [...ctx.mutationPrompts.values()][0];
      const hyperPrompt = pickFrom(rng, ctx.data.hyperMutationPrompts);
      return {
        kind: 'hyper',
        request: mutationRequest(ctx, hyperTemplate({ data: ctx.data, hyperPrompt, mutationPrompt: entry.text }), rng, 'bare', entry.text),
        mutationPrompt: entry,
      };
    }
    case 'transfer':
      return transferPlan(parent, ctx, rng);
  }
}

/** Hypermutation's second step: the new mutation prompt applied to the parent (first-order). */
export function applyMutationPrompt(parent: Unit, mutationPrompt: string, ctx: OperatorContext, rng: Rng): GenerateRequest {
  return mutationRequest(
    ctx,
    firstOrderTemplate({ data: ctx.data, kind: ctx.kind, slotLine: ctx.slotLine, mutationPrompt, prompt: parent.prompt }),
    rng,
    'prompt',
    parent.prompt,
  );
}

/** Initial population: zero-order and first-order variants of the current prompt, each with a seed mutation prompt and a thinking style. */
export function initialRequest(
  op: 'zero_order' | 'first_order',
  current: Unit,
  mutationPrompt: MutationPromptEntry,
  ctx: OperatorContext,
  rng: Rng,
): { request: GenerateRequest; thinkingStyle: string } {
  const base = { data: ctx.data, kind: ctx.kind, slotLine: ctx.slotLine };
  const thinkingStyle = pickThinkingStyle(ctx, rng);
  const text =
    op === 'zero_order'
      ? zeroOrderTemplate({ ...base, task: ctx.task, thinkingStyle })
      : firstOrderTemplate({ ...base, mutationPrompt: mutationPrompt.text, prompt: current.prompt, thinkingStyle });
  return { request: mutationRequest(ctx, text, rng, 'prompt', current.prompt), thinkingStyle };
}
