/**
 * The one JSON schema the shells print (`tinyarms … --json`) and serve (the HTTP task API): database rows and engine
 * records mapped to camelCase names, booleans as booleans, times as ISO 8601 strings. Plain functions on plain
 * data, no engine state, so the CLI and the HTTP server give the same names for the same things.
 */
import type {
  ArmResult,
  CheckResult,
  Conclusion,
  AbDecision,
  ProposalDecision,
  EvolutionResult,
  GoldExample,
  ResetResult,
  HistoryRow,
  MonitorRun,
  OperatorName,
  OperatorStats,
  Proposal,
  RejectionReason,
  RenameRow,
  Served,
  SessionResults,
  SessionRow,
  SkillStats,
  TaskRow,
  UndoResult,
  VoteOutcome,
  VoteRound,
} from '../engine';

/** snake_case → camelCase, for enum values used as keys (operators, rejection reasons). */
export const camel = (name: string): string => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const camelKeys = <V>(record: Partial<Record<string, V>>): Record<string, V> =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [camel(k), v as V]));

export interface TaskView {
  id: string;
  skill: string;
  promptVersion: number | null;
  variantId: string | null;
  sessionId: string | null;
  input: string;
  output: string;
  finalOutput: string | null;
  outcome: 'accepted' | 'edited' | 'rejected' | null;
  score: number | null;
  source: string;
  createdAt: string;
  feedbackAt: string | null;
}

export const taskView = (r: TaskRow): TaskView => ({
  id: r.id,
  skill: r.skill,
  promptVersion: r.prompt_version,
  variantId: r.variant_id,
  sessionId: r.session_id,
  input: r.input,
  output: r.output,
  finalOutput: r.final_output,
  outcome: r.outcome,
  score: r.score,
  source: r.source,
  createdAt: r.created_at,
  feedbackAt: r.feedback_at,
});

export interface SessionRecordView {
  id: string;
  skill: string;
  status: SessionRow['status'];
  triggeredAt: string;
  triggerReason: SessionRow['trigger_reason'];
  completedAt: string | null;
  baseVersion: number;
  baseAccuracy: number | null;
  decision: SessionRow['decision'];
  decisionReason: string | null;
  winnerVariantId: string | null;
  outcome: SessionRow['outcome'];
  needsReview: boolean;
}

export const sessionView = (s: SessionRow): SessionRecordView => ({
  id: s.id,
  skill: s.skill,
  status: s.status,
  triggeredAt: s.triggered_at,
  triggerReason: s.trigger_reason,
  completedAt: s.completed_at,
  baseVersion: s.base_version,
  baseAccuracy: s.base_accuracy,
  decision: s.decision,
  decisionReason: s.decision_reason,
  winnerVariantId: s.winner_variant_id,
  outcome: s.outcome,
  needsReview: Boolean(s.needs_review),
});

export interface DecisionView {
  kind: AbDecision['kind'];
  /** Letter of the winning arm, null while undecided or without a winner. */
  winner: string | null;
  leader: string | null;
  reason: string;
  votes: number;
  /** The vote count at which the rule looks next (null when decided). */
  nextLookAtVotes: number | null;
}

export interface ResultsView {
  session: SessionRecordView;
  arms: ArmResult[];
  votes: number;
  none: number;
  skips: number;
  maxVotes: number;
  elapsedDays: number;
  /** Teammates' picks in the posterior (README "Teams"); null without. */
  team: { weight: number; members: { member: string; picks: number }[] } | null;
  decision: DecisionView;
}

export function resultsView(r: SessionResults): ResultsView {
  const d = r.decision;
  const letter = (i: number | null) => (i === null || r.votes === 0 ? null : (r.arms[i]?.letter ?? null));
  return {
    session: sessionView(r.session),
    arms: r.arms,
    votes: r.votes,
    none: r.none,
    skips: r.skips,
    maxVotes: r.maxVotes,
    elapsedDays: r.elapsedDays,
    team: r.team ? { weight: r.team.weight, members: r.team.members } : null,
    decision: {
      kind: d.kind,
      winner: letter(d.arm),
      leader: letter(d.leader),
      reason: d.reason,
      votes: d.votes,
      nextLookAtVotes: d.nextLookAt,
    },
  };
}

export const roundView = (r: VoteRound): VoteRound => r;

export interface ConclusionView {
  session: SessionRecordView;
  decision: AbDecision['kind'];
  outcome: Conclusion['outcome'];
  explanation: string;
  change: Conclusion['change'];
}

export const conclusionView = (c: Conclusion): ConclusionView => ({
  session: sessionView(c.session),
  decision: c.decision.kind,
  outcome: c.outcome,
  explanation: c.explanation,
  change: c.change,
});

export const voteView = (v: VoteOutcome & { conclusion: Conclusion | null; conclusionError: string | null }) => ({
  round: v.round,
  duplicate: v.duplicate,
  results: resultsView(v.results),
  conclusion: v.conclusion ? conclusionView(v.conclusion) : null,
  conclusionError: v.conclusionError,
});

export interface VersionRecordView {
  version: number;
  /** Cross-skill learning: "learned from file-naming v3 (…)" when the version's idea came from another skill. */
  learnedFrom?: string | null;
  templatePath: string;
  activeFrom: string;
  activeTo: string | null;
  accuracyStart: number | null;
  accuracyEnd: number | null;
  source: string | null;
  notes: string | null;
  sessionId: string | null;
  current: boolean;
}

