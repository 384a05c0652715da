import type { EngineContext } from '../context';
import { nowIso } from '../context';
import { measureAccuracy } from '../feedback/accuracy';
import type { PromptVersions } from '../prompts/prompt-versions';
import { writeTransaction } from '../store/database';
import { INPUT_PLACEHOLDER } from '../skills/skill-file';
import { DAY_MS } from '../util/clock';
import { UserError, usageError } from '../util/errors';
import { newId } from '../util/ids';
import { shuffle } from '../util/random';
import { thompsonServe } from './allocation';
import { thompsonActive } from './joint-model';
import { decideSession, shownArms, type AbSettings } from './joint-rule';
import { visibleOptions, type StoredOption } from './round-options';
import { abSettingsFromConfig, pooledVotes, sessionEvidence } from './session-evidence';
import type {
  Allocation,
  ArmResult,
  CreateSessionOptions,
  PeerVotesSource,
  PooledVotes,
  RoundStatus,
  SessionResults,
  SessionRow,
  VariantRow,
  VoteChoice,
  VoteOutcome,
  VoteRound,
} from './session-types';

interface RoundRow {
  id: string;
  session_id: string;
  task_id: string;
  input: string;
  options: string;
  status: RoundStatus;
  picked_variant_id: string | null;
  created_at: string;
  answered_at: string | null;
}

const LETTERS = 'ABCDEFGHIJ';

/** A/B sessions: arms, blind vote rounds, idempotent votes and the tally the decision rule reads. */
export class AbSessions {
  private peerVotes: PeerVotesSource | null = null;

