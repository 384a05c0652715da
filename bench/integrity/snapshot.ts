import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { parse } from 'yaml';
import { databaseFile } from '../../main/engine/data-paths';
import type { HistoryRow } from '../../main/engine/prompts/prompt-versions';

// A data folder read directly, the way a post-mortem would: the SQLite file with plain SELECTs, config.yaml as
// YAML, the version files on disk. Nothing here goes through the engine, so nothing here can repair what it reads.

export interface VariantRow {
  id: string;
  session_id: string;
  variant_letter: string;
  votes: number;
  served: number;
  accepted: number;
}
export interface RoundRow {
  task_id: string;
  session_id: string;
  status: string;
  picked_variant_id: string | null;
  options: string;
}
export interface ResultRow {
  task_id: string;
  variant_id: string;
  user_choice: number | null;
  task_success: number | null;
}
export interface TaskRow {
  id: string;
  variant_id: string | null;
  outcome: string | null;
  final_output: string | null;
  feedback_at: string | null;
  source: string;
}
export interface SessionRow {
  id: string;
  status: string;
  outcome: string | null;
}
export interface ProposalRow {
  id: string;
  status: string;
  final_name: string | null;
  task_id: string;
  inode: number;
  kind: string;
}
export interface RenameRow {
  to_name: string;
  undone_at: string | null;
  inode: number;
}

export interface SkillEntry {
  prompt_version?: number;
  prompt_template?: string;
  [key: string]: unknown;
}

export interface Snapshot {
  dataDir: string;
  /** null when there is no database file at all. */
  schemaVersion: number | null;
  history: HistoryRow[];
  journal: { id: string; skill: string; pid: number; action: string }[];
  sessions: SessionRow[];
  variants: VariantRow[];
  rounds: RoundRow[];
  results: ResultRow[];
  tasks: TaskRow[];
  proposals: ProposalRow[];
  renames: RenameRow[];
  /** config.yaml's text (null: no file) and what it parses to; parseError when it does not parse. */
  configText: string | null;
  config: { skills?: Record<string, SkillEntry>; [key: string]: unknown } | null;
  configError: string | null;
}

export function readSnapshot(dataDir: string): Snapshot {
  const file = databaseFile(dataDir);
  const configFile = path.join(dataDir, 'config.yaml');
  const configText = fs.existsSync(configFile) ? fs.readFileSync(configFile, 'utf8') : null;
  let config: Snapshot['config'] = null;
  let configError: string | null = null;
  try {
    config = configText === null ? null : ((parse(configText) ?? {}) as Snapshot['config']);
  } catch (error) {
    configError = (error as Error).message;
  }
  const empty: Omit<Snapshot, 'dataDir' | 'schemaVersion' | 'configText' | 'config' | 'configError'> = {
    history: [],
    journal: [],
    sessions: [],
    variants: [],
    rounds: [],
    results: [],
    tasks: [],
    proposals: [],
    renames: [],
  };
  if (!fs.existsSync(file)) return { dataDir, schemaVersion: null, ...empty, configText, config, configError };
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    const names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
    const tables = new Set(names.map((r) => r.name));
    const all = <T>(table: string, sql: string): T[] => (tables.has(table) ? (db.prepare(sql).all() as T[]) : []);
    return {
      dataDir,
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      history: all('prompt_history', `SELECT * FROM prompt_history ORDER BY active_from, rowid`),
      journal: all('promotion_journal', `SELECT id, skill, pid, action FROM promotion_journal`),
      sessions: all('prompt_evolution_sessions', `SELECT id, status, outcome FROM prompt_evolution_sessions`),
      variants: all('prompt_variants', `SELECT id, session_id, variant_letter, votes, served, accepted FROM prompt_variants`),
      rounds: all('vote_rounds', `SELECT task_id, session_id, status, picked_variant_id, options FROM vote_rounds`),
      results: all('ab_test_results', `SELECT task_id, variant_id, user_choice, task_success FROM ab_test_results`),
      tasks: all('task_history', `SELECT id, variant_id, outcome, final_output, feedback_at, source FROM task_history`),
      proposals: all('file_proposals', `SELECT id, status, final_name, task_id, inode, kind FROM file_proposals`),
      renames: all('file_renames', `SELECT to_name, undone_at, inode FROM file_renames ORDER BY at, rowid`),
      configText,
      config,
      configError,
    };
  } finally {
    db.close();
  }
}

/** The open prompt_history rows (active_to IS NULL) of one skill. */
export const openRows = (s: Snapshot, skill: string): HistoryRow[] => s.history.filter((h) => h.skill === skill && h.active_to === null);

/** What config.yaml names for a skill: its version and template (defaults: version 1, the bundled file). */
export function configVersion(s: Snapshot, skill: string): { version: number; template: string } {
  const entry = s.config?.skills?.[skill];
  return { version: Number(entry?.prompt_version ?? 1), template: String(entry?.prompt_template ?? `skills/${skill}.md`) };
}
