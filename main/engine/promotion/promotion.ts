import fs from 'node:fs';
import path from 'node:path';
import type { SkillConfigEntry, SkillHistoryEntry } from '../config/config-store';
import type { EngineContext } from '../context';
import { nowIso } from '../context';
import { measureAccuracy } from '../feedback/accuracy';
import { insertHistoryRow, type PromptVersions } from '../prompts/prompt-versions';
import { writeTransaction } from '../store/database';
import { acquireLock, lockFile } from '../store/file-lock';
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
  /**
   * Runs inside the final commit, so the session's outcome lands with the promotion or not at all. It may
   * throw (say, the session was concluded elsewhere meanwhile): then nothing of the promotion remains.
   */
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
  /** config.yaml's whole text before the change (null: no file). */
  config_before: string | null;
  /** The text this change wrote, once written: while the file still holds it, nobody else wrote since. */
  config_after: string | null;
  /** The skill's keys before the change (JSON): undone one by one when another process wrote meanwhile. */
  config_keys: string | null;
  pid: number;
}

/** The keys of `skills.<skill>` a change writes; the journal keeps their old values (absent ones as absent). */
const ENTRY_KEYS = [
  'prompt_template',
  'prompt_version',
  'previous_accuracy',
  'current_accuracy',
  'evolution_history',
  'evolved_at',
] as const;
interface EntrySnapshot {
  skillEntry: Record<string, unknown>;
  absent: string[];
}

/**
 * Promotion and rollback change three things: a version file, config.yaml and the database. They run one at a
 * time per skill across every process of the data folder, under a lock the operating system releases when its
 * holder dies; the next version number is taken under that lock. A journal row, committed first, holds the
 * skill's config.yaml keys as they were and the file about to be created; the final commit deletes it. A
 * journal row whose skill lock is free belongs to a process that died, and recover() puts the old state back:
 * those keys only, so whatever else other processes wrote to config.yaml meanwhile stays.
 */
