import type { SessionRow, VariantSpec } from './ab/session-types';
import type { AccuracyReport } from './feedback/accuracy';
import type { TaskRow } from './feedback/task-log';
import type { AccuracyTrend } from './feedback/trend';
import type { GoldExample } from './gold/gold-file';
import type { CheckResult } from './monitor/monitor';
import type { ActivePrompt } from './prompts/prompt-versions';
import type { Conclusion } from './promotion/conclude';

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

export interface SkillStats {
  skill: string;
  description: string;
  evolvable: boolean;
  version: number;
  activeSince: string;
  accuracy: AccuracyReport;
  /** Where accuracy is heading (a regression over the last two windows) and what it was a window ago. */
  trend: AccuracyTrend;
  recentFailures: number;
  session: SessionRow | null;
  lastCheck: { verdict: string; reason: string; checkedAt: string } | null;
  /** The running version's file cannot be used (see ActivePrompt.problem); null when fine. */
  problem: string | null;
}

export interface MonitorRun {
  checks: CheckResult[];
  concluded: Conclusion[];
  started: SessionRow[];
  /** Triggered skills that got no session, and why. */
  pending: { skill: string; reason: string }[];
}
