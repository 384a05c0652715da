import type { EngineContext } from '../context';
import { nowIso } from '../context';
import { promptSimilarity } from '../evolution/validation';
import { measureAccuracy } from '../feedback/accuracy';
import type { PromptVersions } from '../prompts/prompt-versions';
import { writeTransaction } from '../store/database';
import { DAY_MS } from '../util/clock';
import { percent } from '../util/format';

/*
 * The monthly reset reminder (issue 15 §2). A skill has drifted far from its default when
 *   drift = word edit distance(current prompt, shipped prompt) / words in the longer one
 * (case and punctuation ignored: 1 − promptSimilarity) is at least prompt_evolution.gold.drift_threshold (0.5: half
 * the words changed). It does worse than the default did when its accuracy now, on at least triggers.sample_size
 * tasks, is below the default's accuracy when version 1 was last replaced. Then the monitor's check records one
 * sentence suggesting the reset, at most once every REMINDER_EVERY_DAYS per skill; the app shows it for
 * REMINDER_SHOWN_DAYS while the drifted version still runs. prompt_evolution.gold.reset_reminder: false turns it off.
 */
export const REMINDER_EVERY_DAYS = 30;
export const REMINDER_SHOWN_DAYS = 7;

export interface Drift {
  drift: number;
  accuracy: number | null;
  samples: number;
  /** The default's accuracy when it was last replaced; null when never measured. */
  defaultAccuracy: number | null;
}

type Ctx = Pick<EngineContext, 'db' | 'clock' | 'config' | 'skills'>;

export function measureDrift(ctx: EngineContext, prompts: PromptVersions, skill: string): Drift {
  const active = prompts.active(skill);
  const drift = 1 - promptSimilarity(active.prompt, ctx.skills.get(skill).prompt);
  const accuracy = measureAccuracy(ctx, active);
  const row = ctx.db
    .prepare(
      `SELECT accuracy_end AS a FROM prompt_history WHERE skill = ? AND version = 1 AND active_to IS NOT NULL
       ORDER BY rowid DESC LIMIT 1`,
    )
    .get(skill) as { a: number | null } | undefined;
  return { drift, accuracy: accuracy.accuracy, samples: accuracy.samples, defaultAccuracy: row?.a ?? null };
}

/** The sentence, when the skill qualifies now; null otherwise. Pure: the caller decides whether it is due. */
export function reminderSentence(skill: string, version: number, d: Drift, o: { threshold: number; minSamples: number }): string | null {
  if (version === 1 || d.drift < o.threshold || d.accuracy === null || d.samples < o.minSamples) return null;
  if (d.defaultAccuracy === null || d.accuracy >= d.defaultAccuracy) return null;
  return (
    `${skill} version ${version} has drifted far from its default prompt (${percent(d.drift)} of its words changed) and keeps ` +
    `${percent(d.accuracy)} of results, where the default kept ${percent(d.defaultAccuracy)}: consider resetting it to the default.`
  );
}

/**
 * Called by the monitor's check: records a reminder when the skill qualifies and none was recorded in the last
 * REMINDER_EVERY_DAYS (checked inside the write, for other processes). Returns the sentence recorded, or null.
 */
export function remindReset(ctx: EngineContext, prompts: PromptVersions, skill: string): string | null {
  const gold = ctx.config.config.prompt_evolution.gold;
  if (!gold.reset_reminder) return null;
  const version = prompts.active(skill).version;
  if (version === 1) return null;
  const minSamples = ctx.config.config.prompt_evolution.triggers.sample_size;
  const sentence = reminderSentence(skill, version, measureDrift(ctx, prompts, skill), { threshold: gold.drift_threshold, minSamples });
  if (!sentence) return null;
  const now = ctx.clock.now();
  return writeTransaction(ctx.db, () => {
    const last = ctx.db.prepare(`SELECT shown_at FROM reset_reminders WHERE skill = ?`).get(skill) as { shown_at: string } | undefined;
    if (last && now.getTime() - Date.parse(last.shown_at) < REMINDER_EVERY_DAYS * DAY_MS) return null;
    ctx.db
      .prepare(`INSERT INTO reset_reminders (skill, version, message, shown_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(skill) DO UPDATE SET version = excluded.version, message = excluded.message, shown_at = excluded.shown_at`)
      .run(skill, version, sentence, nowIso(ctx));
    return sentence;
  });
}

/** The reminder to show now: recorded in the last REMINDER_SHOWN_DAYS for the version that still runs; else null. */
export function currentReminder(ctx: Ctx, skill: string, version: number): string | null {
  if (!ctx.config.config.prompt_evolution.gold.reset_reminder) return null;
  const row = ctx.db.prepare(`SELECT version, message, shown_at FROM reset_reminders WHERE skill = ?`).get(skill) as
    | { version: number; message: string; shown_at: string }
    | undefined;
  if (!row || row.version !== version) return null;
  return ctx.clock.now().getTime() - Date.parse(row.shown_at) < REMINDER_SHOWN_DAYS * DAY_MS ? row.message : null;
}