  constructor(
    private readonly ctx: EngineContext,
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
    const skill = this.ctx.skills.get(options.skill);
    if (!skill.evolvable) throw usageError(`skill '${skill.name}' is not evolvable`, 'not_evolvable');
    if (options.variants.length < 2 || options.variants.length > LETTERS.length) {
      throw usageError(`an A/B session needs 2 to ${LETTERS.length} variants (got ${options.variants.length})`);
    }
    options.variants.forEach((v, i) => {
      if (!v.prompt.includes(INPUT_PLACEHOLDER)) {
        throw usageError(`variant ${LETTERS[i]} has no ${INPUT_PLACEHOLDER} placeholder`, 'bad_variant');
      }
    });
    const prompts = options.variants.map((v) => v.prompt.trim());
    const twin = prompts.findIndex((prompt, i) => prompts.indexOf(prompt) !== i);
    if (twin !== -1) {
      throw usageError(
        `variants ${LETTERS[prompts.indexOf(prompts[twin])]} and ${LETTERS[twin]} are the same prompt: an A/B test needs different ones`,
        'bad_variant',
      );
    }
    const id = newId('ses');
    writeTransaction(this.ctx.db, () => {
      // Checked inside the write transaction: two processes starting a session at once get one session.
      const existing = this.active(skill.name);
      if (existing) {
        throw new UserError(`skill '${skill.name}' already has an active A/B session (${existing.id})`, { code: 'session_exists' });
      }
      const active = this.prompts.active(skill.name);
      if (active.problem) throw new UserError(`${skill.name}: ${active.problem}; roll back first`, { code: 'broken_version' });
      const base = measureAccuracy(this.ctx, active);
      const session: SessionRow = {
        id,
        skill: skill.name,
        original_prompt_hash: active.hash,
        triggered_at: nowIso(this.ctx),
        trigger_reason: options.reason,
        status: 'active',
        completed_at: null,
        base_version: active.version,
        base_accuracy: base.accuracy,
        base_samples: base.samples,
        decision: null,
        decision_reason: null,
        winner_variant_id: null,
        outcome: null,
        needs_review: options.needsReview ? 1 : 0,
        peer_votes: null,
      };
      this.ctx.db
        .prepare(
          `INSERT INTO prompt_evolution_sessions (id, skill, original_prompt_hash, triggered_at, trigger_reason, status,
             base_version, base_accuracy, base_samples, needs_review)
           VALUES (@id, @skill, @original_prompt_hash, @triggered_at, @trigger_reason, @status, @base_version,
             @base_accuracy, @base_samples, @needs_review)`,
        )
        .run(session);
      const insert = this.ctx.db.prepare(
        `INSERT INTO prompt_variants (id, session_id, variant_letter, prompt_template, reasoning, arm_index, source,
           source_version, fitness, fitness_samples, provenance, broken_pins)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      options.variants.forEach((v, i) =>
        insert.run(
          newId('var'),
          session.id,
          LETTERS[i],
          v.prompt,
          v.reasoning ?? null,
          i,
          v.source ?? 'file',
          v.sourceVersion ?? null,
          v.fitness ?? null,
          v.fitnessSamples ?? null,
          v.provenance ? JSON.stringify(v.provenance) : null,
          v.brokenPins ? JSON.stringify(v.brokenPins) : null,
        ),
      );
    });
    return this.require(id);
  }

  get(id: string): SessionRow | undefined {
    return this.ctx.db.prepare(`SELECT * FROM prompt_evolution_sessions WHERE id = ?`).get(id) as SessionRow | undefined;
  }

  require(id: string): SessionRow {
    const session = this.get(id);
    if (!session) throw new UserError(`unknown A/B session '${id}'`, { exitCode: 2, code: 'unknown_session' });
    return session;
  }

  active(skill: string): SessionRow | undefined {
    return this.ctx.db
      .prepare(`SELECT * FROM prompt_evolution_sessions WHERE skill = ? AND status = 'active' ORDER BY triggered_at DESC LIMIT 1`)
      .get(skill) as SessionRow | undefined;
  }

  latest(skill: string): SessionRow | undefined {
    return this.ctx.db
      .prepare(`SELECT * FROM prompt_evolution_sessions WHERE skill = ? ORDER BY triggered_at DESC, rowid DESC LIMIT 1`)
      .get(skill) as SessionRow | undefined;
  }

  list(filter: { skill?: string; status?: string } = {}): SessionRow[] {
    return this.ctx.db
      .prepare(
        `SELECT * FROM prompt_evolution_sessions WHERE (@skill IS NULL OR skill = @skill) AND (@status IS NULL OR status = @status)
         ORDER BY triggered_at DESC, rowid DESC`,
      )
      .all({ skill: filter.skill ?? null, status: filter.status ?? null }) as SessionRow[];
  }

  variants(sessionId: string): VariantRow[] {
    return this.ctx.db.prepare(`SELECT * FROM prompt_variants WHERE session_id = ? ORDER BY arm_index`).all(sessionId) as VariantRow[];
  }

  /** An arm by letter ("B") or id, with a clear error naming the choices. */
  variant(sessionId: string, ref: string): VariantRow {
    const variants = this.variants(sessionId);
    const wanted = ref.trim().replace(/^variant[_-]?/i, '');
    const found = variants.find((v) => v.id === ref || v.variant_letter.toLowerCase() === wanted.toLowerCase());
    if (!found) {
      throw new UserError(`unknown arm '${ref}' in session ${sessionId} (arms: ${variants.map((v) => v.variant_letter).join(', ')})`, {
        exitCode: 2,
        code: 'unknown_arm',
      });
    }
    return found;
  }

  /**
   * Opens a vote round for one task: the outputs of the arms still in the test (under the joint rule, those whose
   * P(best) is at least drop_below; at least two), shuffled behind blind labels 1, 2, 3.
   */
  openRound(sessionId: string, input: { taskId?: string; input: string; outputs: Record<string, string> }): VoteRound {
    const taskId = input.taskId ?? newId('task');
    writeTransaction(this.ctx.db, () => {
      const session = this.requireActive(sessionId);
      if (this.roundRow(taskId)) throw usageError(`task '${taskId}' already has a vote round`, 'round_exists');
      if (this.ctx.db.prepare(`SELECT 1 FROM task_history WHERE id = ?`).get(taskId)) {
        throw usageError(`task '${taskId}' already exists`, 'duplicate_task');
      }
      // Which arms are still in the test is read inside the write transaction, after the last vote.
      const { posterior } = this.results(session.id);
      const shown = posterior ? new Set(shownArms(posterior, this.settings().dropBelow)) : null;
      const variants = this.variants(session.id).filter((_, i) => !shown || shown.has(i));
      const keyed = new Map(Object.entries(input.outputs).map(([k, v]) => [k.toUpperCase(), v]));
      const options = shuffle(this.ctx.rng, variants).map((variant, i): StoredOption => {
        const output = keyed.get(variant.variant_letter) ?? input.outputs[variant.id];
        if (output === undefined || !output.trim()) throw usageError(`missing output for arm ${variant.variant_letter}`);
        return { label: String(i + 1), variant_id: variant.id, output: output.trim() };
      });
      this.ctx.db
        .prepare(`INSERT INTO vote_rounds (id, session_id, task_id, input, options, status, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?)`)
        .run(newId('rnd'), session.id, taskId, input.input, JSON.stringify(options), nowIso(this.ctx));
    });
    return this.round(taskId);
  }

  /** A task's round; pass the session's tally when you already have it. */
  round(taskId: string, results?: SessionResults): VoteRound {
    const row = this.roundRow(taskId);
    if (!row) throw new UserError(`no vote round for task '${taskId}'`, { exitCode: 2, code: 'unknown_round' });
    return this.toRound(row, results);
  }

  hasRound(taskId: string): boolean {
    return this.roundRow(taskId) !== undefined;
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
    const rows = this.ctx.db
      .prepare(
        `SELECT r.* FROM vote_rounds r JOIN prompt_evolution_sessions s ON s.id = r.session_id
         WHERE r.status = 'open' AND s.status = 'active' AND (@skill IS NULL OR s.skill = @skill) ORDER BY r.created_at`,
      )
      .all({ skill: skill ?? null }) as RoundRow[];
    return rows.map((r) => this.toRound(r, resultsOf(r.session_id)));
  }

  /**
   * Records a vote: a label, 'none' or 'skip'. Idempotent per task id: the same vote again changes nothing;
   * a different vote on an answered task, a vote on a finished session or for an unknown label is refused.
   */
  vote(taskId: string, choice: VoteChoice): VoteOutcome {
    const duplicate = writeTransaction(this.ctx.db, () => this.voteInTransaction(taskId, choice));
    const row = this.roundRow(taskId)!;
    const results = this.results(row.session_id);
    return { round: this.toRound(row, results), duplicate, results };
  }

  /**
   * The vote's checks and writes, for a caller's write transaction (a vote with its feedback commits as one).
   * Returns true when the same vote was already recorded.
   */
  voteInTransaction(taskId: string, choice: VoteChoice): boolean {
    const row = this.roundRow(taskId);
    if (!row) throw new UserError(`no vote round for task '${taskId}'`, { exitCode: 2, code: 'unknown_round' });
    const session = this.require(row.session_id);
    const stored = JSON.parse(row.options) as StoredOption[];
    // What the round shows is decided here, inside the write transaction, after the last vote (as openRound does):
    // an arm that lost since the round opened is not shown, so it can be neither picked nor counted as shown.
    const live = row.status === 'open' && session.status === 'active' && stored.length > 2;
    const options = live ? visibleOptions(stored, row.status, this.results(session.id), this.settings().dropBelow) : stored;
    const normalized = choice.trim().toLowerCase();
    const option = options.find((o) => o.label === normalized);
    if (!option && normalized !== 'none' && normalized !== 'skip') {
      const choices = `choose ${options.map((o) => o.label).join(', ')}, none or skip`;
      if (stored.some((o) => o.label === normalized)) {
        const message = `option ${normalized} of task '${taskId}' has left the A/B test (it has clearly lost); ${choices}`;
        throw new UserError(message, { exitCode: 2, code: 'option_withdrawn' });
      }
      throw usageError(`unknown option '${choice}' for task '${taskId}' (${choices})`, 'unknown_arm');
    }
    const status: RoundStatus = option ? 'picked' : normalized === 'none' ? 'none' : 'skipped';
    if (row.status !== 'open') {
      if (row.status === status && (row.picked_variant_id ?? null) === (option?.variant_id ?? null)) return true;
      throw new UserError(`task '${taskId}' was already answered (${describeAnswer(row, options)})`, {
        exitCode: 2,
        code: 'already_voted',
      });
    }
    if (session.status !== 'active') {
      throw new UserError(`A/B session ${session.id} is ${session.status}; it takes no more votes`, {
        exitCode: 2,
        code: 'session_closed',
      });
    }
    const at = nowIso(this.ctx);
    this.ctx.db
      .prepare(`UPDATE vote_rounds SET status = ?, picked_variant_id = ?, answered_at = ?, options = ? WHERE id = ? AND status = 'open'`)
      .run(status, option?.variant_id ?? null, at, JSON.stringify(options), row.id);
    if (status === 'skipped') return false;
    for (const o of options)
      this.recordResult({ sessionId: session.id, variantId: o.variant_id, taskId, userChoice: o === option ? 1 : 0, at });
    if (!option) return false;
    this.ctx.db.prepare(`UPDATE prompt_variants SET votes = votes + 1 WHERE id = ?`).run(option.variant_id);
    // The pick becomes that arm's output for the task; the user's keep or edit then counts like a served task.
    this.ctx.db
      .prepare(
        `INSERT INTO task_history (id, skill, prompt_version, variant_id, session_id, input, output, source, created_at)
         VALUES (?, ?, NULL, ?, ?, ?, ?, 'vote', ?)`,
      )
      .run(taskId, session.skill, option.variant_id, session.id, row.input, option.output, at);
    return false;
  }

  /**
   * Takes a vote back while its test still runs: the round is open again and everything the vote wrote goes,
   * in one write transaction that checks the session first. Refused once the session is no longer active (the
   * vote may have led to its decision), for a round with no vote, and for a vote that came with a verdict on
   * the result (a rename; undo the rename instead).
   */
  undoVote(taskId: string): VoteOutcome {
    writeTransaction(this.ctx.db, () => {
      const row = this.roundRow(taskId);
      if (!row) throw new UserError(`no vote round for task '${taskId}'`, { exitCode: 2, code: 'unknown_round' });
      const session = this.require(row.session_id);
      if (session.status !== 'active') {
        const message = 'this test has already been decided, so the vote can no longer be taken back';
        throw new UserError(message, { exitCode: 2, code: 'session_closed' });
      }
      if (row.status === 'open') throw usageError(`task '${taskId}' has no vote to take back`, 'not_voted');
      const task = this.ctx.db.prepare(`SELECT outcome FROM task_history WHERE id = ?`).get(taskId) as
        | { outcome: string | null }
        | undefined;
      if (task?.outcome) {
        throw usageError(`the vote on task '${taskId}' came with a verdict on its result; undo that instead`, 'feedback_exists');
      }
      this.ctx.db.prepare(`UPDATE vote_rounds SET status = 'open', picked_variant_id = NULL, answered_at = NULL WHERE id = ?`).run(row.id);
      this.ctx.db.prepare(`DELETE FROM ab_test_results WHERE task_id = ? AND session_id = ?`).run(taskId, session.id);
      if (row.picked_variant_id) {
        this.ctx.db.prepare(`UPDATE prompt_variants SET votes = votes - 1 WHERE id = ? AND votes > 0`).run(row.picked_variant_id);
        this.ctx.db.prepare(`DELETE FROM task_history WHERE id = ? AND source = 'vote'`).run(taskId);
      }
    });
    const row = this.roundRow(taskId)!;
    const results = this.results(row.session_id);
    return { round: this.toRound(row, results), duplicate: false, results };
  }

  /** The person keeps the current prompt over a finished test's winner that waited for them; once only. */
  keepCurrent(sessionId: string): SessionRow {
    const changed = this.ctx.db
      .prepare(
        `UPDATE prompt_evolution_sessions
         SET outcome = 'kept', decision_reason = COALESCE(decision_reason || ' ', '') || 'The current prompt was kept by hand.'
         WHERE id = ? AND status = 'completed' AND outcome = 'awaiting_manual'`,
      )
      .run(sessionId).changes;
    if (changed === 0) throw usageError(`A/B session ${sessionId} has no winner waiting for review`, 'nothing_to_review');
    return this.require(sessionId);
  }

  /** One arm's row in ab_test_results: a served task (userChoice null) or one arm of a vote (1 picked, 0 not). */
  recordResult(row: { sessionId: string; variantId: string; taskId: string; userChoice: 0 | 1 | null; at: string; id?: string }): void {
    this.ctx.db
      .prepare(
        `INSERT INTO ab_test_results (id, session_id, variant_id, task_id, user_choice, task_success, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?)`,
      )
      .run(row.id ?? newId('res'), row.sessionId, row.variantId, row.taskId, row.userChoice, row.at);
  }

  /** Marks a finished session's arm as the one promoted (a promotion by hand after the test ended); once only. */
  markPromoted(sessionId: string, variantId: string): void {
    const changed = this.ctx.db
      .prepare(
        `UPDATE prompt_evolution_sessions SET outcome = 'promoted', winner_variant_id = ? WHERE id = ? AND outcome IS NOT 'promoted'`,
      )
      .run(variantId, sessionId).changes;
    if (changed === 0) throw usageError(`A/B session ${sessionId} already promoted a variant`, 'already_promoted');
  }

  results(sessionId: string): SessionResults {
    const session = this.require(sessionId);
    const variants = this.variants(sessionId);
    const counts = this.ctx.db
      .prepare(`SELECT status, picked_variant_id AS v, COUNT(*) AS n FROM vote_rounds WHERE session_id = ? GROUP BY status, v`)
      .all(sessionId) as { status: RoundStatus; v: string | null; n: number }[];
    const picks = variants.map((v) => counts.find((c) => c.status === 'picked' && c.v === v.id)?.n ?? 0);
    const none = counts.find((c) => c.status === 'none')?.n ?? 0;
    const skips = counts.find((c) => c.status === 'skipped')?.n ?? 0;
    const end = session.completed_at ? new Date(session.completed_at) : this.ctx.clock.now();
    const elapsedDays = Math.max(0, (end.getTime() - new Date(session.triggered_at).getTime()) / DAY_MS);
    const settings = this.settings();
    const evidence = sessionEvidence(this.ctx.db, sessionId, variants, { picks, none, skips, elapsedDays });
    const team = settings.rule === 'joint' ? pooledVotes(session, variants, evidence, this.peerVotes) : null;
    if (team) evidence.arms = evidence.arms.map((a, i) => ({ ...a, peerPicks: team.peerPicks[i] }));
    const { decision, posterior } = decideSession(evidence, settings);
    const arms: ArmResult[] = variants.map((v, i) => ({
      letter: v.variant_letter,
      variantId: v.id,
      source: v.source,
      reasoning: v.reasoning,
      prompt: v.prompt_template,
      votes: picks[i],
      pBest: decision.pBest[i],
      expectedLoss: Number.isFinite(decision.expectedLoss[i]) ? decision.expectedLoss[i] : null,
      inTest: !posterior || posterior.active.includes(i),
      served: v.served,
      accepted: v.accepted,
      accuracy: v.served > 0 ? v.accepted / v.served : null,
      fitness: v.fitness,
      brokenPins: v.broken_pins ? (JSON.parse(v.broken_pins) as string[]) : [],
    }));
    const { maxVotes, rule } = settings;
    return { session, arms, votes: decision.votes, none, skips, maxVotes, elapsedDays, rule, posterior, decision, team };
  }

  /**
   * How to serve one task of the skill: the current prompt (no session), a vote round (with show_probability),
   * or an arm by Thompson sampling. `allowVote: false` is for a caller that needs one answer: an arm, or the
   * current prompt when every task is a vote round (show_probability 1).
   */
  allocate(skill: string, options: { allowVote?: boolean } = {}): Allocation {
    const session = this.active(skill);
    if (!session) return { kind: 'current' };
    const showProbability = this.ctx.config.config.prompt_evolution.ab_testing.show_probability;
    if (options.allowVote === false) {
      if (showProbability >= 1) return { kind: 'current' };
    } else if (this.ctx.rng.next() < showProbability) {
      return { kind: 'vote', session };
    }
    const variants = this.variants(session.id);
    // The joint rule serves among the arms still in the test, by a draw from its posterior.
    const { posterior } = this.results(session.id);
    const arm = posterior
      ? thompsonActive(posterior, this.ctx.rng)
      : thompsonServe(
          variants.map((v) => ({ accepted: v.accepted, served: v.served })),
          this.ctx.rng,
        );
    return { kind: 'arm', session, variant: variants[arm] };
  }

  /**
   * Records the decision and closes the session; the caller decides about promotion. Refused when the session
   * is no longer active (concluded or cancelled by another process meanwhile), so a decision lands once.
   */
  complete(
    sessionId: string,
    fields: {
      decision: string;
      reason: string;
      winnerVariantId: string | null;
      outcome: string;
      baseAccuracy?: number | null;
      /** The teammates' picks the decision used (results().team), kept with the session. */
      peerVotes?: PooledVotes | null;
    },
  ): SessionRow {
    return writeTransaction(this.ctx.db, () => {
      const changed = this.ctx.db
        .prepare(
          `UPDATE prompt_evolution_sessions SET status = 'completed', completed_at = ?, decision = ?, decision_reason = ?,
             winner_variant_id = ?, outcome = ?, base_accuracy = COALESCE(?, base_accuracy), peer_votes = ?
           WHERE id = ? AND status = 'active'`,
        )
        .run(
          nowIso(this.ctx),
          fields.decision,
          fields.reason,
          fields.winnerVariantId,
          fields.outcome,
          fields.baseAccuracy ?? null,
          fields.peerVotes ? JSON.stringify(fields.peerVotes) : null,
          sessionId,
        ).changes;
      if (changed === 0) this.requireActive(sessionId);
      return this.require(sessionId);
    });
  }

  cancel(sessionId: string): SessionRow {
    return writeTransaction(this.ctx.db, () => {
      this.requireActive(sessionId);
      this.ctx.db
        .prepare(`UPDATE prompt_evolution_sessions SET status = 'cancelled', completed_at = ? WHERE id = ? AND status = 'active'`)
        .run(nowIso(this.ctx), sessionId);
      return this.require(sessionId);
    });
  }

  requireActive(sessionId: string): SessionRow {
    const session = this.require(sessionId);
    if (session.status !== 'active') {
      throw new UserError(`A/B session ${session.id} is ${session.status}`, { exitCode: 2, code: 'session_closed' });
    }
    return session;
  }

  private roundRow(taskId: string): RoundRow | undefined {
    return this.ctx.db.prepare(`SELECT * FROM vote_rounds WHERE task_id = ?`).get(taskId) as RoundRow | undefined;
  }

  private toRound(row: RoundRow, results: SessionResults = this.results(row.session_id)): VoteRound {
    const options = visibleOptions(JSON.parse(row.options) as StoredOption[], row.status, results, this.settings().dropBelow);
    const pBestOf = new Map(results.arms.map((a) => [a.variantId, a.pBest]));
    return {
      id: row.id,
      sessionId: row.session_id,
      skill: results.session.skill,
      taskId: row.task_id,
      input: row.input,
      status: row.status,
      options: options.map((o) => ({ label: o.label, output: o.output, pBest: pBestOf.get(o.variant_id) ?? 0 })),
      picked: options.find((o) => o.variant_id === row.picked_variant_id)?.label ?? null,
      createdAt: row.created_at,
      answeredAt: row.answered_at,
      votes: results.votes,
      maxVotes: results.maxVotes,
    };
  }
}

function describeAnswer(row: RoundRow, options: StoredOption[]): string {
  if (row.status === 'picked') return `picked option ${options.find((o) => o.variant_id === row.picked_variant_id)?.label}`;
  return row.status === 'none' ? 'none is good' : 'skipped';
}
