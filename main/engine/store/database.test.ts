import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, openDatabase, schemaVersion } from './database';
import { SCHEMA_VERSION } from './migrations';

const dirs: string[] = [];
const tempFile = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-db-'));
  dirs.push(dir);
  return path.join(dir, 'tinyarms.db');
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('openDatabase', () => {
  it('creates a WAL database at the latest schema', () => {
    const db = openDatabase(tempFile());
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'prompt_evolution_sessions',
        'prompt_variants',
        'ab_test_results',
        'prompt_history',
        'task_history',
        'vote_rounds',
        'monitor_checks',
        'promotion_journal',
      ]),
    );
    db.close();
  });

  it('upgrades a file made with the design schema in place, keeping its rows', () => {
    const file = tempFile();
    const old = openDatabase(file, { upTo: 1 });
    old
      .prepare(
        `INSERT INTO prompt_history (id, skill, version, prompt_template_path, active_from, evolution_source)
       VALUES ('h1', 'file-naming', 1, 'skills/file-naming.md', '2026-01-01T00:00:00.000Z', 'initial')`,
      )
      .run();
    old.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    const row = db.prepare(`SELECT skill, version, prompt_hash FROM prompt_history WHERE id = 'h1'`).get();
    expect(row).toEqual({ skill: 'file-naming', version: 1, prompt_hash: null });
    db.close();
  });

  it('refuses a database from a newer tinyArms with one clear message', () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer than this tinyArms understands/);
  });

  it('uses the index for the monitor window query', () => {
    const db = openDatabase(tempFile());
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT outcome FROM task_history WHERE skill = ? AND created_at >= ? AND outcome IS NOT NULL`)
      .all('file-naming', '2026-01-01') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/idx_tasks_skill_time/);
    db.close();
  });
});
