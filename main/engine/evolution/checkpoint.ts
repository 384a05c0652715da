import type { LibrarySnapshot } from '../learning/types';
import type { GenerateResult } from '../llm/types';
import { writeTransaction, type Database } from '../store/database';
import { newId } from '../util/ids';
import type { EvolutionSettings, MutationPromptEntry, OperatorName, OperatorStats, RejectionReason, Unit, UnitOrigin } from './types';

export type RunStatus = 'running' | 'cancelled' | 'done' | 'failed' | 'abandoned';

/** What a run needs to continue after the last finished generation. */
export interface Checkpoint {
  version: 1;
  /** Finished generations (0 = the initial population is ready). */
  generation: number;
  members: Unit[];
  mutationPrompts: MutationPromptEntry[];
  operators: Record<OperatorName, OperatorStats>;
  history: { generation: number; best: number | null; mean: number | null }[];
  stoppedEarly: 'budget' | null;
  /** Cross-skill learning: transfers of each lesson that gave no valid mutant (a change this skill's prompt cannot take). */
  lessonMisses?: Record<string, number>;
  /** Cross-skill learning: this run's transferred children judged against their parents, per lesson (in-run credit). */
  lessonTrials?: Record<string, { wins: number; losses: number }>;
}

/** Fixed at creation: the settings and the example split, so a resumed run continues the same experiment. */
export interface RunSpec {
  settings: EvolutionSettings & { seed: number };
  trainIds: string[];
  holdoutIds: string[];
  exampleNote: string | null;
  /** Cross-skill learning: the shared library when the run was created (absent: learning off, or a run from before). */
  library?: LibrarySnapshot;
}

