import type { VariantProvenance } from '../learning/types';
import type { Decision, DecisionKind } from './decision';
import type { JointPosterior } from './joint-model';
import type { AbRule } from './joint-rule';

export type SessionStatus = 'active' | 'completed' | 'cancelled';
export type TriggerReason = 'accuracy_drop' | 'manual' | 'scheduled';
export type VariantSource = 'file' | 'smollm2' | 'manual' | 'current';
/** What became of a finished session: a promotion, the old prompt kept, or a winner waiting for the user. */
export type SessionOutcome = 'promoted' | 'kept' | 'awaiting_manual';

export interface SessionRow {
  id: string;
  skill: string;
  original_prompt_hash: string;
  triggered_at: string;
  trigger_reason: TriggerReason | null;
  status: SessionStatus;
  completed_at: string | null;
  base_version: number;
  base_accuracy: number | null;
  /** Tasks behind base_accuracy (null for sessions before migration 7). */
  base_samples: number | null;
  decision: DecisionKind | null;
  decision_reason: string | null;
  winner_variant_id: string | null;
  outcome: SessionOutcome | null;
  needs_review: number;
  /** The teammates' pooled picks the decision used (JSON of PooledVotes), kept when the session completes. */
  peer_votes: string | null;
}

export interface VariantRow {
  id: string;
  session_id: string;
  variant_letter: string;
  prompt_template: string;
  reasoning: string | null;
  votes: number;
  accuracy: number;
  arm_index: number;
  source: VariantSource;
  source_version: number | null;
  fitness: number | null;
  /** Held-out examples behind fitness. */
  fitness_samples: number | null;
  /** JSON list of pinned task ids the variant breaks (migration 10); null = not checked. */
  broken_pins: string | null;
  served: number;
  accepted: number;
  /** JSON of VariantProvenance (evolved variants with cross-skill learning on), else null. */
  provenance?: string | null;
}

export interface VariantSpec {
  prompt: string;
  /** Cross-skill learning: the library entries behind an evolved variant, credited when its session concludes. */
  provenance?: VariantProvenance | null;
  reasoning?: string | null;
  source?: VariantSource;
  sourceVersion?: number | null;
  fitness?: number | null;
  fitnessSamples?: number | null;
  /** Pinned examples (task ids) the variant gets wrong that the prompt it would replace gets right; null = not checked. */
  brokenPins?: string[] | null;
}

export interface CreateSessionOptions {
  skill: string;
  variants: readonly VariantSpec[];
  reason: TriggerReason;
  needsReview?: boolean;
}

export type RoundStatus = 'open' | 'picked' | 'none' | 'skipped';

export interface RoundOption {
  /** Blind display label: "1", "2", "3" in the order shown. */
  label: string;
  output: string;
  /** P(best) of the arm behind this option, the confidence bar. */
  pBest: number;
}

export interface VoteRound {
  id: string;
  sessionId: string;
  skill: string;
  taskId: string;
  input: string;
  status: RoundStatus;
  options: RoundOption[];
  /** The label picked, once answered with a pick. */
  picked: string | null;
  createdAt: string;
  answeredAt: string | null;
  votes: number;
  maxVotes: number;
}

export interface ArmResult {
  letter: string;
  variantId: string;
  source: VariantSource;
  reasoning: string | null;
  prompt: string;
  votes: number;
  /** P(best) as the decision rule computed it; 0 for an arm that has left the test. */
  pBest: number;
  /** Expected loss under the rule's model; null for an arm that has left the test. */
  expectedLoss: number | null;
  /** False once the joint rule stopped showing the arm (its P(best) fell below drop_below). */
  inTest: boolean;
  served: number;
  accepted: number;
  /** Accepted / served tasks with feedback; null before any. */
  accuracy: number | null;
  fitness: number | null;
  /** Pinned examples the arm breaks (see VariantSpec.brokenPins); [] when none or not checked. */
  brokenPins: string[];
}

/** What a session asks its teammates for: its skill, its arms by prompt hash, the arms still in the test. */
export interface PeerVotes {
  skill: string;
  armHashes: readonly string[];
  active: readonly number[] | null;
}

/** Teammates' picks of a session's arms (README "Teams"); built in main/engine/team/team-pool.ts. */
export interface PooledVotes {
  /** The weight a teammate's pick had (team.peer_vote_weight). */
  weight: number;
  /** Weighted teammates' picks per arm of the session (arm order). */
  peerPicks: number[];
  /** Who contributed, with their unweighted picks of the arms in the test. */
  members: { member: string; picks: number }[];
}

export type PeerVotesSource = (request: PeerVotes) => PooledVotes | null;

export interface SessionResults {
  session: SessionRow;
  arms: ArmResult[];
  votes: number;
  none: number;
  skips: number;
  maxVotes: number;
  elapsedDays: number;
  /** The decision rule in force, and under the joint rule the posterior behind the decision. */
  rule: AbRule;
  posterior: JointPosterior | null;
  decision: Decision;
  /** Teammates' picks in the posterior (joint rule, team folder set, some contributed); null otherwise. */
  team: PooledVotes | null;
}

export type VoteChoice = string; // a round's label, or 'none', or 'skip'

export interface VoteOutcome {
  round: VoteRound;
  /** True when this exact vote had already been recorded (idempotent replay). */
  duplicate: boolean;
  results: SessionResults;
}

export type Allocation =
  | { kind: 'current' }
  | { kind: 'vote'; session: SessionRow }
  | { kind: 'arm'; session: SessionRow; variant: VariantRow };
