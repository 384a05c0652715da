import type { SessionRow, VariantSpec } from './ab/session-types';
import type { TaskRow } from './feedback/task-log';
import type { ActivePrompt } from './prompts/prompt-versions';

/** What the engine asks an evolution for: arms for a new A/B session of `skill`. */
export interface EvolutionRequest {
  skill: string;
  active: ActivePrompt;
  failures: TaskRow[];
  count: number;
}

/** A generator's answer: the arms, whether the session needs review, and a hook told the session it became. */
export interface GeneratedVariants {
  variants: VariantSpec[];
  needsReview?: boolean;
  onSession?: (session: SessionRow) => void;
}

/** Produces an A/B session's arms; main/engine/evolution's PromptBreeder plugs in here. */
export type VariantGenerator = (request: EvolutionRequest) => Promise<VariantSpec[] | GeneratedVariants>;
