import type { SessionResults, SessionRow, VoteRound } from '../engine/ab/session-types';
import type { Engine, SkillStats } from '../engine/engine';
import type {
  ArmView, EvolutionProgressView, HistoryView, SessionView, SkillView, VersionView, VoteRoundView,
} from '../../contract/api';
import { percent } from '../engine/util/format';

// Engine rows → the contract's plain views. Pure reads: nothing here writes to the database or config.yaml.


function leaderOf(results: SessionResults): { letter: string | null; pBest: number } {
  if (results.votes === 0) return { letter: null, pBest: 0 };
  const arm = results.arms[results.decision.leader];
  return { letter: arm?.letter ?? null, pBest: arm?.pBest ?? 0 };
}

export function sessionView(results: SessionResults): SessionView {
  const { session } = results;
  const leader = leaderOf(results);
  const arms: ArmView[] = results.arms.map((a) => ({
    letter: a.letter,
    votes: a.votes,
    pBest: a.pBest,
    expectedLoss: a.expectedLoss,
    accuracy: a.accuracy,
    served: a.served,
    source: a.source,
    reasoning: a.reasoning,
    prompt: a.prompt,
  }));
  return {
    id: session.id,
    skill: session.skill,
    status: session.status,
    votes: results.votes,
    maxVotes: results.maxVotes,
    none: results.none,
    skips: results.skips,
    elapsedDays: Math.round(results.elapsedDays * 100) / 100,
    leader: leader.letter,
    leaderPBest: leader.pBest,
    decisionReason: session.status === 'active' ? results.decision.reason : session.decision_reason ?? results.decision.reason,
    outcome: session.outcome,
    arms,
  };
}

/** The one-line tip under a vote round, from the session's current tally. */
export function roundTip(round: VoteRound, results: SessionResults): string {
  if (round.status !== 'open') {
    return round.picked ? `Recorded: option ${round.picked}. Thank you.` : round.status === 'none' ? 'Recorded: none of them. Thank you.' : 'Skipped.';
  }
  if (results.session.status !== 'active') return `This test has ended: ${results.session.decision_reason ?? 'no more votes are needed'}.`;
  if (results.votes === 0) return 'No votes yet: pick the one you would keep.';
  const best = round.options.reduce((a, b) => (b.pBest > a.pBest ? b : a), round.options[0]);
  const next = results.decision.nextLookAt ?? results.maxVotes;
  const more = Math.max(1, next - results.votes);
  return `Option ${best.label} is leading at ${percent(best.pBest)}. Next check after ${more} more vote${more === 1 ? '' : 's'}.`;
}

export function roundView(round: VoteRound, results: SessionResults): VoteRoundView {
  return {
    taskId: round.taskId,
    sessionId: round.sessionId,
    skill: round.skill,
    input: round.input,
    status: round.status,
    options: round.options.map((o) => ({ label: o.label, output: o.output, pBest: o.pBest })),
    picked: round.picked,
    votes: round.votes,
    maxVotes: round.maxVotes,
    tip: roundTip(round, results),
  };
}

/** The session a skill card shows: the running one, else a finished winner still waiting for a hand promotion. */
function shownSession(engine: Engine, stats: SkillStats): SessionRow | null {
  if (stats.session) return stats.session;
  const latest = engine.sessions.latest(stats.skill);
  return latest && latest.status === 'completed' && latest.outcome === 'awaiting_manual' ? latest : null;
}

/** Session tallies for one state read (AbSessions.resultsCache). */
export type ResultsCache = (sessionId: string) => SessionResults;

export function skillView(engine: Engine, stats: SkillStats, evolution: EvolutionProgressView | null, results: ResultsCache = engine.sessions.resultsCache()): SkillView {
  const session = shownSession(engine, stats);
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
    verdict: stats.lastCheck?.verdict ?? null,
    verdictReason: stats.lastCheck?.reason ?? null,
    session: session ? sessionView(results(session.id)) : null,
    evolution,
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
    };
  });
  return { skill, versions };
}
