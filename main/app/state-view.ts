import {
  evolutionWords,
  formatTimeLeft,
  isRunningPhase,
  moreVotes,
  skillInsight,
  skillStatus,
  testProgressSentence,
  type Engine,
  type LiveProgress,
  type SessionResults,
  type SessionRow,
  type SkillStats,
  type VoteRound,
} from '../engine';
import type { EvolutionView, HistoryView, SkillView, TeamOfferView, VersionView, VoteRoundView } from '../../contract/api';
import { reviewView } from './review-view';

// Engine rows → the contract's plain views. Pure reads: nothing here writes to the database or config.yaml.

/** Session tallies for one state read (AbSessions.resultsCache). */
export type ResultsCache = (sessionId: string) => SessionResults;

/**
 * A vote round as the page shows it. While it is open, no option's confidence is sent unless the person asked to
 * see it before voting (show_confidence_before_vote): a leader shown before a vote steers it. Once answered,
 * every option's confidence is revealed.
 */
export function roundView(
  engine: Engine,
  round: VoteRound,
  results: SessionResults,
  options: { revealOpen?: boolean } = {},
): VoteRoundView {
  const reveal = round.status !== 'open' || options.revealOpen === true;
  const active = results.session.status === 'active';
  const task = round.status === 'picked' ? engine.tasks.get(round.taskId) : undefined;
  return {
    taskId: round.taskId,
    skill: round.skill,
    input: round.input,
    status: round.status,
    options: round.options.map((o) => ({ label: o.label, output: o.output, pBest: reveal ? o.pBest : null })),
    picked: round.picked,
    votes: results.votes,
    maxVotes: results.maxVotes,
    progress: active
      ? testProgressSentence(results.votes, moreVotes(engine, results))
      : 'This test has been decided: no more votes are needed.',
    canUndo: round.status !== 'open' && active && !task?.outcome,
  };
}

/** The popover's card for an evolution, running here or in another process. */
export function evolutionView(progress: LiveProgress & { elsewhere: boolean }, paused: boolean): EvolutionView {
  const words = evolutionWords({ ...progress }, paused);
  return {
    ...words,
    fraction: progress.phase === 'done' ? 1 : progress.fraction,
    timeLeft: words.status === 'running' || words.status === 'pausing' ? formatTimeLeft(progress.etaSeconds) : null,
    elsewhere: progress.elsewhere,
  };
}

/** The session a review card is for: a finished winner waiting for the person, or a running test evolution flagged. */
function sessionToReview(engine: Engine, stats: SkillStats): SessionRow | null {
  if (stats.session) return stats.session.needs_review === 1 ? stats.session : null;
  const latest = engine.sessions.latest(stats.skill);
  return latest && latest.status === 'completed' && latest.outcome === 'awaiting_manual' ? latest : null;
}

export interface SkillViewOptions {
  paused: boolean;
  /** This process's own evolution of the skill (its host's progress), if any. */
  evolution: LiveProgress | null;
  results?: ResultsCache;
  /** A teammate's test or version to offer (team-view's teamOfferFor); shown only while nothing runs. */
  teamOffer?: TeamOfferView | null;
}

export function skillView(engine: Engine, stats: SkillStats, options: SkillViewOptions): SkillView {
  const results = options.results ?? engine.sessions.resultsCache();
  const status = skillStatus(engine, stats, { paused: options.paused, evolution: options.evolution, results });
  const running = status.evolution !== null && isRunningPhase(status.evolution.phase);
  const reviewed = sessionToReview(engine, stats);
  const insight = skillInsight(engine.ctx, stats.skill);
  return {
    skill: stats.skill,
    description: stats.description,
    evolvable: stats.evolvable,
    version: stats.version,
    activeSince: stats.activeSince,
    accuracy: stats.accuracy.accuracy,
    samples: stats.accuracy.samples,
    previousAccuracy: stats.trend.previous,
    trend: stats.trend.direction,
    state: status.state,
    evolution: status.evolution ? evolutionView(status.evolution, options.paused) : null,
    review: reviewed ? reviewView(engine, results(reviewed.id)) : null,
    canEvolve:
      stats.evolvable &&
      status.input.enabled &&
      status.input.modelAvailable &&
      !stats.session &&
      !running &&
      !options.paused &&
      !stats.problem,
    insight: { points: insight.points, markers: insight.markers, month: insight.month },
    lastCheck: stats.lastCheck ? `${stats.lastCheck.verdict.replace(/_/g, ' ')}: ${stats.lastCheck.reason}` : null,
    canReset: stats.evolvable && stats.version !== 1 && !stats.session && !running,
    resetSuggestion: stats.version !== 1 ? engine.resetReminder(stats.skill) : null,
    teamOffer: running || stats.session ? null : (options.teamOffer ?? null),
  };
}

export function historyView(engine: Engine, skill: string): HistoryView {
  engine.prompts.active(skill);
  const rows = engine.prompts.history(skill);
  const versions: VersionView[] = rows.map((row) => {
    let prompt: string;
    try {
      prompt = engine.ctx.skills.loadVersion(skill, row.prompt_template_path).prompt;
    } catch (error) {
      // A deleted or hand-broken version file must not hide the rest of the history.
      prompt = `(prompt unavailable: ${(error as Error).message})`;
    }
    return {
      version: row.version,
      templatePath: row.prompt_template_path,
      prompt,
      activeFrom: row.active_from,
      activeTo: row.active_to,
      accuracyEnd: row.accuracy_end,
      source: row.evolution_source,
      notes: row.notes,
      current: row.active_to === null,
      learnedFrom: engine.learning.versionIdeaSource(row.session_id),
    };
  });
  return { skill, versions };
}
