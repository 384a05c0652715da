import { ideaId } from '../learning/ideas';
import { LearningLibrary } from '../learning/library';
import { thompsonFactor, thompsonPick, type Credit } from '../learning/thompson';
import { EMPTY_LIBRARY, type LibraryEntry, type LibrarySnapshot, type VariantProvenance } from '../learning/types';
import type { EngineContext } from '../context';
import type { Rng } from '../util/random';
import type { Checkpoint } from './checkpoint';
import { OPERATORS, type MutationPromptEntry, type OperatorName, type Unit } from './types';

/**
 * How a run uses the shared library (cross-skill learning, learning/): the snapshot taken when the run was created
 * (stored with its spec, so a resumed run makes the same draws), seed mutation prompts and thinking styles drawn by
 * Thompson sampling on their credit, operator weights scaled by a Thompson draw, other skills' lessons for transfer.
 */

/** Transfer's operator weight when there are lessons (the scale of RAW_OPERATOR_WEIGHTS, renormalised with the rest). */
export const TRANSFER_WEIGHT = 0.3;
/** Share of the initial population made by transferring lessons (at most one per lesson). */
export const INITIAL_TRANSFER_SHARE = 0.25;

export interface LibraryView {
  lessons: LibraryEntry[];
  credit: (id: string) => Credit | undefined;
  /** Evolved mutation prompts that won for some skill: they join the seed population. */
  mutationPrompts: MutationPromptEntry[];
}

/** The library as a new run starts: credit from every concluded session first, then the snapshot. */
export function takeSnapshot(ctx: Pick<EngineContext, 'db' | 'clock'>, skill: string): LibrarySnapshot {
  const library = new LearningLibrary(ctx);
  library.sync();
  return library.snapshot(skill);
}

export function libraryView(snapshot: LibrarySnapshot | undefined, seeds: readonly MutationPromptEntry[]): LibraryView {
  const entries = (snapshot ?? EMPTY_LIBRARY).entries;
  const byId = new Map(entries.map((e) => [e.id, e]));
  const seedTexts = new Set(seeds.map((s) => s.text.trim()));
  return {
    lessons: entries.filter((e) => e.kind === 'lesson' && e.change),
    credit: (id) => byId.get(id),
    mutationPrompts: entries
      .filter((e) => e.kind === 'mutation_prompt' && e.wins > 0 && !seedTexts.has(e.text))
      .map((e) => ({
        ...{ id: `lib-${e.id.slice(e.id.indexOf(':') + 1)}`, text: e.text, origin: 'library' as const, parentId: null },
        ...{ generation: 0, uses: 0, improvements: 0 },
      })),
  };
}

/** A seed mutation prompt by its credit. */
export const mutationPromptPicker =
  (view: LibraryView, seeds: readonly MutationPromptEntry[]) =>
  (rng: Rng): MutationPromptEntry =>
    thompsonPick(rng, seeds, (m) => view.credit(ideaId('mutation_prompt', m.text)));

/** The generation's operator weights: transfer switched on when there are lessons, each weight × one Thompson factor. */
export function learningWeights(
  rng: Rng,
  weights: Readonly<Record<OperatorName, number>>,
  view: LibraryView,
): Record<OperatorName, number> {
  const out = { ...weights, transfer: view.lessons.length > 0 ? Math.max(weights.transfer, TRANSFER_WEIGHT) : 0 };
  for (const op of OPERATORS) out[op] *= thompsonFactor(rng, view.credit(ideaId('operator', op)));
  return out;
}

/** Transfers of one lesson that may give no valid mutant before a run stops drawing it (its change does not apply here). */
export const LESSON_MISSES = 2;

type LessonState = Pick<Checkpoint, 'lessonMisses' | 'lessonTrials'>;

/**
 * The lessons a run may still transfer, each with its library credit plus this run's evidence (transferred children
 * that beat their parent, or not): Thompson sampling then favours the lessons that work for this skill.
 */
export const applicableLessons = (view: LibraryView, state: LessonState): LibraryEntry[] =>
  view.lessons
    .filter((l) => (state.lessonMisses?.[l.id] ?? 0) < LESSON_MISSES)
    .map((l) => {
      const trials = state.lessonTrials?.[l.id];
      return trials ? { ...l, wins: l.wins + trials.wins, losses: l.losses + trials.losses } : l;
    });

/** A transferred child judged against its parent: in-run credit for its lesson. */
export function judgeTransfer(state: LessonState, unit: Unit, improved: boolean): void {
  if (unit.operator !== 'transfer') return;
  const lesson = unit.ideas?.filter((i) => i.kind === 'lesson').at(-1);
  if (!lesson) return;
  const trials = state.lessonTrials?.[lesson.id] ?? { wins: 0, losses: 0 };
  const next = improved ? { ...trials, wins: trials.wins + 1 } : { ...trials, losses: trials.losses + 1 };
  state.lessonTrials = { ...state.lessonTrials, [lesson.id]: next };
}

/** Counts a transfer that gave no valid mutant against its lesson. */
export function countTransfer(
  state: LessonState,
  birth: { op: string; plan: { ideas?: { id: string; kind: string }[] } },
  accepted: boolean,
): void {
  const lesson = birth.op === 'transfer' ? birth.plan.ideas?.find((i) => i.kind === 'lesson') : undefined;
  if (!lesson || accepted) return;
  state.lessonMisses = { ...state.lessonMisses, [lesson.id]: (state.lessonMisses?.[lesson.id] ?? 0) + 1 };
}

/** What the A/B session stores to credit the library when it concludes. */
export const provenanceOf = (unit: Unit, base: string): VariantProvenance => ({
  base,
  entries: unit.ideas ?? [],
  learnedFrom: unit.learnedFrom ?? null,
});