export const versionView = (h: HistoryRow): VersionRecordView => ({
  version: h.version,
  templatePath: h.prompt_template_path,
  activeFrom: h.active_from,
  activeTo: h.active_to,
  accuracyStart: h.accuracy_start,
  accuracyEnd: h.accuracy_end,
  source: h.evolution_source,
  notes: h.notes,
  sessionId: h.session_id,
  current: h.active_to === null,
});

export interface StatsView {
  skill: string;
  description: string;
  evolvable: boolean;
  version: number;
  activeSince: string;
  accuracy: number | null;
  samples: number;
  successes: number;
  windowStart: string;
  windowEnd: string;
  previousAccuracy: number | null;
  /** Where accuracy is heading (the engine's regression over two windows); null with too little data. */
  trend: 'up' | 'down' | 'flat' | null;
  recentFailures: number;
  /** One line: what the skill is doing now (testing, the monitor's last verdict, or a newer promotion or rollback). */
  status: string;
  session: SessionRecordView | null;
  lastCheck: SkillStats['lastCheck'];
}

export const statsView = (s: SkillStats, status: string): StatsView => ({
  skill: s.skill,
  description: s.description,
  evolvable: s.evolvable,
  version: s.version,
  activeSince: s.activeSince,
  accuracy: s.accuracy.accuracy,
  samples: s.accuracy.samples,
  successes: s.accuracy.successes,
  windowStart: s.accuracy.windowStart,
  windowEnd: s.accuracy.windowEnd,
  previousAccuracy: s.trend.previous,
  trend: s.trend.direction,
  recentFailures: s.recentFailures,
  status,
  session: s.session ? sessionView(s.session) : null,
  lastCheck: s.lastCheck,
});

export interface CheckView {
  skill: string;
  verdict: CheckResult['verdict'];
  reason: string;
  accuracy: number | null;
  samples: number;
  checkedAt: string;
}

export const checkView = (c: CheckResult): CheckView => ({
  skill: c.skill,
  verdict: c.verdict,
  reason: c.reason,
  accuracy: c.accuracy.accuracy,
  samples: c.accuracy.samples,
  checkedAt: c.checkedAt,
});

export const monitorView = (run: MonitorRun, evolution: { evolve: boolean; reason: string }) => ({
  checks: run.checks.map(checkView),
  concluded: run.concluded.map(conclusionView),
  started: run.started.map(sessionView),
  pending: run.pending,
  evolve: evolution.evolve,
  evolveReason: evolution.reason,
});

export type RunTaskView =
  | { kind: 'task'; taskId: string; skill: string; output: string; variant: string | null; promptVersion: number | null; task: TaskView }
  | { kind: 'vote'; taskId: string; skill: string; round: VoteRound };

export const runTaskView = (r: Served): RunTaskView => (r.kind === 'vote' ? r : { ...r, task: taskView(r.task) });

export interface RenameRecordView {
  id: string;
  folder: string;
  from: string;
  to: string;
  taskId: string | null;
  at: string;
  undoneAt: string | null;
  undone: boolean;
}

export const renameView = (r: RenameRow): RenameRecordView => ({
  id: r.id,
  folder: r.folder,
  from: r.from_name,
  to: r.to_name,
  taskId: r.task_id,
  at: r.at,
  undoneAt: r.undone_at,
  undone: r.undone_at !== null,
});

export const undoView = (u: UndoResult) => ({ rename: renameView(u.rename), undone: u.undone, note: u.note });

export const proposalView = (p: Proposal): Proposal => p;

export const proposalDecisionView = (d: ProposalDecision) => ({
  proposal: d.proposal,
  rename: d.rename ? renameView(d.rename) : null,
  task: d.task ? taskView(d.task) : null,
  notes: d.notes,
});

const operatorView = (s: OperatorStats) => ({ ...s, rejected: camelKeys<number>(s.rejected as Partial<Record<RejectionReason, number>>) });

/** An evolution run's numbers (the prompts are the session's arms). */
export const evolutionView = (r: EvolutionResult) => ({
  runId: r.runId,
  skill: r.skill,
  modelId: r.modelId,
  resumedFrom: r.resumedFrom,
  generations: r.generations,
  stoppedEarly: r.stoppedEarly,
  needsReview: r.needsReview,
  reviewReason: r.reviewReason,
  currentFitness: r.currentFitness,
  bestFitness: r.bestFitness,
  finalExamples: r.finalExamples,
  counters: r.counters,
  operators: Object.fromEntries(Object.entries(r.operators).map(([op, s]) => [camel(op as OperatorName), operatorView(s)])),
  examples: r.examples,
  wallMs: Math.round(r.wallMs),
  /** Projected vs measured: wall seconds, and on a CPU the CPU-seconds and the load the run met. */
  projection: r.projection,
});

export interface GoldView {
  id: string;
  skill: string;
  source: 'shipped' | 'pinned';
  input: string;
  expected: string;
  note: string | null;
}

export const goldView = (g: GoldExample): GoldView => ({
  id: g.id,
  skill: g.skill,
  source: g.source,
  input: g.input,
  expected: g.expected,
  note: g.note,
});

export const resetView = (r: ResetResult) => ({ change: r.change, undo: r.undo });
