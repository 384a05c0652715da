import type { EngineContext } from '../context';
import { nowIso } from '../context';
import type { SkillDefinition } from '../skills/skill-file';
import { writeTransaction } from '../store/database';
import { isUserError } from '../util/errors';
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
  /** The prompt to run; '' when the version file cannot be used (see `problem`). */
  prompt: string;
  hash: string;
  history: HistoryRow;
  /** When the accuracy window may start: the last promotion or rollback; null while the first version runs. */
  windowStart: string | null;
  /**
   * Why the version file cannot run (missing, or edited by hand so that it lost its {{input}} slot); null when
   * fine. Records, stats and a rollback still work; running the skill and evolving it do not.
   */
  problem: string | null;
}

interface Pointer {
  version: number;
  templatePath: string;
}

/**
 * Which prompt each skill runs now. config.yaml names the template and version (what the user sees and may
 * edit); prompt_history keeps every version ever active, and its open row is the current one. When the two
 * disagree, config.yaml wins (a hand edit, a deleted database) and the change is recorded as 'imported' —
 * except while a promotion or rollback is in flight (its journal row exists): then config.yaml may already
 * show the new version, and the database, which that change commits last, is the truth until it does.
 */
export class PromptVersions {
  constructor(private readonly ctx: EngineContext) {}

  active(skill: string): ActivePrompt {
    const bundled = this.ctx.skills.get(skill);
    let pointer = this.configPointer(skill);
    let open = this.openRow(skill);
    if (!agrees(open, pointer)) {
      if (open && changeInFlight(this.ctx, skill)) {
        pointer = { version: open.version, templatePath: open.prompt_template_path };
      } else {
        // This process's copy of config.yaml may be older than another process's promotion: read it again.
        this.ctx.config.load();
        pointer = this.configPointer(skill);
        open = this.openRow(skill);
        if (!agrees(open, pointer)) open = this.recordOrAssume(skill, pointer, open);
        if (open) pointer = { version: open.version, templatePath: open.prompt_template_path };
      }
    }
    const { definition, problem } = this.load(skill, bundled, pointer);
    const history = open!;
    return {
      skill,
      version: pointer.version,
      templatePath: pointer.templatePath,
      definition,
      prompt: problem ? '' : definition.prompt,
      hash: promptHash(problem ? '' : definition.prompt),
      history,
      windowStart: history.evolution_source === 'initial' || history.evolution_source === 'imported' ? null : history.active_from,
      problem,
    };
  }

  history(skill: string): HistoryRow[] {
    this.ctx.skills.get(skill);
    return this.ctx.db.prepare(`SELECT * FROM prompt_history WHERE skill = ? ORDER BY active_from, rowid`).all(skill) as HistoryRow[];
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

  private configPointer(skill: string): Pointer {
    const entry = this.ctx.config.config.skills[skill];
    return {
      version: entry?.prompt_version ?? 1,
      templatePath: entry?.prompt_template ?? this.ctx.skills.versionFileRelative(skill, 1),
    };
  }

  private load(skill: string, bundled: SkillDefinition, pointer: Pointer): { definition: SkillDefinition; problem: string | null } {
    if (pointer.version === 1 && pointer.templatePath === this.ctx.skills.versionFileRelative(skill, 1)) {
      return { definition: bundled, problem: null };
    }
    try {
      return { definition: this.ctx.skills.loadVersion(skill, pointer.templatePath), problem: null };
    } catch (error) {
      if (!isUserError(error)) throw error;
      return { definition: { ...bundled, version: pointer.version }, problem: `version ${pointer.version} cannot run: ${error.message}` };
    }
  }

  /** record(), or in a read-only data folder the same row kept in memory only: reads still work there. */
  private recordOrAssume(skill: string, pointer: Pointer, open: HistoryRow | undefined): HistoryRow | undefined {
    try {
      return this.record(skill, pointer);
    } catch (error) {
      if (!isUserError(error) || error.code !== 'read_only') throw error;
      return {
        id: 'unrecorded',
        skill,
        version: pointer.version,
        prompt_template_path: pointer.templatePath,
        active_from: open?.active_from ?? nowIso(this.ctx),
        active_to: null,
        accuracy_start: null,
        accuracy_end: null,
        evolution_source: open ? 'imported' : 'initial',
        notes: null,
        prompt_hash: null,
        session_id: null,
      };
    }
  }

  /**
   * Records config.yaml's version as the current one. The checks run again inside the write transaction:
   * another process may have recorded it, or started a promotion, since this one looked.
   */
  private record(skill: string, pointer: Pointer): HistoryRow | undefined {
    return writeTransaction(this.ctx.db, () => {
      const open = this.openRow(skill);
      if (agrees(open, pointer) || (open && changeInFlight(this.ctx, skill))) return open;
      const now = nowIso(this.ctx);
      let prompt = '';
      try {
        prompt = this.load(skill, this.ctx.skills.get(skill), pointer).definition.prompt;
      } catch {
        // the hash stays that of an empty prompt; the problem is reported by active()
      }
      const row: HistoryRow = {
        id: newId('ver'),
        skill,
        version: pointer.version,
        prompt_template_path: pointer.templatePath,
        active_from: now,
        active_to: null,
        accuracy_start: null,
        accuracy_end: null,
        evolution_source: open ? 'imported' : pointer.version === 1 ? 'initial' : 'imported',
        notes: open ? `config.yaml names version ${pointer.version}; history had version ${open.version}` : null,
        prompt_hash: promptHash(prompt),
        session_id: null,
      };
      if (open) this.ctx.db.prepare(`UPDATE prompt_history SET active_to = ? WHERE id = ?`).run(now, open.id);
      insertHistoryRow(this.ctx, row);
      return row;
    });
  }
}

const agrees = (open: HistoryRow | undefined, pointer: Pointer): boolean =>
  open !== undefined && open.version === pointer.version && open.prompt_template_path === pointer.templatePath;

/** Whether a promotion or rollback of the skill is between its journal row and its final commit. */
export function changeInFlight(ctx: Pick<EngineContext, 'db'>, skill: string): boolean {
  return ctx.db.prepare(`SELECT 1 FROM promotion_journal WHERE skill = ? LIMIT 1`).get(skill) !== undefined;
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
