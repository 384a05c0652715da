import type { EngineContext } from '../context';
import { DAY_MS } from '../util/clock';

export interface AccuracyPoint {
  /** Start of the week. */
  from: string;
  /** Share of results kept that week; null without any verdict. */
  accuracy: number | null;
  samples: number;
}

export interface VersionMarker {
  at: string;
  kind: 'promoted' | 'rolled-back';
  version: number;
}

export interface PromotionGain {
  version: number;
  at: string;
  /** The accuracy of the version it replaced, when it was replaced. */
  before: number | null;
  /** The accuracy of this version since it became current; null before any verdict. */
  after: number | null;
  samples: number;
}

/** What tinyArms cost the person this calendar month, and what it gained. */
export interface MonthInsight {
  since: string;
  /** Vote rounds tinyArms asked about, and how many got an answer (a pick or "none"). */
  votesAsked: number;
  votesGiven: number;
  evolutionsRun: number;
  promotions: PromotionGain[];
}

export interface SkillInsight {
  skill: string;
  /** Weekly accuracy, oldest first. */
  points: AccuracyPoint[];
  /** Promotions and rollbacks within the weeks shown. */
  markers: VersionMarker[];
  month: MonthInsight;
}

export const INSIGHT_WEEKS = 8;

const monthStart = (now: Date): string => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();

/**
 * A skill's accuracy over the last weeks (results the running prompts served, with the person's verdict) with
 * the promotions and rollbacks in that time, and this month's cost (votes asked, evolutions run) and gain
 * (accuracy before and after each promotion). Reads only.
 */
export function skillInsight(ctx: Pick<EngineContext, 'db' | 'clock'>, skill: string, weeks = INSIGHT_WEEKS): SkillInsight {
  const now = ctx.clock.now();
  // Whole days: the last week ends with today (UTC), so a day's results never straddle two points.
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  const start = end - weeks * 7 * DAY_MS;
  const rows = ctx.db
    .prepare(
      `SELECT created_at AS at, outcome = 'accepted' AS ok FROM task_history
       WHERE skill = ? AND outcome IS NOT NULL AND variant_id IS NULL AND created_at >= ? AND created_at <= ?`,
    )
    .all(skill, new Date(start).toISOString(), now.toISOString()) as { at: string; ok: number }[];
  const points: AccuracyPoint[] = Array.from({ length: weeks }, (_, i) => ({
    from: new Date(start + i * 7 * DAY_MS).toISOString(),
    accuracy: null,
    samples: 0,
  }));
  const kept = new Array<number>(weeks).fill(0);
  for (const row of rows) {
    const week = Math.min(weeks - 1, Math.max(0, Math.floor((Date.parse(row.at) - start) / (7 * DAY_MS))));
    points[week].samples++;
    kept[week] += row.ok;
  }
  points.forEach((p, i) => (p.accuracy = p.samples > 0 ? kept[i] / p.samples : null));

  const history = ctx.db
    .prepare(`SELECT version, active_from, accuracy_end, evolution_source FROM prompt_history WHERE skill = ? ORDER BY active_from, rowid`)
    .all(skill) as { version: number; active_from: string; accuracy_end: number | null; evolution_source: string | null }[];
  const markers: VersionMarker[] = history
    .filter((h) => (h.evolution_source === 'promotion' || h.evolution_source === 'rollback') && Date.parse(h.active_from) >= start)
    .map((h) => ({ at: h.active_from, kind: h.evolution_source === 'promotion' ? 'promoted' : 'rolled-back', version: h.version }));

  const since = monthStart(now);
  const votes = ctx.db
    .prepare(
      `SELECT COUNT(*) AS asked, COALESCE(SUM(r.status IN ('picked', 'none')), 0) AS given FROM vote_rounds r
       JOIN prompt_evolution_sessions s ON s.id = r.session_id WHERE s.skill = ? AND r.created_at >= ?`,
    )
    .get(skill, since) as { asked: number; given: number };
  const runs = ctx.db.prepare(`SELECT COUNT(*) AS n FROM evolution_runs WHERE skill = ? AND created_at >= ?`).get(skill, since) as {
    n: number;
  };
  const measured = ctx.db.prepare(
    `SELECT COUNT(*) AS samples, COALESCE(SUM(outcome = 'accepted'), 0) AS kept FROM task_history
     WHERE skill = ? AND prompt_version = ? AND variant_id IS NULL AND outcome IS NOT NULL AND created_at >= ?`,
  );
  const promotions: PromotionGain[] = history.flatMap((h, i) => {
    if (h.evolution_source !== 'promotion' || h.active_from < since) return [];
    const after = measured.get(skill, h.version, h.active_from) as { samples: number; kept: number };
    return [
      {
        version: h.version,
        at: h.active_from,
        before: history[i - 1]?.accuracy_end ?? null,
        after: after.samples > 0 ? after.kept / after.samples : null,
        samples: after.samples,
      },
    ];
  });
  return { skill, points, markers, month: { since, votesAsked: votes.asked, votesGiven: votes.given, evolutionsRun: runs.n, promotions } };
}
