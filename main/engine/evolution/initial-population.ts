import { idea } from '../learning/ideas';
import type { Rng } from '../util/random';
import { pickFrom } from '../util/random';
import type { Birth, Proposer } from './breed';
import { BudgetExhausted } from './budget';
import { initialRequest, planMutation, type OperatorContext } from './operators';
import type { MutationPromptEntry, OperatorName, Unit } from './types';

export interface InitialPopulationInput {
  /** The population so far (the current prompt); children are added to it. */
  members: Unit[];
  /** The current prompt, already the first member. */
  current: Unit;
  size: number;
  rng: Rng;
  seedPrompts: readonly MutationPromptEntry[];
  proposer: Proposer;
  operatorContext: () => OperatorContext;
  /** Operators the policy still draws (retired ones are skipped here too). */
  drawable: (ctx: OperatorContext) => OperatorName[];
  /** How many members there are so far, as each model call finishes (a progress line from the first call). */
  onBuilt?: (members: number) => void;
  /** The seed mutation prompt of each birth (cross-skill learning draws by credit; default uniform). */
  pickMutationPrompt?: (rng: Rng) => MutationPromptEntry;
  /** Births of the first round that transfer another skill's lesson instead (cross-skill learning; default 0). */
  transfers?: number;
  /** After each transfer birth: whether the lesson gave a valid mutant. */
  onTransfer?: (birth: Birth, accepted: boolean) => void;
}

/**
 * The current prompt plus size − 1 zero- and first-order variants (up to 3 rounds, while a round accepts
 * something); few-shot variants of the current prompt fill what the model could not make.
 */
export async function initialPopulation(o: InitialPopulationInput): Promise<{ stoppedEarly: 'budget' | null }> {
  const { members } = o;
  let stoppedEarly: 'budget' | null = null;
  try {
    for (let attempt = 0; attempt < 3 && members.length < o.size; attempt++) {
      const ctx = o.operatorContext();
      const ops = (['first_order', 'zero_order'] as const).filter((op) => o.drawable(ctx).includes(op));
      if (ops.length === 0) break;
      const tried = new Set<string>();
      const transfers = attempt === 0 && o.drawable(ctx).includes('transfer') ? Math.min(o.transfers ?? 0, o.size - members.length) : 0;
      const births: Birth[] = Array.from({ length: o.size - members.length }, (_, i): Birth => {
        const base = { id: `g0a${attempt}u${i}`, parent: o.current, slot: null };
        if (i < transfers) {
          // Each lesson once: the first round tries as many different lessons as it has transfer births.
          const plan = planMutation('transfer', o.current, { ...ctx, lessons: ctx.lessons?.filter((l) => !tried.has(l.id)) }, o.rng);
          plan.ideas?.forEach((item) => tried.add(item.id));
          return { ...base, op: 'transfer', mutationPromptId: o.current.mutationPromptId, plan };
        }
        const op = ops[(i - transfers + attempt) % ops.length];
        const seedPrompt = o.pickMutationPrompt ? o.pickMutationPrompt(o.rng) : pickFrom(o.rng, o.seedPrompts);
        const { request, thinkingStyle } = initialRequest(op, o.current, seedPrompt, ctx, o.rng);
        const plan = { kind: 'llm' as const, request, ideas: [idea('thinking_style', thinkingStyle)] };
        return { ...base, op, mutationPromptId: seedPrompt.id, plan };
      });
      const built = members.length;
      const progress = (done: number) => o.onBuilt?.(Math.min(o.size, built + done));
      const made = await o.proposer.propose(births, members, 0, o.rng, progress);
      births.forEach((b, i) => b.op === 'transfer' && o.onTransfer?.(b, made[i] !== null));
      const children = made.filter((c): c is Unit => c !== null);
      members.push(...children);
      // A round the model got entirely wrong will not go better the next time: few-shot variants fill in.
      if (children.length === 0) break;
    }
  } catch (error) {
    if (!(error instanceof BudgetExhausted)) throw error;
    stoppedEarly = 'budget';
  }
  for (let attempt = 0; attempt < 3 * o.size && members.length < o.size; attempt++) {
    const ctx = o.operatorContext();
    if (ctx.pairs.length === 0) break;
    const plan = planMutation('few_shot', o.current, ctx, o.rng);
    const [child] = await o.proposer.propose(
      [{ id: `g0f${attempt}`, op: 'few_shot', parent: o.current, slot: null, mutationPromptId: null, plan }],
      members,
      0,
      o.rng,
    );
    if (child) members.push(child);
  }
  return { stoppedEarly };
}
