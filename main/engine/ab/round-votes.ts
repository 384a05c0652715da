import type { EngineContext } from '../context';
import { nowIso } from '../context';
import { UserError, usageError } from '../util/errors';
import { newId } from '../util/ids';
import { visibleOptions, type StoredOption } from './round-options';
import { requireSession } from './session-queries';
import type { RoundStatus, VoteChoice } from './session-types';
import { requireRoundRow, type RoundRow, type RoundsHost } from './vote-rounds';

/*
 * A vote on a round and taking it back, each inside the caller's write transaction. Votes are idempotent per task
 * id: the same vote again changes nothing; a different vote on an answered round is refused.
 */

/**
 * The vote's checks and writes, for a caller's write transaction (a vote with its feedback commits as one).
 * Returns true when the same vote was already recorded.
 */
export function voteInTransaction(host: RoundsHost, taskId: string, choice: VoteChoice): boolean {
  const { ctx } = host;
  const row = requireRoundRow(ctx.db, taskId);
  const session = requireSession(ctx.db, row.session_id);
  const stored = JSON.parse(row.options) as StoredOption[];
  // What the round shows is decided here, inside the write transaction, after the last vote (as openRound does):
  // an arm that lost since the round opened is not shown, so it can be neither picked nor counted as shown.
  const live = row.status === 'open' && session.status === 'active' && stored.length > 2;
  const options = live ? visibleOptions(stored, row.status, host.results(session.id), host.settings().dropBelow) : stored;
  const normalized = choice.trim().toLowerCase();
  const option = options.find((o) => o.label === normalized);
  if (!option && normalized !== 'none' && normalized !== 'skip') {
    // An answered round's options are those it showed: a label it did not show is no reason to vote again.
    if (row.status !== 'open') throw alreadyAnswered(taskId, row, options);
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
    throw alreadyAnswered(taskId, row, options);
  }
  if (session.status !== 'active') {
    throw new UserError(`A/B session ${session.id} is ${session.status}; it takes no more votes`, {
      exitCode: 2,
      code: 'session_closed',
    });
  }
  const at = nowIso(ctx);
  ctx.db
    .prepare(`UPDATE vote_rounds SET status = ?, picked_variant_id = ?, answered_at = ?, options = ? WHERE id = ? AND status = 'open'`)
    .run(status, option?.variant_id ?? null, at, JSON.stringify(options), row.id);
  if (status === 'skipped') return false;
  for (const o of options) {
    recordResult(ctx, { sessionId: session.id, variantId: o.variant_id, taskId, userChoice: o === option ? 1 : 0, at });
  }
  if (!option) return false;
  ctx.db.prepare(`UPDATE prompt_variants SET votes = votes + 1 WHERE id = ?`).run(option.variant_id);
  // The pick becomes that arm's output for the task; the user's keep or edit then counts like a served task.
  ctx.db
    .prepare(
      `INSERT INTO task_history (id, skill, prompt_version, variant_id, session_id, input, output, source, created_at)
       VALUES (?, ?, NULL, ?, ?, ?, ?, 'vote', ?)`,
    )
    .run(taskId, session.skill, option.variant_id, session.id, row.input, option.output, at);
  return false;
}

const alreadyAnswered = (taskId: string, row: RoundRow, options: StoredOption[]): UserError =>
  new UserError(`task '${taskId}' was already answered (${describeAnswer(row, options)})`, { exitCode: 2, code: 'already_voted' });

/**
 * Takes a vote back, for a caller's write transaction: the round is open again and everything the vote wrote
 * goes. Refused once the session is no longer active (the vote may have led to its decision), for a round with
 * no vote, and for a vote that came with a verdict on the result (a rename; undo the rename instead).
 */
export function undoVoteInTransaction(ctx: EngineContext, taskId: string): RoundRow {
  const row = requireRoundRow(ctx.db, taskId);
  const session = requireSession(ctx.db, row.session_id);
  if (session.status !== 'active') {
    const message = 'this test has already been decided, so the vote can no longer be taken back';
    throw new UserError(message, { exitCode: 2, code: 'session_closed' });
  }
  if (row.status === 'open') throw usageError(`task '${taskId}' has no vote to take back`, 'not_voted');
  const task = ctx.db.prepare(`SELECT outcome FROM task_history WHERE id = ?`).get(taskId) as { outcome: string | null } | undefined;
  if (task?.outcome) {
    throw usageError(`the vote on task '${taskId}' came with a verdict on its result; undo that instead`, 'feedback_exists');
  }
  ctx.db.prepare(`UPDATE vote_rounds SET status = 'open', picked_variant_id = NULL, answered_at = NULL WHERE id = ?`).run(row.id);
  ctx.db.prepare(`DELETE FROM ab_test_results WHERE task_id = ? AND session_id = ?`).run(taskId, session.id);
  if (row.picked_variant_id) {
    ctx.db.prepare(`UPDATE prompt_variants SET votes = votes - 1 WHERE id = ? AND votes > 0`).run(row.picked_variant_id);
    ctx.db.prepare(`DELETE FROM task_history WHERE id = ? AND source = 'vote'`).run(taskId);
  }
  return row;
}

/** One arm's row in ab_test_results: a served task (userChoice null) or one arm of a vote (1 picked, 0 not). */
export function recordResult(
  ctx: EngineContext,
  row: { sessionId: string; variantId: string; taskId: string; userChoice: 0 | 1 | null; at: string; id?: string },
): void {
  ctx.db
    .prepare(
      `INSERT INTO ab_test_results (id, session_id, variant_id, task_id, user_choice, task_success, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?)`,
    )
    .run(row.id ?? newId('res'), row.sessionId, row.variantId, row.taskId, row.userChoice, row.at);
}

function describeAnswer(row: RoundRow, options: StoredOption[]): string {
  if (row.status === 'picked') return `picked option ${options.find((o) => o.variant_id === row.picked_variant_id)?.label}`;
  return row.status === 'none' ? 'none is good' : 'skipped';
}
