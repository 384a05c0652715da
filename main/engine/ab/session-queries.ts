import type { Database } from 'better-sqlite3';
import { UserError } from '../util/errors';
import type { SessionRow, VariantRow } from './session-types';

/* Read-only lookups of A/B sessions and their arms, with the one-line errors the CLI and the app show. */

export function getSession(db: Database, id: string): SessionRow | undefined {
  return db.prepare(`SELECT * FROM prompt_evolution_sessions WHERE id = ?`).get(id) as SessionRow | undefined;
}

export function requireSession(db: Database, id: string): SessionRow {
  const session = getSession(db, id);
  if (!session) throw new UserError(`unknown A/B session '${id}'`, { exitCode: 2, code: 'unknown_session' });
  return session;
}

/** The session, refused unless it still runs (a decision, a cancel or another process may have closed it). */
export function requireActiveSession(db: Database, id: string): SessionRow {
  const session = requireSession(db, id);
  if (session.status !== 'active') {
    throw new UserError(`A/B session ${session.id} is ${session.status}`, { exitCode: 2, code: 'session_closed' });
  }
  return session;
}

export function activeSession(db: Database, skill: string): SessionRow | undefined {
  return db
    .prepare(`SELECT * FROM prompt_evolution_sessions WHERE skill = ? AND status = 'active' ORDER BY triggered_at DESC LIMIT 1`)
    .get(skill) as SessionRow | undefined;
}

export function latestSession(db: Database, skill: string): SessionRow | undefined {
  const sql = `SELECT * FROM prompt_evolution_sessions WHERE skill = ? ORDER BY triggered_at DESC, rowid DESC LIMIT 1`;
  return db.prepare(sql).get(skill) as SessionRow | undefined;
}

export function listSessions(db: Database, filter: { skill?: string; status?: string } = {}): SessionRow[] {
  return db
    .prepare(
      `SELECT * FROM prompt_evolution_sessions WHERE (@skill IS NULL OR skill = @skill) AND (@status IS NULL OR status = @status)
       ORDER BY triggered_at DESC, rowid DESC`,
    )
    .all({ skill: filter.skill ?? null, status: filter.status ?? null }) as SessionRow[];
}

/** A session's arms in arm order. */
export function sessionVariants(db: Database, sessionId: string): VariantRow[] {
  return db.prepare(`SELECT * FROM prompt_variants WHERE session_id = ? ORDER BY arm_index`).all(sessionId) as VariantRow[];
}

/** An arm by letter ("B") or id, with a clear error naming the choices. */
export function variantByRef(db: Database, sessionId: string, ref: string): VariantRow {
  const variants = sessionVariants(db, sessionId);
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
