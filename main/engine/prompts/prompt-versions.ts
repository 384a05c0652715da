import type { EngineContext } from '../context';
import { nowIso } from '../context';
import type { SkillDefinition } from '../skills/skill-file';
import { newId, promptHash } from '../util/ids';

export type VersionSource = 'initial' | 'imported' | 'promotion' | 'rollback';

export interface HistoryRow {
  id: string;
  skill: string;
  version: number;
  prompt_template_path: string;
  active_from: string;
  active_to: string | null;
  accuracy_start: number | null;
  accuracy_end: number | null;
  evolution_source: string | null;
  notes: string | null;
  prompt_hash: string | null;
  session_id: string | null;
}

export interface ActivePrompt {
  skill: string;
  version: number;
  templatePath: string;
  definition: SkillDefinition;
  prompt: string;
  hash: string;
  history: HistoryRow;
  /** When the accuracy window may start: the last promotion or rollback; null while the first version runs. */
  windowStart: string | null;
}

/**
 * Which prompt each skill runs now. config.yaml names the template and version (what the user sees and may
 * edit); prompt_history keeps every version ever active. The first time a skill is seen its version is
 * recorded as the initial row.
 */
export class PromptVersions {
  constructor(private readonly ctx: EngineContext) {}

  active(skill: string): ActivePrompt {
    const bundled = this.ctx.skills.get(skill);
    const entry = this.ctx.config.config.skills[skill];
    const version = entry?.prompt_version ?? 1;
    const bundledPath = this.ctx.skills.versionFileRelative(skill, 1);
    const templatePath = entry?.prompt_template ?? bundledPath;
    const definition = version === 1 && templatePath === bundledPath ? bundled : this.ctx.skills.loadVersion(skill, templatePath);
    const history = this.ensureOpenRow(skill, version, templatePath, definition.prompt);
    return {
      skill,
      version,
      templatePath,
      definition,
      prompt: definition.prompt,
      hash: promptHash(definition.prompt),
      history,
      windowStart: history.evolution_source === 'initial' || history.evolution_source === 'imported' ? null : history.active_from,
    };
  }

  history(skill: string): HistoryRow[] {
    this.ctx.skills.get(skill);
    return this.ctx.db
      .prepare(`SELECT * FROM prompt_history WHERE skill = ? ORDER BY active_from, rowid`)
      .all(skill) as HistoryRow[];
  }

  openRow(skill: string): HistoryRow | undefined {
    return this.ctx.db
      .prepare(`SELECT * FROM prompt_history WHERE skill = ? AND active_to IS NULL ORDER BY rowid DESC LIMIT 1`)
      .get(skill) as HistoryRow | undefined;
  }

  highestVersion(skill: string): number {
    const row = this.ctx.db.prepare(`SELECT MAX(version) AS v FROM prompt_history WHERE skill = ?`).get(skill) as {
      v: number | null;
    };
    return row.v ?? 1;
  }

  /** The newest history row of a version (where its template lives), or undefined if it never ran. */
  rowForVersion(skill: string, version: number): HistoryRow | undefined {
    return this.ctx.db
      .prepare(`SELECT * FROM prompt_history WHERE skill = ? AND version = ? ORDER BY rowid DESC LIMIT 1`)
      .get(skill, version) as HistoryRow | undefined;
  }

  private ensureOpenRow(skill: string, version: number, templatePath: string, prompt: string): HistoryRow {
    const open = this.openRow(skill);
    if (open && open.version === version && open.prompt_template_path === templatePath) return open;
    // config.yaml and the history disagree (first run, a deleted database, a hand edit): config.yaml wins,
    // and the change is recorded rather than silently ignored.
    const now = nowIso(this.ctx);
    const row: HistoryRow = {
      id: newId('ver'),
      skill,
      version,
      prompt_template_path: templatePath,
      active_from: now,
      active_to: null,
      accuracy_start: null,
      accuracy_end: null,
      evolution_source: open ? 'imported' : version === 1 ? 'initial' : 'imported',
      notes: open ? `config.yaml names version ${version}; history had version ${open.version}` : null,
      prompt_hash: promptHash(prompt),
      session_id: null,
    };
    this.ctx.db.transaction(() => {
      if (open) this.ctx.db.prepare(`UPDATE prompt_history SET active_to = ? WHERE id = ?`).run(now, open.id);
      insertHistoryRow(this.ctx, row);
    })();
    return row;
  }
}

export function insertHistoryRow(ctx: Pick<EngineContext, 'db'>, row: HistoryRow): void {
  ctx.db
    .prepare(
      `INSERT INTO prompt_history (id, skill, version, prompt_template_path, active_from, active_to, accuracy_start,
         accuracy_end, evolution_source, notes, prompt_hash, session_id)
       VALUES (@id, @skill, @version, @prompt_template_path, @active_from, @active_to, @accuracy_start,
         @accuracy_end, @evolution_source, @notes, @prompt_hash, @session_id)`,
    )
    .run(row);
}