export class Promotion {
  private readonly held = new Set<string>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly prompts: PromptVersions,
  ) {}

  /**
   * Runs fn holding the skill's change lock (re-entrant within this engine). Another process holding it gets
   * one line and changes nothing. Journal rows of this skill left by a dead process are undone first.
   */
  locked<T>(skill: string, fn: () => T): T {
    if (this.held.has(skill)) return fn();
    const lock = acquireLock(this.lockFile(skill));
    if (!lock) throw new UserError(`another promotion or rollback of ${skill} is in progress; try again in a moment`, { code: 'busy' });
    this.held.add(skill);
    try {
      this.recoverHeld(skill);
      return fn();
    } finally {
      this.held.delete(skill);
      lock.release();
    }
  }

  promote(input: PromoteInput): VersionChange {
    return this.locked(input.skill, () => {
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
    });
  }

  /** Makes an earlier version current again; by default the one active before the current. */
  rollback(skill: string, options: { toVersion?: number; reason: string; source?: string }): VersionChange {
    return this.locked(skill, () => {
      const active = this.prompts.active(skill);
      const toVersion = options.toVersion ?? this.previousVersion(skill, active.version);
      if (toVersion === active.version) throw usageError(`${skill} already runs version ${toVersion}`, 'same_version');
      const row = this.prompts.rowForVersion(skill, toVersion);
      if (!row) {
        const known = [...new Set(this.prompts.history(skill).map((h) => h.version))].join(', ');
        throw usageError(`${skill} has no version ${toVersion} (versions: ${known})`, 'unknown_version');
      }
      this.ctx.skills.loadVersion(skill, row.prompt_template_path);
      return this.activate({
        skill,
        action: 'rollback',
        toVersion,
        templatePath: row.prompt_template_path,
        newPrompt: null,
        source: options.source ?? `rollback from version ${active.version}`,
        sessionId: null,
        newAccuracy: row.accuracy_end,
        reason: options.reason,
      });
    });
  }

  /** Undoes changes whose process died mid-way (their skill's lock is free); returns what it restored. */
  recover(): JournalRow[] {
    const skills = (this.ctx.db.prepare(`SELECT DISTINCT skill FROM promotion_journal`).all() as { skill: string }[]).map((r) => r.skill);
    const restored: JournalRow[] = [];
    for (const skill of skills) {
      if (this.held.has(skill)) continue;
      const lock = acquireLock(this.lockFile(skill));
      if (!lock) continue; // a live process is changing it right now
      try {
        restored.push(...this.recoverHeld(skill));
      } finally {
        lock.release();
      }
    }
    return restored;
  }

  private lockFile(skill: string): string {
    return lockFile(this.ctx.dataDir, `promotion-${skill}`);
  }

  /** With the skill's lock held, every journal row of it is an interrupted change. */
  private recoverHeld(skill: string, only?: string): JournalRow[] {
    const rows = (
      this.ctx.db.prepare(`SELECT * FROM promotion_journal WHERE skill = ? ORDER BY started_at DESC`).all(skill) as JournalRow[]
    ).filter((row) => only === undefined || row.id === only);
    for (const row of rows) {
      this.restoreConfig(row);
      if (row.created_file) fs.rmSync(path.join(this.ctx.dataDir, row.created_file), { force: true });
      writeTransaction(this.ctx.db, () => this.ctx.db.prepare(`DELETE FROM promotion_journal WHERE id = ?`).run(row.id));
    }
    return rows;
  }

  /**
   * Puts config.yaml back: the whole old text while the file holds exactly what this change wrote (or the old
   * text already); only this skill's keys when another process has written there since, so its keys stay.
   */
  private restoreConfig(row: JournalRow): void {
    const current = this.ctx.config.snapshot();
    if (current === row.config_before) return;
    if (row.config_after !== null && this.ctx.config.restore(row.config_before, row.config_after)) return;
    const keys = row.config_keys ? (JSON.parse(row.config_keys) as EntrySnapshot) : null;
    if (keys) this.ctx.config.restoreSkillKeys(row.skill, keys.skillEntry, keys.absent);
    else this.ctx.config.restore(row.config_before);
  }

  private previousVersion(skill: string, current: number): number {
    const rows = this.prompts.history(skill).filter((h) => h.version !== current && h.active_to !== null);
    const last = rows.at(-1);
    if (!last) throw usageError(`${skill} has no earlier version to roll back to`, 'no_previous_version');
    return last.version;
  }

  private snapshotEntry(skill: string): EntrySnapshot {
    const entry = (this.ctx.config.fileSkillEntry(skill) ?? {}) as Record<string, unknown>;
    const skillEntry: Record<string, unknown> = {};
    const absent: string[] = [];
    for (const key of ENTRY_KEYS) {
      if (entry[key] === undefined) absent.push(key);
      else skillEntry[key] = entry[key];
    }
    return { skillEntry, absent };
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
    if (ctx.config.issues.length > 0) {
      throw new UserError(`config.yaml has errors; fix them before promoting (${ctx.config.file})`, { code: 'config_invalid' });
    }
    const active = this.prompts.active(change.skill);
    const accuracy = measureAccuracy(ctx, active);
    const now = nowIso(ctx);
    const journalId = newId('jrn');
    const createdFile = change.newPrompt === null ? null : change.templatePath;
    writeTransaction(ctx.db, () =>
      ctx.db
        .prepare(
          `INSERT INTO promotion_journal (id, skill, action, from_version, to_version, created_file, config_before, config_keys, pid, started_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          journalId,
          change.skill,
          change.action,
          active.version,
          change.toVersion,
          createdFile,
          ctx.config.snapshot(),
          JSON.stringify(this.snapshotEntry(change.skill)),
          process.pid,
          now,
        ),
    );
    crashPoint('promotion:journal');
    try {
      if (change.newPrompt !== null) {
        ctx.skills.writeVersion(change.skill, change.toVersion, change.newPrompt, { source: change.source, created_at: now });
        crashPoint('promotion:version-file');
      }
      const written = ctx.config.updateSkill(change.skill, (entry) => {
        const patch: Partial<SkillConfigEntry> = {
          prompt_template: change.templatePath,
          prompt_version: change.toVersion,
          previous_accuracy: roundAccuracy(accuracy.accuracy),
          current_accuracy: roundAccuracy(change.newAccuracy),
          evolution_history: nextHistory(entry, active.version, active.history.active_from, now, accuracy.accuracy, change),
        };
        if (change.action === 'promote') patch.evolved_at = now;
        return patch;
      });
      // The exact text this write replaced and wrote: undoing it can never drop another process's keys.
      if (written) {
        writeTransaction(ctx.db, () =>
          ctx.db
            .prepare(`UPDATE promotion_journal SET config_before = ?, config_after = ? WHERE id = ?`)
            .run(written.before, written.after, journalId),
        );
      }
      crashPoint('promotion:config');
      const prompt = change.newPrompt ?? ctx.skills.loadVersion(change.skill, change.templatePath).prompt;
      writeTransaction(ctx.db, () => {
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
      });
      crashPoint('promotion:commit');
    } catch (error) {
      this.recoverHeld(change.skill, journalId);
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
