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
  // 3: prompt evolution runs: a run with its per-generation checkpoint, every unit it made (rejected ones
  // with their reason), the fitness cache shared across runs, and a log of a run's mutation calls.
  (db) => {
    db.exec(`
      CREATE TABLE evolution_runs (
        id TEXT PRIMARY KEY,
        skill TEXT NOT NULL,
        base_version INTEGER NOT NULL,
        base_prompt_hash TEXT NOT NULL,
        model_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'cancelled', 'done', 'failed', 'abandoned')),
        settings TEXT NOT NULL,
        generation INTEGER NOT NULL DEFAULT -1,
        checkpoint TEXT,
        result TEXT,
        session_id TEXT,
        message TEXT,
        pid INTEGER,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL,
        finished_at TIMESTAMP
      );
      CREATE INDEX idx_evolution_runs_skill ON evolution_runs(skill, status, created_at);

      CREATE TABLE evolution_units (
        run_id TEXT NOT NULL REFERENCES evolution_runs(id),
        unit_id TEXT NOT NULL,
        generation INTEGER NOT NULL,
        operator TEXT NOT NULL,
        parent_id TEXT,
        mutation_prompt TEXT,
        prompt TEXT NOT NULL,
        prompt_hash TEXT,
        status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'repaired')),
        reason TEXT,
        detail TEXT,
        created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (run_id, unit_id)
      );

      -- One skill run of one prompt on one example with one model file: never run twice.
      CREATE TABLE fitness_cache (
        prompt_hash TEXT NOT NULL,
        example_id TEXT NOT NULL,
        model_id TEXT NOT NULL,
        score REAL NOT NULL,
        output TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL DEFAULT 0,
        generated_tokens INTEGER NOT NULL DEFAULT 0,
        run_id TEXT,
        created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (model_id, prompt_hash, example_id)
      ) WITHOUT ROWID;
      CREATE INDEX idx_fitness_cache_run ON fitness_cache(run_id);

      CREATE TABLE evolution_calls (
        run_id TEXT NOT NULL REFERENCES evolution_runs(id),
        call_key TEXT NOT NULL,
        text TEXT NOT NULL,
        stop_reason TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL DEFAULT 0,
        generated_tokens INTEGER NOT NULL DEFAULT 0,
        created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (run_id, call_key)
      ) WITHOUT ROWID;
    `);
  },
  // 4: watched folders: proposed names for new files, and every rename tinyArms made (for undo).
  (db) => {
    db.exec(`
      CREATE TABLE file_proposals (
        id TEXT PRIMARY KEY,
        folder TEXT NOT NULL,
        name TEXT NOT NULL,
        input TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('single', 'vote')),
        output TEXT,
        proposed TEXT,
        options TEXT,
        variant TEXT,
        prompt_version INTEGER,
        task_id TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'renamed', 'skipped', 'dismissed', 'stale')),
        outcome TEXT,
        final_name TEXT,
        note TEXT,
        inode INTEGER NOT NULL,
        size INTEGER NOT NULL,
        mtime REAL NOT NULL,
        created_at TIMESTAMP NOT NULL,
        decided_at TIMESTAMP
      );
      CREATE INDEX idx_file_proposals_status ON file_proposals(status, created_at);
      CREATE INDEX idx_file_proposals_file ON file_proposals(folder, name);

      CREATE TABLE file_renames (
        id TEXT PRIMARY KEY,
        folder TEXT NOT NULL,
        from_name TEXT NOT NULL,
        to_name TEXT NOT NULL,
        task_id TEXT,
        at TIMESTAMP NOT NULL,
        undone_at TIMESTAMP,
        inode INTEGER NOT NULL,
        size INTEGER NOT NULL,
        mtime REAL NOT NULL
      );
      CREATE INDEX idx_file_renames_to ON file_renames(folder, to_name);
      CREATE INDEX idx_file_renames_from ON file_renames(folder, from_name);
      CREATE INDEX idx_file_renames_at ON file_renames(at);
    `);
  },
  // 5: one writer's guarantees held by the schema too: one result row per task and arm, one round per task;
  // a claim on a rename proposal (the process deciding it, and the name it is moving the file to); and what a
  // promotion wrote to config.yaml, so recovery can tell whether another process wrote there since.
  (db) => {
    db.exec(`
      DELETE FROM ab_test_results WHERE rowid NOT IN (SELECT MIN(rowid) FROM ab_test_results GROUP BY task_id, variant_id);
      CREATE UNIQUE INDEX idx_results_task_variant ON ab_test_results(task_id, variant_id);
      CREATE UNIQUE INDEX idx_rounds_task ON vote_rounds(task_id);
      ALTER TABLE file_proposals ADD COLUMN claim_pid INTEGER;
      ALTER TABLE file_proposals ADD COLUMN claim_to TEXT;
      ALTER TABLE promotion_journal ADD COLUMN config_after TEXT;
      ALTER TABLE promotion_journal ADD COLUMN config_keys TEXT;
    `);
  },
  // 6: live evolution progress, one row per skill, written (throttled) by the process running the evolution,
  // so the app sees a run another process (the CLI) started. Rows of dead processes are ignored by readers.
  (db) => {
    db.exec(`
      CREATE TABLE evolution_progress (
        skill TEXT PRIMARY KEY,
        pid INTEGER NOT NULL,
        progress TEXT NOT NULL,
        started_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
      );
    `);
  },
  // 7: issue 14. The sample sizes behind two measured rates: the held-out examples of a variant's offline
  // fitness (its weight as a prior) and the tasks behind the old prompt's accuracy (the promotion guard).
  (db) => {
    db.exec(`
      ALTER TABLE prompt_variants ADD COLUMN fitness_samples INTEGER;
      ALTER TABLE prompt_evolution_sessions ADD COLUMN base_samples INTEGER;
    `);
  },
  // 8: issue 15 (teams). The teammates' pooled picks a session's decision used, kept when it completes, so its
  // results read the same later whatever the team folder holds by then.
  (db) => {
    db.exec(`ALTER TABLE prompt_evolution_sessions ADD COLUMN peer_votes TEXT;`);
  },
  // 9: issue 15 §1: cross-skill learning. One library of mutation prompts, thinking styles, operators and
  // structural lessons for every skill, with a Beta credit each (wins, losses); one credit row per A/B variant, so
  // a session is credited once whichever process concludes it; each variant's provenance (what to credit).
  (db) => {
    db.exec(`
      CREATE TABLE learning_library (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('mutation_prompt', 'thinking_style', 'operator', 'lesson')),
        text TEXT NOT NULL,
        wins INTEGER NOT NULL DEFAULT 0,
        losses INTEGER NOT NULL DEFAULT 0,
        skill TEXT,
        version INTEGER,
        change TEXT,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
      );
      CREATE TABLE learning_credits (
        variant_id TEXT PRIMARY KEY REFERENCES prompt_variants(id),
        session_id TEXT NOT NULL,
        result TEXT NOT NULL CHECK (result IN ('win', 'loss')),
        at TIMESTAMP NOT NULL
      );
      ALTER TABLE prompt_variants ADD COLUMN provenance TEXT;
    `);
  },
  // 10: issue 15 §2. Examples the person pinned from the task history ("always get this right"): input and expected
  // output copied at pin time, so a later edit of the task does not change what the evaluation holds the prompt to;
  // per evolved variant, the pinned examples it gets wrong that the prompt it would replace gets right; and the last
  // reminder to reset a skill that drifted far from its default (at most one a month).
  (db) => {
    db.exec(`
      CREATE TABLE gold_pins (
        task_id TEXT PRIMARY KEY,
        skill TEXT NOT NULL,
        input TEXT NOT NULL,
        expected TEXT NOT NULL,
        pinned_at TIMESTAMP NOT NULL
      );
      CREATE INDEX idx_gold_pins_skill ON gold_pins(skill, pinned_at);
      ALTER TABLE prompt_variants ADD COLUMN broken_pins TEXT;
      CREATE TABLE reset_reminders (
        skill TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        message TEXT NOT NULL,
        shown_at TIMESTAMP NOT NULL
      );
    `);
  },
  // 11: issue 15 §3. A teammate's offer the person answered "Not now" to (their test, or their version of a skill, by
  // its hash): not offered again; a new version or test is a new offer.
  (db) => {
    db.exec(`
      CREATE TABLE team_offer_dismissals (
        offer_key TEXT PRIMARY KEY,
        dismissed_at TIMESTAMP NOT NULL
      );
    `);
  },
];

export const SCHEMA_VERSION = migrations.length;
