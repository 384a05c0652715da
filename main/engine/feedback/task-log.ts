import type { EngineContext } from '../context';
import { nowIso } from '../context';
import { getScorer } from '../skills/scorers';
import { writeTransaction } from '../store/database';
import { UserError, usageError } from '../util/errors';
import { newId } from '../util/ids';

export const OUTCOMES = ['accepted', 'edited', 'rejected'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface TaskRow {
  id: string;
  skill: string;
  prompt_version: number | null;
  variant_id: string | null;
  session_id: string | null;
  input: string;
  output: string;
  final_output: string | null;
  outcome: Outcome | null;
  score: number | null;
  source: string;
  created_at: string;
  feedback_at: string | null;
}

export interface NewTask {
  skill: string;
  input: string;
  output: string;
  id?: string;
  source?: string;
  promptVersion?: number | null;
  variantId?: string | null;
  sessionId?: string | null;
  at?: string;
}

export interface Feedback {
  outcome: Outcome;
  /** The user's final output; required when edited. */
  finalOutput?: string | null;
  at?: string;
}

export const isOutcome = (value: string): value is Outcome => (OUTCOMES as readonly string[]).includes(value);

/** One row per skill run, and the user's verdict on it: the raw material of accuracy, fitness and A/B arms. */
export class TaskLog {
  constructor(private readonly ctx: EngineContext) {}

  get(id: string): TaskRow | undefined {
    return this.ctx.db.prepare(`SELECT * FROM task_history WHERE id = ?`).get(id) as TaskRow | undefined;
  }

  require(id: string): TaskRow {
    const task = this.get(id);
    if (!task) throw new UserError(`unknown task '${id}'`, { exitCode: 2, code: 'unknown_task' });
    return task;
  }

  record(task: NewTask): TaskRow {
    this.ctx.skills.get(task.skill);
    if (!task.input.trim()) throw usageError('a task needs a non-empty input');
    const id = task.id ?? newId('task');
    const row: TaskRow = {
      id,
      skill: task.skill,
      prompt_version: task.promptVersion ?? null,
      variant_id: task.variantId ?? null,
      session_id: task.sessionId ?? null,
      input: task.input,
      output: task.output,
      final_output: null,
      outcome: null,
      score: null,
      source: task.source ?? 'cli',
      created_at: task.at ?? nowIso(this.ctx),
      feedback_at: null,
    };
    writeTransaction(this.ctx.db, () => {
      if (this.get(id)) throw usageError(`task '${id}' already exists`, 'duplicate_task');
      this.ctx.db
        .prepare(
          `INSERT INTO task_history (id, skill, prompt_version, variant_id, session_id, input, output, final_output,
             outcome, score, source, created_at, feedback_at)
           VALUES (@id, @skill, @prompt_version, @variant_id, @session_id, @input, @output, @final_output,
             @outcome, @score, @source, @created_at, @feedback_at)`,
        )
        .run(row);
    });
    return row;
  }

  /**
   * Accepted unchanged = success; edited = failure whose edit becomes the expected output; rejected = failure.
   * Recording the same feedback twice is a no-op; changing it is refused, so counts never drift.
   */
  feedback(taskId: string, feedback: Feedback): { task: TaskRow; changed: boolean } {
    // The check and the write in one write transaction: the same verdict from two processes lands once.
    return writeTransaction(this.ctx.db, () => {
      const task = this.require(taskId);
      // An "edit" that changes nothing is an acceptance: the user kept the output as it was.
      if (feedback.outcome === 'edited' && feedback.finalOutput?.trim() === task.output.trim()) {
        feedback = { ...feedback, outcome: 'accepted' };
      }
      const finalOutput = normaliseFinal(task, feedback);
      if (task.outcome) {
        if (task.outcome === feedback.outcome && (task.final_output ?? null) === finalOutput) return { task, changed: false };
        throw new UserError(`task '${taskId}' already has feedback (${task.outcome})`, { exitCode: 2, code: 'feedback_exists' });
      }
      const score = this.scoreOf(task, feedback.outcome, finalOutput);
      const at = feedback.at ?? nowIso(this.ctx);
      const success = feedback.outcome === 'accepted';
      this.ctx.db
        .prepare(`UPDATE task_history SET outcome = ?, final_output = ?, score = ?, feedback_at = ? WHERE id = ? AND outcome IS NULL`)
        .run(feedback.outcome, finalOutput, score, at, taskId);
      if (task.variant_id) {
        this.ctx.db
          .prepare(
            `UPDATE prompt_variants SET served = served + 1, accepted = accepted + ?,
               accuracy = CAST(accepted + ? AS REAL) / (served + 1) WHERE id = ?`,
          )
          .run(success ? 1 : 0, success ? 1 : 0, task.variant_id);
        this.ctx.db
          .prepare(`UPDATE ab_test_results SET task_success = ? WHERE task_id = ? AND variant_id = ?`)
          .run(success ? 1 : 0, taskId, task.variant_id);
      }
      return { task: this.require(taskId), changed: true };
    });
  }

  private scoreOf(task: TaskRow, outcome: Outcome, finalOutput: string | null): number {
    if (outcome === 'accepted') return 1;
    if (outcome === 'rejected' || finalOutput === null) return 0;
    // How close the model came to what the user wanted: partial credit for fitness, never a success.
    return getScorer(this.ctx.skills.get(task.skill).scorer)(task.output, finalOutput).score;
  }

  /** Tasks with feedback for one skill (newest first), e.g. the failure set for evolution. */
  withFeedback(skill: string, options: { since?: string; limit?: number; outcome?: Outcome[] } = {}): TaskRow[] {
    const outcomes = options.outcome ?? [...OUTCOMES];
    return this.ctx.db
      .prepare(
        `SELECT * FROM task_history WHERE skill = ? AND created_at >= ? AND outcome IN (${outcomes.map(() => '?').join(',')})
         ORDER BY created_at DESC LIMIT ?`,
      )
      .all(skill, options.since ?? '', ...outcomes, options.limit ?? -1) as TaskRow[];
  }
}

function normaliseFinal(task: TaskRow, feedback: Feedback): string | null {
  if (feedback.outcome === 'edited') {
    const final = feedback.finalOutput?.trim();
    if (!final) throw usageError(`feedback 'edited' on task '${task.id}' needs the final output (--final)`);
    return final;
  }
  if (feedback.outcome === 'accepted') {
    const final = feedback.finalOutput?.trim();
    if (final && final !== task.output.trim()) {
      throw usageError(
        `feedback 'accepted' on task '${task.id}' means the output was kept as it was; a different final output is 'edited'`,
      );
    }
    return task.output;
  }
  return feedback.finalOutput?.trim() || null;
}
