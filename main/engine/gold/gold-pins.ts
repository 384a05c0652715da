import type { EngineContext } from '../context';
import { nowIso } from '../context';
import type { TaskLog } from '../feedback/task-log';
import { writeTransaction } from '../store/database';
import { UserError, usageError } from '../util/errors';
import { loadShippedGold, type GoldExample } from './gold-file';

export interface PinRow {
  task_id: string;
  skill: string;
  input: string;
  expected: string;
  pinned_at: string;
}

export interface GoldList {
  skill: string;
  shipped: GoldExample[];
  pinned: GoldExample[];
}

/**
 * Gold examples: the shipped ones (skills/examples/<skill>.gold.json) and the ones the person pins from the task
 * history ("always get this right"). A pin copies the task's input and the output the person settled on (their
 * edit, or the output they accepted), so a later change to the task does not move what evaluation holds prompts to.
 */
export class GoldExamples {
  private readonly shippedCache = new Map<string, GoldExample[]>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly tasks: Pick<TaskLog, 'require'>,
  ) {}

  /** Pins a task; pinning it again changes nothing (`already` says so). Checked inside the write, for other processes. */
  pin(taskId: string): { pin: GoldExample; already: boolean } {
    const task = this.tasks.require(taskId);
    this.ctx.skills.get(task.skill);
    const expected = task.outcome === 'accepted' ? task.output : task.final_output;
    if (!task.outcome || expected === null || expected.trim() === '') {
      const why = task.outcome === 'rejected' ? 'was rejected without a corrected output' : 'has no feedback yet';
      throw new UserError(`task ${taskId} ${why}: only a task with a known right output can be pinned`, {
        exitCode: 2,
        code: 'not_pinnable',
      });
    }
    return writeTransaction(this.ctx.db, () => {
      const existing = this.row(taskId);
      if (existing) return { pin: pinToGold(existing), already: true };
      const row: PinRow = { task_id: taskId, skill: task.skill, input: task.input, expected, pinned_at: nowIso(this.ctx) };
      this.ctx.db
        .prepare(
          `INSERT INTO gold_pins (task_id, skill, input, expected, pinned_at) VALUES (@task_id, @skill, @input, @expected, @pinned_at)`,
        )
        .run(row);
      return { pin: pinToGold(row), already: false };
    });
  }

  unpin(taskId: string): GoldExample {
    return writeTransaction(this.ctx.db, () => {
      const existing = this.row(taskId);
      if (!existing) throw usageError(`task ${taskId} is not pinned`, 'not_pinned');
      this.ctx.db.prepare(`DELETE FROM gold_pins WHERE task_id = ?`).run(taskId);
      return pinToGold(existing);
    });
  }

  isPinned(taskId: string): boolean {
    return this.row(taskId) !== undefined;
  }

  /** Task ids pinned among the given ones (what a list of samples marks). */
  pinnedAmong(taskIds: readonly string[]): Set<string> {
    if (taskIds.length === 0) return new Set();
    const rows = this.ctx.db
      .prepare(`SELECT task_id FROM gold_pins WHERE task_id IN (${taskIds.map(() => '?').join(', ')})`)
      .all(...taskIds) as { task_id: string }[];
    return new Set(rows.map((r) => r.task_id));
  }

  pinned(skill: string): GoldExample[] {
    const rows = this.ctx.db.prepare(`SELECT * FROM gold_pins WHERE skill = ? ORDER BY pinned_at, rowid`).all(skill) as PinRow[];
    return rows.map(pinToGold);
  }

  /** The skill's shipped gold examples (read once per engine; the files ship with the app). */
  shipped(skill: string): GoldExample[] {
    let examples = this.shippedCache.get(skill);
    if (!examples) {
      examples = loadShippedGold(this.ctx.skills.bundledDir, this.ctx.skills.get(skill));
      this.shippedCache.set(skill, examples);
    }
    return examples;
  }

  list(skill: string): GoldList {
    return { skill, shipped: this.shipped(skill), pinned: this.pinned(skill) };
  }

  private row(taskId: string): PinRow | undefined {
    return this.ctx.db.prepare(`SELECT * FROM gold_pins WHERE task_id = ?`).get(taskId) as PinRow | undefined;
  }
}

const pinToGold = (row: PinRow): GoldExample => ({
  id: row.task_id,
  skill: row.skill,
  input: row.input,
  expected: row.expected,
  source: 'pinned',
  note: `pinned ${row.pinned_at.slice(0, 10)}`,
});
