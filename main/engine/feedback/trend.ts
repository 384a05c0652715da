import { linearRegression } from 'simple-statistics';
import type { EngineContext } from '../context';
import type { ActivePrompt } from '../prompts/prompt-versions';
import { DAY_MS } from '../util/clock';

export type TrendDirection = 'up' | 'down' | 'flat';

export interface AccuracyTrend {
  /** Where acceptance is heading over the last two windows; null with fewer than MIN_POINTS verdicts. */
  direction: TrendDirection | null;
  /** The fitted change over one window (e.g. -0.12 = twelve points lower than a window ago). */
  changePerWindow: number | null;
  /** Accuracy one window earlier, for "down from 92%"; null without data. */
  previous: number | null;
}

/** The one threshold for "it moved": a fitted change under two points per window is flat. */
export const TREND_MIN_CHANGE = 0.02;
const MIN_POINTS = 4;

/**
 * The accuracy trend of the running version: a least-squares line through its verdicts (accepted = 1, else 0)
 * over the current and the previous window, in time. A regression uses every verdict where a comparison of
 * two window means would hang on where the windows happen to split. Computed here once; the tray, the popover
 * and the CLI all show this.
 */
export function accuracyTrend(ctx: Pick<EngineContext, 'db' | 'config' | 'clock'>, active: ActivePrompt): AccuracyTrend {
  const windowMs = ctx.config.config.prompt_evolution.triggers.window_days * DAY_MS;
  const now = ctx.clock.now().getTime();
  const byDays = new Date(now - 2 * windowMs).toISOString();
  const from = active.windowStart && active.windowStart > byDays ? active.windowStart : byDays;
  const rows = ctx.db
    .prepare(
      `SELECT created_at AS at, outcome = 'accepted' AS ok FROM task_history
       WHERE skill = ? AND created_at >= ? AND created_at <= ? AND outcome IS NOT NULL AND variant_id IS NULL AND prompt_version = ?
       ORDER BY created_at`,
    )
    .all(active.skill, from, new Date(now).toISOString(), active.version) as { at: string; ok: number }[];
  const cut = new Date(now - windowMs).toISOString();
  const earlier = rows.filter((r) => r.at < cut);
  const previous = earlier.length > 0 ? earlier.filter((r) => r.ok).length / earlier.length : null;
  const times = rows.map((r) => Date.parse(r.at));
  if (rows.length < MIN_POINTS || Math.max(...times) === Math.min(...times)) return { direction: null, changePerWindow: null, previous };
  const { m } = linearRegression(rows.map((r, i) => [(times[i] - now) / windowMs, r.ok]));
  const direction: TrendDirection = m >= TREND_MIN_CHANGE ? 'up' : m <= -TREND_MIN_CHANGE ? 'down' : 'flat';
  return { direction, changePerWindow: m, previous };
}
