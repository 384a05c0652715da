import type { EngineContext } from '../context';
import { nowIso } from '../context';
import { writeTransaction } from '../store/database';
import { idea } from './ideas';
import { classifyChange } from './structural-diff';
import {
  learnedFromLabel,
  type IdeaRef,
  type LibraryEntry,
  type LibrarySnapshot,
  type StructuralChange,
  type VariantProvenance,
} from './types';

interface EntryRow {
  id: string;
  kind: LibraryEntry['kind'];
  text: string;
  wins: number;
  losses: number;
  skill: string | null;
  version: number | null;
  change: string | null;
}

interface PendingRow {
  variant_id: string;
  session_id: string;
  skill: string;
  prompt_template: string;
  provenance: string;
  outcome: string | null;
  winner_variant_id: string | null;
  credited: 'win' | 'loss' | null;
}

export interface SyncReport {
  wins: number;
  losses: number;
  lessons: number;
}

/**
 * The shared library (learning_library) and its credit. Credit is assigned from what the A/B sessions decided, by
 * `sync()`: every evolved variant of a finished session earns its entries a win when it was promoted and a loss when
 * it lost (a winner waiting for the person is left until it is promoted or not). One credit row per variant, checked
 * and written in one transaction, so every process of the data folder may sync at any time and a session counts once.
 * A promotion by hand after a lost test turns that variant's loss into a win.
 */
export class LearningLibrary {
  constructor(private readonly ctx: Pick<EngineContext, 'db' | 'clock'>) {}

  /** Every entry, with lessons learned from other skills only (a skill's own lessons are already in its prompt). */
  snapshot(skill: string): LibrarySnapshot {
    const rows = this.ctx.db
      .prepare(`SELECT id, kind, text, wins, losses, skill, version, change FROM learning_library ORDER BY id`)
      .all() as EntryRow[];
    return {
      entries: rows
        .filter((r) => r.kind !== 'lesson' || (r.skill !== null && r.skill !== skill))
        .map((r) => ({ ...r, change: r.change ? (JSON.parse(r.change) as StructuralChange) : null })),
    };
  }

  /** "learned from file-naming v3 (added an output rule: …)" for a variant a lesson of another skill went into; else null. */
  ideaSource(variantId: string | null): string | null {
    if (!variantId) return null;
    const row = this.ctx.db.prepare(`SELECT provenance FROM prompt_variants WHERE id = ?`).get(variantId) as
      | { provenance: string | null }
      | undefined;
    const from = row?.provenance ? (JSON.parse(row.provenance) as VariantProvenance).learnedFrom : null;
    return from ? `${learnedFromLabel(from)} (${from.change})` : null;
  }

  /** The same for a version promoted from an A/B session: its winning variant's. */
  versionIdeaSource(sessionId: string | null): string | null {
    if (!sessionId) return null;
    const row = this.ctx.db.prepare(`SELECT winner_variant_id FROM prompt_evolution_sessions WHERE id = ?`).get(sessionId) as
      | { winner_variant_id: string | null }
      | undefined;
    return this.ideaSource(row?.winner_variant_id ?? null);
  }

  entries(): LibraryEntry[] {
    return this.snapshot('').entries;
  }

  sync(): SyncReport {
    return writeTransaction(this.ctx.db, () => {
      const report: SyncReport = { wins: 0, losses: 0, lessons: 0 };
      const rows = this.ctx.db
        .prepare(
          `SELECT v.id AS variant_id, v.session_id, s.skill, v.prompt_template, v.provenance, s.outcome, s.winner_variant_id,
                  c.result AS credited
             FROM prompt_variants v
             JOIN prompt_evolution_sessions s ON s.id = v.session_id
             LEFT JOIN learning_credits c ON c.variant_id = v.id
            WHERE s.status = 'completed' AND v.provenance IS NOT NULL AND (c.result IS NULL OR c.result = 'loss')`,
        )
        .all() as PendingRow[];
      for (const row of rows) {
        const won = row.outcome === 'promoted' && row.winner_variant_id === row.variant_id;
        const waiting = row.outcome === 'awaiting_manual' && row.winner_variant_id === row.variant_id;
        if (row.credited === 'loss' && !won) continue;
        if (!won && waiting) continue;
        const provenance = JSON.parse(row.provenance) as VariantProvenance;
        if (won) {
          this.credit(provenance.entries, 1, row.credited === 'loss' ? -1 : 0);
          report.wins++;
          report.lessons += this.learn(row, provenance.base);
        } else {
          this.credit(provenance.entries, 0, 1);
          report.losses++;
        }
        this.ctx.db
          .prepare(`INSERT INTO learning_credits (variant_id, session_id, result, at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(variant_id) DO UPDATE SET result = excluded.result, at = excluded.at`)
          .run(row.variant_id, row.session_id, won ? 'win' : 'loss', nowIso(this.ctx));
      }
      return report;
    });
  }

  private credit(entries: readonly IdeaRef[], wins: number, losses: number): void {
    const at = nowIso(this.ctx);
    const upsert = this.ctx.db.prepare(
      `INSERT INTO learning_library (id, kind, text, wins, losses, created_at, updated_at) VALUES (?, ?, ?, MAX(0, ?), MAX(0, ?), ?, ?)
       ON CONFLICT(id) DO UPDATE SET wins = MAX(0, wins + ?), losses = MAX(0, losses + ?), updated_at = ?`,
    );
    for (const e of entries) upsert.run(e.id, e.kind, e.text, wins, losses, at, at, wins, losses, at);
  }

  /** The promoted prompt's structural changes against the prompt it was evolved from, as lessons for other skills. */
  private learn(row: PendingRow, base: string): number {
    const version = (
      this.ctx.db
        .prepare(`SELECT MAX(version) AS version FROM prompt_history WHERE skill = ? AND session_id = ?`)
        .get(row.skill, row.session_id) as { version: number | null }
    ).version;
    const changes = classifyChange(base, row.prompt_template);
    const at = nowIso(this.ctx);
    const insert = this.ctx.db.prepare(
      `INSERT OR IGNORE INTO learning_library (id, kind, text, skill, version, change, created_at, updated_at)
       VALUES (?, 'lesson', ?, ?, ?, ?, ?, ?)`,
    );
    let added = 0;
    for (const change of changes) {
      const entry = idea('lesson', `${row.skill}: ${change.description}`);
      added += insert.run(entry.id, change.description, row.skill, version, JSON.stringify(change), at, at).changes;
    }
    return added;
  }
}
