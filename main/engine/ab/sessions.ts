import type { EngineContext } from '../context';
import type { PromptVersions } from '../prompts/prompt-versions';
import { writeTransaction } from '../store/database';
import type { AbSettings } from './joint-rule';
import { recordResult, undoVoteInTransaction, voteInTransaction } from './round-votes';
import { abSettingsFromConfig } from './session-evidence';
import { cancelSession, completeSession, createSession, keepCurrent, markPromoted, type CompleteFields } from './session-lifecycle';
import {
  activeSession,
  getSession,
  latestSession,
  listSessions,
  requireActiveSession,
  requireSession,
  sessionVariants,
  variantByRef,
} from './session-queries';
import { allocateTask, sessionResults } from './session-results';
import type {
  Allocation,
  CreateSessionOptions,
  PeerVotesSource,
  SessionResults,
  SessionRow,
  VariantRow,
  VoteChoice,
  VoteOutcome,
  VoteRound,
} from './session-types';
import { openRound, openRounds, requireRoundRow, roundRow, toRound, type RoundsHost } from './vote-rounds';

/**
 * A/B sessions: arms, blind vote rounds, idempotent votes and the tally the decision rule reads. One object over
 * the modules that do the work: session-lifecycle (create, complete, cancel), session-queries (lookups),
 * vote-rounds (open and show rounds), round-votes (vote and undo) and session-results (tally and serving).
 */
export class AbSessions implements RoundsHost {
  private peerVotes: PeerVotesSource | null = null;

  constructor(
    readonly ctx: EngineContext,
    private readonly prompts: PromptVersions,
  ) {}

  settings(): AbSettings {
    return abSettingsFromConfig(this.ctx.config.config.prompt_evolution.ab_testing);
  }

  /** Where teammates' picks come from (the team folder); returns the unsubscribe. */
  setPeerVotes(source: PeerVotesSource): () => void {
    this.peerVotes = source;
    return () => {
      if (this.peerVotes === source) this.peerVotes = null;
    };
  }

  create(options: CreateSessionOptions): SessionRow {
    return createSession(this.ctx, this.prompts, options);
  }

  get(id: string): SessionRow | undefined {
    return getSession(this.ctx.db, id);
  }

  require(id: string): SessionRow {
    return requireSession(this.ctx.db, id);
  }

  requireActive(sessionId: string): SessionRow {
    return requireActiveSession(this.ctx.db, sessionId);
  }

  active(skill: string): SessionRow | undefined {
    return activeSession(this.ctx.db, skill);
  }

  latest(skill: string): SessionRow | undefined {
    return latestSession(this.ctx.db, skill);
  }

  list(filter: { skill?: string; status?: string } = {}): SessionRow[] {
    return listSessions(this.ctx.db, filter);
  }

  variants(sessionId: string): VariantRow[] {
    return sessionVariants(this.ctx.db, sessionId);
  }

  /** An arm by letter ("B") or id, with a clear error naming the choices. */
  variant(sessionId: string, ref: string): VariantRow {
    return variantByRef(this.ctx.db, sessionId, ref);
  }

  /** Opens a vote round for one task: the arms still in the test, shuffled behind blind labels 1, 2, 3. */
  openRound(sessionId: string, input: { taskId?: string; input: string; outputs: Record<string, string> }): VoteRound {
    return openRound(this, sessionId, input);
  }

  /** A task's round; pass the session's tally when you already have it. */
  round(taskId: string, results?: SessionResults): VoteRound {
    return toRound(this, requireRoundRow(this.ctx.db, taskId), results);
  }

  hasRound(taskId: string): boolean {
    return roundRow(this.ctx.db, taskId) !== undefined;
  }

  /** Tallies for one read of many rounds: P(best) is the costly part and every round of a session shares it. */
  resultsCache(): (sessionId: string) => SessionResults {
    const cache = new Map<string, SessionResults>();
    return (sessionId) => {
      let results = cache.get(sessionId);
      if (!results) cache.set(sessionId, (results = this.results(sessionId)));
      return results;
    };
  }

  openRounds(skill?: string, resultsOf: (sessionId: string) => SessionResults = this.resultsCache()): VoteRound[] {
    return openRounds(this, skill, resultsOf);
  }

  /**
   * Records a vote: a label, 'none' or 'skip'. Idempotent per task id: the same vote again changes nothing;
   * a different vote on an answered task, a vote on a finished session or for an unknown label is refused.
   */
  vote(taskId: string, choice: VoteChoice): VoteOutcome {
    const duplicate = writeTransaction(this.ctx.db, () => voteInTransaction(this, taskId, choice));
    const row = requireRoundRow(this.ctx.db, taskId);
    const results = this.results(row.session_id);
    return { round: toRound(this, row, results), duplicate, results };
  }

  /**
   * The vote's checks and writes, for a caller's write transaction (a vote with its feedback commits as one).
   * Returns true when the same vote was already recorded.
   */
  voteInTransaction(taskId: string, choice: VoteChoice): boolean {
    return voteInTransaction(this, taskId, choice);
  }

  /** Takes a vote back while its test still runs, in one write transaction that checks the session first. */
  undoVote(taskId: string): VoteOutcome {
    writeTransaction(this.ctx.db, () => undoVoteInTransaction(this.ctx, taskId));
    const row = requireRoundRow(this.ctx.db, taskId);
    const results = this.results(row.session_id);
    return { round: toRound(this, row, results), duplicate: false, results };
  }

  /** The person keeps the current prompt over a finished test's winner that waited for them; once only. */
  keepCurrent(sessionId: string): SessionRow {
    return keepCurrent(this.ctx, sessionId);
  }

  /** One arm's row in ab_test_results: a served task (userChoice null) or one arm of a vote (1 picked, 0 not). */
  recordResult(row: { sessionId: string; variantId: string; taskId: string; userChoice: 0 | 1 | null; at: string; id?: string }): void {
    recordResult(this.ctx, row);
  }

  /** Marks a finished session's arm as the one promoted (a promotion by hand after the test ended); once only. */
  markPromoted(sessionId: string, variantId: string): void {
    markPromoted(this.ctx, sessionId, variantId);
  }

  results(sessionId: string): SessionResults {
    return sessionResults(this.ctx, sessionId, this.settings(), this.peerVotes);
  }

  /**
   * How to serve one task of the skill: the current prompt (no session), a vote round (with show_probability),
   * or an arm by Thompson sampling (see allocateTask).
   */
  allocate(skill: string, options: { allowVote?: boolean } = {}): Allocation {
    const session = this.active(skill);
    if (!session) return { kind: 'current' };
    return allocateTask(this.ctx, session, (id) => this.results(id), options);
  }

  /** Records the decision and closes the session, once (refused when no longer active); the caller promotes. */
  complete(sessionId: string, fields: CompleteFields): SessionRow {
    return completeSession(this.ctx, sessionId, fields);
  }

  cancel(sessionId: string): SessionRow {
    return cancelSession(this.ctx, sessionId);
  }
}
