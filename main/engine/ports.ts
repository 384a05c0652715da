import type { SessionRow, VariantSpec } from './ab/session-types';
import type { TaskRow } from './feedback/task-log';
import type { GoldExample } from './gold/gold-file';
import type { ActivePrompt } from './prompts/prompt-versions';

/** What the engine asks an evolution for: arms for a new A/B session of `skill`. */
export interface EvolutionRequest {
  skill: string;
  active: ActivePrompt;
  failures: TaskRow[];
  count: number;
  /** The skill's gold examples (shipped and pinned) and the share of every evaluation set they take. */
  gold?: { examples: GoldExample[]; share: number };
}

/** A generator's answer: the arms, whether the session needs review, and a hook told the session it became. */
export interface GeneratedVariants {
  variants: VariantSpec[];
  needsReview?: boolean;
  onSession?: (session: SessionRow) => void;
}

/** Produces an A/B session's arms; main/engine/evolution's PromptBreeder plugs in here. */
export type VariantGenerator = (request: EvolutionRequest) => Promise<VariantSpec[] | GeneratedVariants>;

// What the engine reports; its services and the shells share these shapes.

export type { MonitorRun } from './monitor/monitor-run';
export type { SkillStats } from './monitor/skill-stats';