export interface RunRow {
  id: string;
  skill: string;
  base_version: number;
  base_prompt_hash: string;
  model_id: string;
  status: RunStatus;
  settings: string;
  generation: number;
  checkpoint: string | null;
  result: string | null;
  session_id: string | null;
  message: string | null;
  pid: number | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface UnitRecord {
  unit_id: string;
  generation: number;
  operator: UnitOrigin;
  parent_id: string | null;
  mutation_prompt: string | null;
  prompt: string;
  prompt_hash: string | null;
  status: 'accepted' | 'rejected' | 'repaired';
  reason: RejectionReason | null;
  detail: string | null;
}

export type StoredCall = Pick<GenerateResult, 'text' | 'stopReason' | 'promptTokens' | 'generatedTokens'>;

/** evolution_runs, evolution_units and evolution_calls: the run's durable state, written as it goes. */
export class RunStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => string,
  ) {}

  create(row: { skill: string; baseVersion: number; basePromptHash: string; modelId: string; spec: RunSpec }): RunRow {
    const at = this.now();
    const id = newId('evo');
    this.db
      .prepare(
        `INSERT INTO evolution_runs (id, skill, base_version, base_prompt_hash, model_id, status, settings, generation, pid, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'running', ?, -1, ?, ?, ?)`,
      )
      .run(id, row.skill, row.baseVersion, row.basePromptHash, row.modelId, JSON.stringify(row.spec), process.pid, at, at);
    return this.require(id);
  }

  get(id: string): RunRow | undefined {
    return this.db.prepare(`SELECT * FROM evolution_runs WHERE id = ?`).get(id) as RunRow | undefined;
  }

  require(id: string): RunRow {
    const row = this.get(id);
    if (!row) throw new Error(`unknown evolution run ${id}`);
    return row;
  }

  /** The newest unfinished run (killed, failed or cancelled) of this skill on this prompt and model. */
  findResumable(skill: string, basePromptHash: string, modelId: string): RunRow | null {
    const row = this.db
      .prepare(
        `SELECT * FROM evolution_runs WHERE skill = ? AND base_prompt_hash = ? AND model_id = ? AND status IN ('running', 'cancelled', 'failed')
         ORDER BY created_at DESC, rowid DESC LIMIT 1`,
      )
      .get(skill, basePromptHash, modelId) as RunRow | undefined;
    return row ?? null;
  }

  /** Unfinished runs that can no longer resume (another prompt or model) are closed as abandoned. */
  abandonOthers(skill: string, keepId: string | null): void {
    this.db
      .prepare(
        `UPDATE evolution_runs SET status = 'abandoned', updated_at = ?, finished_at = ? WHERE skill = ? AND status IN ('running', 'cancelled', 'failed') AND id IS NOT ?`,
      )
      .run(this.now(), this.now(), skill, keepId);
  }

  latest(skill?: string): RunRow | null {
    const row = skill
      ? this.db.prepare(`SELECT * FROM evolution_runs WHERE skill = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`).get(skill)
      : this.db.prepare(`SELECT * FROM evolution_runs ORDER BY created_at DESC, rowid DESC LIMIT 1`).get();
    return (row as RunRow | undefined) ?? null;
  }

  spec(row: RunRow): RunSpec {
    return JSON.parse(row.settings) as RunSpec;
  }

  checkpoint(row: RunRow): Checkpoint | null {
    return row.checkpoint ? (JSON.parse(row.checkpoint) as Checkpoint) : null;
  }

  saveCheckpoint(runId: string, checkpoint: Checkpoint): void {
    this.db
      .prepare(`UPDATE evolution_runs SET generation = ?, checkpoint = ?, status = 'running', pid = ?, updated_at = ? WHERE id = ?`)
      .run(checkpoint.generation, JSON.stringify(checkpoint), process.pid, this.now(), runId);
  }

  markRunning(runId: string): void {
    this.db
      .prepare(`UPDATE evolution_runs SET status = 'running', pid = ?, message = NULL, updated_at = ? WHERE id = ?`)
      .run(process.pid, this.now(), runId);
  }

  finish(
    runId: string,
    status: Exclude<RunStatus, 'running'>,
    fields: { message?: string | null; result?: unknown; sessionId?: string | null } = {},
  ): void {
    const final = status === 'done' || status === 'abandoned';
    this.db
      .prepare(
        `UPDATE evolution_runs SET status = ?, message = ?, result = COALESCE(?, result), session_id = COALESCE(?, session_id),
           updated_at = ?, finished_at = ? WHERE id = ?`,
      )
      .run(
        status,
        fields.message ?? null,
        fields.result === undefined ? null : JSON.stringify(fields.result),
        fields.sessionId ?? null,
        this.now(),
        final ? this.now() : null,
        runId,
      );
  }

  setSession(runId: string, sessionId: string): void {
    this.db.prepare(`UPDATE evolution_runs SET session_id = ?, updated_at = ? WHERE id = ?`).run(sessionId, this.now(), runId);
  }

  /** Every unit made, accepted or rejected with its reason (a unit re-made after a resume replaces its row). */
  recordUnit(runId: string, record: UnitRecord): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO evolution_units (run_id, unit_id, generation, operator, parent_id, mutation_prompt, prompt, prompt_hash, status, reason, detail, created_at)
         VALUES (@run_id, @unit_id, @generation, @operator, @parent_id, @mutation_prompt, @prompt, @prompt_hash, @status, @reason, @detail, @created_at)`,
      )
      .run({ ...record, run_id: runId, created_at: this.now() });
  }

  units(runId: string): UnitRecord[] {
    return this.db.prepare(`SELECT * FROM evolution_units WHERE run_id = ? ORDER BY generation, unit_id`).all(runId) as UnitRecord[];
  }

  /** A mutation call this run already made (a generation repeated after a crash). */
  call(runId: string, key: string): StoredCall | null {
    const row = this.db
      .prepare(
        `SELECT text, stop_reason AS stopReason, prompt_tokens AS promptTokens, generated_tokens AS generatedTokens FROM evolution_calls WHERE run_id = ? AND call_key = ?`,
      )
      .get(runId, key) as StoredCall | undefined;
    return row ?? null;
  }

  putCalls(runId: string, calls: readonly { key: string; result: StoredCall }[]): void {
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO evolution_calls (run_id, call_key, text, stop_reason, prompt_tokens, generated_tokens, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const at = this.now();
    writeTransaction(this.db, () => {
      for (const c of calls)
        insert.run(runId, c.key, c.result.text, c.result.stopReason, c.result.promptTokens, c.result.generatedTokens, at);
    });
  }

  callTotals(runId: string): { calls: number; promptTokens: number; generatedTokens: number } {
    return this.db
      .prepare(
        `SELECT COUNT(*) AS calls, COALESCE(SUM(prompt_tokens), 0) AS promptTokens, COALESCE(SUM(generated_tokens), 0) AS generatedTokens FROM evolution_calls WHERE run_id = ?`,
      )
      .get(runId) as { calls: number; promptTokens: number; generatedTokens: number };
  }
}
