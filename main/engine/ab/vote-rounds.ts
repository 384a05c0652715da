import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../context';
import { nowIso } from '../context';
import { writeTransaction } from '../store/database';
import { UserError, usageError } from '../util/errors';
import { newId } from '../util/ids';
import { shuffle } from '../util/random';
import { shownArms, type AbSettings } from './joint-rule';
import { visibleOptions, type StoredOption } from './round-options';
import { requireActiveSession, sessionVariants } from './session-queries';
import type { RoundStatus, SessionResults, VoteRound } from './session-types';

/* Blind vote rounds: opening one for a task, and reading rounds as the choice window, the CLI and the app show them. */

/** What the round functions need from the sessions they belong to. */
export interface RoundsHost {
  readonly ctx: EngineContext;
  settings(): AbSettings;
  results(sessionId: string): SessionResults;
}

export interface RoundRow {
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

export function roundRow(db: Database, taskId: string): RoundRow | undefined {
  return db.prepare(`SELECT * FROM vote_rounds WHERE task_id = ?`).get(taskId) as RoundRow | undefined;
}

export function requireRoundRow(db: Database, taskId: string): RoundRow {
  const row = roundRow(db, taskId);
  if (!row) throw new UserError(`no vote round for task '${taskId}'`, { exitCode: 2, code: 'unknown_round' });
  return row;
}

/**
 * Opens a vote round for one task: the outputs of the arms still in the test (under the joint rule, those whose
 * P(best) is at least drop_below; at least two), shuffled behind blind labels 1, 2, 3.
 */
export function openRound(
  host: RoundsHost,
  sessionId: string,
  input: { taskId?: string; input: string; outputs: Record<string, string> },
): VoteRound {
  const { ctx } = host;
  const taskId = input.taskId ?? newId('task');
  writeTransaction(ctx.db, () => {
    const session = requireActiveSession(ctx.db, sessionId);
    if (roundRow(ctx.db, taskId)) throw usageError(`task '${taskId}' already has a vote round`, 'round_exists');
    if (ctx.db.prepare(`SELECT 1 FROM task_history WHERE id = ?`).get(taskId)) {
      throw usageError(`task '${taskId}' already exists`, 'duplicate_task');
    }
    // Which arms are still in the test is read inside the write transaction, after the last vote.
    const { posterior } = host.results(session.id);
    const shown = posterior ? new Set(shownArms(posterior, host.settings().dropBelow)) : null;
    const variants = sessionVariants(ctx.db, session.id).filter((_, i) => !shown || shown.has(i));
    const keyed = new Map(Object.entries(input.outputs).map(([k, v]) => [k.toUpperCase(), v]));
    const options = shuffle(ctx.rng, variants).map((variant, i): StoredOption => {
      const output = keyed.get(variant.variant_letter) ?? input.outputs[variant.id];
      if (output === undefined || !output.trim()) throw usageError(`missing output for arm ${variant.variant_letter}`);
      return { label: String(i + 1), variant_id: variant.id, output: output.trim() };
    });
    ctx.db
      .prepare(`INSERT INTO vote_rounds (id, session_id, task_id, input, options, status, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?)`)
      .run(newId('rnd'), session.id, taskId, input.input, JSON.stringify(options), nowIso(ctx));
  });
  return toRound(host, requireRoundRow(ctx.db, taskId));
}

/** The open rounds of running sessions (of one skill, or all), oldest first. */
export function openRounds(host: RoundsHost, skill: string | undefined, resultsOf: (sessionId: string) => SessionResults): VoteRound[] {
  const rows = host.ctx.db
    .prepare(
      `SELECT r.* FROM vote_rounds r JOIN prompt_evolution_sessions s ON s.id = r.session_id
       WHERE r.status = 'open' AND s.status = 'active' AND (@skill IS NULL OR s.skill = @skill) ORDER BY r.created_at`,
    )
    .all({ skill: skill ?? null }) as RoundRow[];
  return rows.map((r) => toRound(host, r, resultsOf(r.session_id)));
}

/** A round as shown: its options with the P(best) of the arm behind each (an open round: the arms still shown). */
export function toRound(host: RoundsHost, row: RoundRow, results: SessionResults = host.results(row.session_id)): VoteRound {
  const options = visibleOptions(JSON.parse(row.options) as StoredOption[], row.status, results, host.settings().dropBelow);
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
