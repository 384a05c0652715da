/**
 * Cross-skill learning (issue 15 §1): one library of mutation prompts, thinking styles, operators and structural
 * lessons shared by every skill, each with a Beta credit earned when a variant it produced wins an A/B test and is
 * promoted, lost when such a variant loses.
 */
export const IDEA_KINDS = ['mutation_prompt', 'thinking_style', 'operator', 'lesson'] as const;
export type IdeaKind = (typeof IDEA_KINDS)[number];

/** One library entry a variant came from: its id is stable across data folders (a hash of its kind and text). */
export interface IdeaRef {
  id: string;
  kind: IdeaKind;
  text: string;
}

/** A structural change between a promoted prompt and its parent, in words and as the lines it concerns. */
export interface StructuralChange {
  kind: 'section' | 'examples' | 'output_rule' | 'order' | 'instruction';
  /** "added an output rule: "Reply with only the name."" */
  description: string;
  /** The lines added (or, for an order change, the lines now first). */
  lines: string[];
}

/** Where a variant's idea came from, when a lesson of another skill went into it. */
export interface LearnedFrom {
  skill: string;
  version: number;
  change: string;
}

/** Stored with each A/B variant (prompt_variants.provenance): what to credit when the session concludes. */
export interface VariantProvenance {
  /** The prompt the variant was evolved from (the structural lesson is the difference to it). */
  base: string;
  entries: IdeaRef[];
  learnedFrom: LearnedFrom | null;
}

export interface LibraryEntry extends IdeaRef {
  wins: number;
  losses: number;
  /** Lessons: the skill and version they were learned from, and the change itself. */
  skill: string | null;
  version: number | null;
  change: StructuralChange | null;
}

/** The library as one run sees it (stored with the run, so a resumed run makes the same draws). */
export interface LibrarySnapshot {
  entries: LibraryEntry[];
}

export const EMPTY_LIBRARY: LibrarySnapshot = { entries: [] };

/** "learned from file-naming v3" */
export const learnedFromLabel = (from: LearnedFrom): string => `learned from ${from.skill} v${from.version}`;
