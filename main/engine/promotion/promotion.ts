import { processAlive } from '../util/fs';
import fs from 'node:fs';
import path from 'node:path';
import type { SkillConfigEntry, SkillHistoryEntry } from '../config/config-store';
import type { EngineContext } from '../context';
import { nowIso } from '../context';
import { measureAccuracy } from '../feedback/accuracy';
import { insertHistoryRow, type PromptVersions } from '../prompts/prompt-versions';
import { crashPoint } from '../util/crash-point';
import { UserError, usageError } from '../util/errors';
import { newId, promptHash } from '../util/ids';

export interface PromoteInput {
  skill: string;
  prompt: string;
  /** Where the prompt came from, e.g. "A/B session ses_1 (variant C)". */
  source: string;
  sessionId?: string | null;
  /** Measured accuracy of the new prompt (its A/B arm), if known. */
  accuracy?: number | null;
  /** Why the old version ends, e.g. "Accuracy drop". */
  reason: string;
  /** Runs inside the final commit, so the session's outcome lands with the promotion or not at all. */
  inCommit?: () => void;
}

export interface VersionChange {
  skill: string;
  action: 'promote' | 'rollback';
  fromVersion: number;
  toVersion: number;
  templatePath: string;
  previousAccuracy: number | null;
}

interface JournalRow {
  id: string;
  skill: string;
  action: string;
  created_file: string | null;
  config_before: string | null;
  pid: number;
}

/**
 * Promotion and rollback change three things: a version file, config.yaml and the database. A journal row,
 * committed first, holds the config's old text and the file about to be created; the final database commit
 * deletes it. A crash in between leaves the journal, and recover() puts the old state back.
 */
export class Promotion {
  constructor(
    private readonly ctx: EngineContext,
    private readonly prompts: PromptVersions,
  ) {}

  promote(input: PromoteInput): VersionChange {
    const to = this.prompts.highestVersion(input.skill) + 1;
    return this.activate({
      skill: input.skill,
      action: 'promote',
      toVersion: to,
      templatePath: this.ctx.skills.versionFileRelative(input.skill, to),
      newPrompt: input.prompt,
      source: input.source,
      sessionId: input.sessionId ?? null,
      newAccuracy: input.accuracy ?? null,
      reason: input.reason,
      inCommit: input.inCommit,
    });
  }

  /** Makes an earlier version current again; by default the one active before the current. */
  rollback(skill: string, options: { toVersion?: number; reason: string }): VersionChange {
    const active = this.prompts.active(skill);
    const toVersion = options.toVersion ?? this.previousVersion(skill, active.version);
    if (toVersion === active.version) throw usageError(`${skill} already runs version ${toVersion}`, 'same_version');
    const row = this.prompts.rowForVersion(skill, toVersion);
    if (!row) {
      const known = [...new Set(this.prompts.history(skill).map((h) => h.version))].join(', ');
      throw usageError(`${skill} has no version ${toVersion} (versions: ${known})`, 'unknown_version');
    }
    this.ctx.skills.resolveTemplatePath(row.prompt_template_path);
    return this.activate({
      skill,
      action: 'rollback',
      toVersion,
      templatePath: row.prompt_template_path,
      newPrompt: null,
      source: `rollback from version ${active.version}`,
      sessionId: null,
      newAccuracy: row.accuracy_end,
      reason: options.reason,
    });
  }

  /** Undoes promotions that a crash interrupted; returns what it restored. */
  recover(): JournalRow[] {
    const rows = this.ctx.db.prepare(`SELECT * FROM promotion_journal ORDER BY started_at`).all() as JournalRow[];
    const orphaned = rows.filter((row) => row.pid === process.pid || !processAlive(row.pid));
    for (const row of orphaned) {
      this.ctx.config.restore(row.config_before);
      if (row.created_file) fs.rmSync(path.join(this.ctx.dataDir, row.created_file), { force: true });
      this.ctx.db.prepare(`DELETE FROM promotion_journal WHERE id = ?`).run(row.id);
    }
    return orphaned;
  }

  private previousVersion(skill: string, current: number): number {
    const rows = this.prompts.history(skill).filter((h) => h.version !== current && h.active_to !== null);
    const last = rows.at(-1);
    if (!last) throw usageError(`${skill} has no earlier version to roll back to`, 'no_previous_version');
    return last.version;
  }

