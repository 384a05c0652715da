import type { Database } from 'better-sqlite3';

/**
 * Schema migrations keyed on PRAGMA user_version. Each runs once, in its own transaction, so an older file
 * is upgraded in place and a crash mid-migration leaves the previous version intact. Never edit a shipped
 * migration: append a new one.
 */
export const migrations: readonly ((db: Database) => void)[] = [
  // 1: the design's four tables, as specified there.
  (db) => {
    db.exec(`
      CREATE TABLE prompt_evolution_sessions (
        id TEXT PRIMARY KEY,
        skill TEXT NOT NULL,
        original_prompt_hash TEXT NOT NULL,
        triggered_at TIMESTAMP NOT NULL,
        trigger_reason TEXT,
        status TEXT DEFAULT 'active',
        completed_at TIMESTAMP
      );
      CREATE TABLE prompt_variants (
        id TEXT PRIMARY KEY,
        session_id TEXT REFERENCES prompt_evolution_sessions(id),
        variant_letter TEXT,
        prompt_template TEXT NOT NULL,
        reasoning TEXT,
        votes INTEGER DEFAULT 0,
        accuracy REAL DEFAULT 0.0
      );
      CREATE TABLE ab_test_results (
        id TEXT PRIMARY KEY,
        session_id TEXT REFERENCES prompt_evolution_sessions(id),
        variant_id TEXT REFERENCES prompt_variants(id),
        task_id TEXT NOT NULL,
        user_choice BOOLEAN,
        task_success BOOLEAN,
        created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
      );
      CREATE TABLE prompt_history (
        id TEXT PRIMARY KEY,
        skill TEXT NOT NULL,
        version INTEGER NOT NULL,
        prompt_template_path TEXT NOT NULL,
        active_from TIMESTAMP NOT NULL,
        active_to TIMESTAMP,
        accuracy_start REAL,
        accuracy_end REAL,
        evolution_source TEXT,
        notes TEXT
      );
    `);
  },
  // 2: task history, monitor verdicts, vote rounds, the A/B's extra columns and the promotion journal.
  (db) => {
    db.exec(`
      ALTER TABLE prompt_evolution_sessions ADD COLUMN base_version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE prompt_evolution_sessions ADD COLUMN base_accuracy REAL;
      ALTER TABLE prompt_evolution_sessions ADD COLUMN decision TEXT;
      ALTER TABLE prompt_evolution_sessions ADD COLUMN decision_reason TEXT;
      ALTER TABLE prompt_evolution_sessions ADD COLUMN winner_variant_id TEXT;
      ALTER TABLE prompt_evolution_sessions ADD COLUMN outcome TEXT;
      ALTER TABLE prompt_evolution_sessions ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX idx_sessions_skill_status ON prompt_evolution_sessions(skill, status, triggered_at);

      ALTER TABLE prompt_variants ADD COLUMN arm_index INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE prompt_variants ADD COLUMN source TEXT NOT NULL DEFAULT 'file';
      ALTER TABLE prompt_variants ADD COLUMN source_version INTEGER;
      ALTER TABLE prompt_variants ADD COLUMN fitness REAL;
      ALTER TABLE prompt_variants ADD COLUMN served INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE prompt_variants ADD COLUMN accepted INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX idx_variants_session ON prompt_variants(session_id, arm_index);

      CREATE INDEX idx_ab_results_session ON ab_test_results(session_id, task_id);

      ALTER TABLE prompt_history ADD COLUMN prompt_hash TEXT;
      ALTER TABLE prompt_history ADD COLUMN session_id TEXT;
      CREATE INDEX idx_history_skill ON prompt_history(skill, active_to, version);

      CREATE TABLE task_history (
        id TEXT PRIMARY KEY,
        skill TEXT NOT NULL,
        prompt_version INTEGER,
        variant_id TEXT REFERENCES prompt_variants(id),
        session_id TEXT REFERENCES prompt_evolution_sessions(id),
        input TEXT NOT NULL,
        output TEXT NOT NULL,
        final_output TEXT,
        outcome TEXT CHECK (outcome IN ('accepted', 'edited', 'rejected')),
        score REAL,
        source TEXT NOT NULL DEFAULT 'cli',
        created_at TIMESTAMP NOT NULL,
        feedback_at TIMESTAMP
      );
      -- The monitor's window query: one skill's tasks with feedback since a time.
      CREATE INDEX idx_tasks_skill_time ON task_history(skill, created_at);
      CREATE INDEX idx_tasks_variant ON task_history(variant_id) WHERE variant_id IS NOT NULL;

      CREATE TABLE vote_rounds (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES prompt_evolution_sessions(id),
        task_id TEXT NOT NULL,
        input TEXT NOT NULL,
        options TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'picked', 'none', 'skipped')),
        picked_variant_id TEXT REFERENCES prompt_variants(id),
        created_at TIMESTAMP NOT NULL,
        answered_at TIMESTAMP,
        UNIQUE (session_id, task_id)
      );
      CREATE INDEX idx_rounds_open ON vote_rounds(status, created_at);

      CREATE TABLE monitor_checks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        skill TEXT NOT NULL,
        checked_at TIMESTAMP NOT NULL,
        verdict TEXT NOT NULL,
        reason TEXT NOT NULL,
        accuracy REAL,
        samples INTEGER NOT NULL,
        session_id TEXT
      );
      CREATE INDEX idx_checks_skill ON monitor_checks(skill, checked_at);

      CREATE TABLE promotion_journal (
        id TEXT PRIMARY KEY,
        skill TEXT NOT NULL,
        action TEXT NOT NULL,
        from_version INTEGER NOT NULL,
        to_version INTEGER NOT NULL,
        created_file TEXT,
        config_before TEXT,
        pid INTEGER NOT NULL,
        started_at TIMESTAMP NOT NULL
      );
    `);
  },
];

export const SCHEMA_VERSION = migrations.length;
