import type { EngineContext } from '../context';
import type { ActivePrompt } from '../prompts/prompt-versions';
import { DAY_MS } from '../util/clock';

export interface AccuracyReport {
  skill: string;
  version: number;
  accuracy: number | null;
  samples: number;
  successes: number;
  /** Start of the window: the last `window_days`, or the last promotion when that is later. */
  windowStart: string;
  windowEnd: string;
}

/** Accuracy of the prompt a skill runs now, from tasks it served (not A/B arms) that have feedback. */
export function measureAccuracy(ctx: EngineContext, active: ActivePrompt, at: Date = ctx.clock.now()): AccuracyReport {
  const days = ctx.config.config.prompt_evolution.triggers.window_days;
  const byDays = new Date(at.getTime() - days * DAY_MS).toISOString();
  const windowStart = active.windowStart && active.windowStart > byDays ? active.windowStart : byDays;
  const windowEnd = at.toISOString();
  const row = ctx.db
    .prepare(
      `SELECT COUNT(*) AS samples, COALESCE(SUM(outcome = 'accepted'), 0) AS successes
       FROM task_history
       WHERE skill = ? AND created_at >= ? AND created_at <= ? AND outcome IS NOT NULL
         AND variant_id IS NULL AND prompt_version = ?`,
    )
    .get(active.skill, windowStart, windowEnd, active.version) as { samples: number; successes: number };
  return {
    skill: active.skill,
    version: active.version,
    samples: row.samples,
    successes: row.successes,
    accuracy: row.samples > 0 ? row.successes / row.samples : null,
    windowStart,
    windowEnd,
  };
}
