import type { EngineContext } from '../context';
import { nowIso } from '../context';
import { measureAccuracy } from '../feedback/accuracy';
import type { PromptVersions } from '../prompts/prompt-versions';
import { writeTransaction } from '../store/database';
import { INPUT_PLACEHOLDER } from '../skills/skill-file';
import { UserError, usageError } from '../util/errors';
import { newId } from '../util/ids';
import { activeSession, requireActiveSession, requireSession } from './session-queries';
import type { CreateSessionOptions, PooledVotes, SessionRow } from './session-types';

/* A session's life: created with its arms, completed with its decision or cancelled, and the person's word after. */

export const ARM_LETTERS = 'ABCDEFGHIJ';

export function createSession(ctx: EngineContext, prompts: PromptVersions, options: CreateSessionOptions): SessionRow {
  const skill = ctx.skills.get(options.skill);
  if (!skill.evolvable) throw usageError(`skill '${skill.name}' is not evolvable`, 'not_evolvable');
  if (options.variants.length < 2 || options.variants.length > ARM_LETTERS.length) {
    throw usageError(`an A/B session needs 2 to ${ARM_LETTERS.length} variants (got ${options.variants.length})`);
  }
  options.variants.forEach((v, i) => {
    if (!v.prompt.includes(INPUT_PLACEHOLDER)) {
      throw usageError(`variant ${ARM_LETTERS[i]} has no ${INPUT_PLACEHOLDER} placeholder`, 'bad_variant');
    }
  });
  const texts = options.variants.map((v) => v.prompt.trim());
  const twin = texts.findIndex((prompt, i) => texts.indexOf(prompt) !== i);
  if (twin !== -1) {
    throw usageError(
      `variants ${ARM_LETTERS[texts.indexOf(texts[twin])]} and ${ARM_LETTERS[twin]} are the same prompt: an A/B test needs different ones`,
      'bad_variant',
    );
  }
  const id = newId('ses');
  writeTransaction(ctx.db, () => {
    // Checked inside the write transaction: two processes starting a session at once get one session.
    const existing = activeSession(ctx.db, skill.name);
    if (existing) {
      throw new UserError(`skill '${skill.name}' already has an active A/B session (${existing.id})`, { code: 'session_exists' });
    }
    const active = prompts.active(skill.name);
    if (active.problem) throw new UserError(`${skill.name}: ${active.problem}; roll back first`, { code: 'broken_version' });
    const base = measureAccuracy(ctx, active);
    const session: SessionRow = {
      id,
      skill: skill.name,
      original_prompt_hash: active.hash,
      triggered_at: nowIso(ctx),
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
    ctx.db
      .prepare(
        `INSERT INTO prompt_evolution_sessions (id, skill, original_prompt_hash, triggered_at, trigger_reason, status,
           base_version, base_accuracy, base_samples, needs_review)
         VALUES (@id, @skill, @original_prompt_hash, @triggered_at, @trigger_reason, @status, @base_version,
           @base_accuracy, @base_samples, @needs_review)`,
      )
      .run(session);
    const insert = ctx.db.prepare(
      `INSERT INTO prompt_variants (id, session_id, variant_letter, prompt_template, reasoning, arm_index, source,
         source_version, fitness, fitness_samples, provenance, broken_pins)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    options.variants.forEach((v, i) =>
      insert.run(
        newId('var'),
        session.id,
        ARM_LETTERS[i],
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
  return requireSession(ctx.db, id);
}

export interface CompleteFields {
  decision: string;
  reason: string;
  winnerVariantId: string | null;
  outcome: string;
  baseAccuracy?: number | null;
  /** The teammates' picks the decision used (results().team), kept with the session. */
  peerVotes?: PooledVotes | null;
}

/**
 * Records the decision and closes the session; the caller decides about promotion. Refused when the session
 * is no longer active (concluded or cancelled by another process meanwhile), so a decision lands once.
 */
export function completeSession(ctx: EngineContext, sessionId: string, fields: CompleteFields): SessionRow {
  return writeTransaction(ctx.db, () => {
    const changed = ctx.db
      .prepare(
        `UPDATE prompt_evolution_sessions SET status = 'completed', completed_at = ?, decision = ?, decision_reason = ?,
           winner_variant_id = ?, outcome = ?, base_accuracy = COALESCE(?, base_accuracy), peer_votes = ?
         WHERE id = ? AND status = 'active'`,
      )
      .run(
        nowIso(ctx),
        fields.decision,
        fields.reason,
        fields.winnerVariantId,
        fields.outcome,
        fields.baseAccuracy ?? null,
        fields.peerVotes ? JSON.stringify(fields.peerVotes) : null,
        sessionId,
      ).changes;
    if (changed === 0) requireActiveSession(ctx.db, sessionId);
    return requireSession(ctx.db, sessionId);
  });
}

export function cancelSession(ctx: EngineContext, sessionId: string): SessionRow {
  return writeTransaction(ctx.db, () => {
    requireActiveSession(ctx.db, sessionId);
    ctx.db
      .prepare(`UPDATE prompt_evolution_sessions SET status = 'cancelled', completed_at = ? WHERE id = ? AND status = 'active'`)
      .run(nowIso(ctx), sessionId);
    return requireSession(ctx.db, sessionId);
  });
}

/** The person keeps the current prompt over a finished test's winner that waited for them; once only. */
export function keepCurrent(ctx: EngineContext, sessionId: string): SessionRow {
  const changed = ctx.db
    .prepare(
      `UPDATE prompt_evolution_sessions
       SET outcome = 'kept', decision_reason = COALESCE(decision_reason || ' ', '') || 'The current prompt was kept by hand.'
       WHERE id = ? AND status = 'completed' AND outcome = 'awaiting_manual'`,
    )
    .run(sessionId).changes;
  if (changed === 0) throw usageError(`A/B session ${sessionId} has no winner waiting for review`, 'nothing_to_review');
  return requireSession(ctx.db, sessionId);
}

/** Marks a finished session's arm as the one promoted (a promotion by hand after the test ended); once only. */
export function markPromoted(ctx: EngineContext, sessionId: string, variantId: string): void {
  const changed = ctx.db
    .prepare(`UPDATE prompt_evolution_sessions SET outcome = 'promoted', winner_variant_id = ? WHERE id = ? AND outcome IS NOT 'promoted'`)
    .run(variantId, sessionId).changes;
  if (changed === 0) throw usageError(`A/B session ${sessionId} already promoted a variant`, 'already_promoted');
}