  private activate(change: {
    skill: string;
    action: 'promote' | 'rollback';
    toVersion: number;
    templatePath: string;
    newPrompt: string | null;
    source: string;
    sessionId: string | null;
    newAccuracy: number | null;
    reason: string;
    inCommit?: () => void;
  }): VersionChange {
    const { ctx } = this;
    const pending = ctx.db.prepare(`SELECT id FROM promotion_journal WHERE skill = ?`).get(change.skill);
    if (pending) throw new UserError(`another promotion of ${change.skill} is in progress`, { code: 'busy' });
    if (ctx.config.issues.length > 0) {
      throw new UserError(`config.yaml has errors; fix them before promoting (${ctx.config.file})`, { code: 'config_invalid' });
    }
    const active = this.prompts.active(change.skill);
    const accuracy = measureAccuracy(ctx, active);
    const now = nowIso(ctx);
    const journalId = newId('jrn');
    const createdFile = change.newPrompt === null ? null : change.templatePath;
    ctx.db
      .prepare(
        `INSERT INTO promotion_journal (id, skill, action, from_version, to_version, created_file, config_before, pid, started_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(journalId, change.skill, change.action, active.version, change.toVersion, createdFile, ctx.config.snapshot(), process.pid, now);
    crashPoint('promotion:journal');
    try {
      if (change.newPrompt !== null) {
        ctx.skills.writeVersion(change.skill, change.toVersion, change.newPrompt, { source: change.source, created_at: now });
        crashPoint('promotion:version-file');
      }
      const entry = ctx.config.config.skills[change.skill] ?? {};
      const patch: Partial<SkillConfigEntry> = {
        prompt_template: change.templatePath,
        prompt_version: change.toVersion,
        previous_accuracy: roundAccuracy(accuracy.accuracy),
        current_accuracy: roundAccuracy(change.newAccuracy),
        evolution_history: nextHistory(entry, active.version, active.history.active_from, now, accuracy.accuracy, change),
      };
      if (change.action === 'promote') patch.evolved_at = now;
      ctx.config.updateSkill(change.skill, patch);
      crashPoint('promotion:config');
      const prompt = change.newPrompt ?? ctx.skills.loadVersion(change.skill, change.templatePath).prompt;
      ctx.db.transaction(() => {
        ctx.db
          .prepare(`UPDATE prompt_history SET active_to = ?, accuracy_end = ?, notes = COALESCE(notes, ?) WHERE id = ?`)
          .run(now, accuracy.accuracy, change.reason, active.history.id);
        insertHistoryRow(ctx, {
          id: newId('ver'),
          skill: change.skill,
          version: change.toVersion,
          prompt_template_path: change.templatePath,
          active_from: now,
          active_to: null,
          accuracy_start: change.newAccuracy,
          accuracy_end: null,
          evolution_source: change.action === 'promote' ? 'promotion' : 'rollback',
          notes: change.source,
          prompt_hash: promptHash(prompt),
          session_id: change.sessionId,
        });
        change.inCommit?.();
        ctx.db.prepare(`DELETE FROM promotion_journal WHERE id = ?`).run(journalId);
      })();
      crashPoint('promotion:commit');
    } catch (error) {
      this.recover();
      throw error;
    }
    return {
      skill: change.skill,
      action: change.action,
      fromVersion: active.version,
      toVersion: change.toVersion,
      templatePath: change.templatePath,
      previousAccuracy: accuracy.accuracy,
    };
  }
}

const day = (isoTime: string): string => isoTime.slice(0, 10);
const roundAccuracy = (value: number | null): number | null => (value === null ? null : Math.round(value * 1000) / 1000);

/** The design's evolution_history: the ending version gets its period and accuracy, the new one its start. */
function nextHistory(
  entry: Partial<SkillConfigEntry>,
  fromVersion: number,
  fromSince: string,
  now: string,
  fromAccuracy: number | null,
  change: { toVersion: number; source: string; reason: string; newAccuracy: number | null },
): SkillHistoryEntry[] {
  // Entries read back from config.yaml may carry absent keys as undefined, which YAML cannot write.
  const history: SkillHistoryEntry[] = JSON.parse(JSON.stringify(entry.evolution_history ?? []));
  let last = history.at(-1);
  if (!last || last.version !== fromVersion || last.active_period) {
    last = { version: fromVersion, active_since: day(fromSince) };
    history.push(last);
  }
  const since = last.active_since ?? day(fromSince);
  delete last.active_since;
  last.active_period = `${since} to ${day(now)}`;
  if (fromAccuracy !== null) last.accuracy = roundAccuracy(fromAccuracy) as number;
  last.reason = change.reason;
  const next: SkillHistoryEntry = { version: change.toVersion, active_since: day(now), source: change.source };
  if (change.newAccuracy !== null) next.accuracy = roundAccuracy(change.newAccuracy) as number;
  history.push(next);
  return history;
}
