import type { Engine, SkillStats } from '../../engine/engine';
import { day } from './output';

export interface SkillStatus {
  /** A word or two for tables: "testing", "triggered", "promoted", "not evolvable". */
  state: string;
  /** One line for `prompt stats`. */
  line: string;
  /** The running or last session was flagged for review (its best variant scored below rollback_threshold). */
  review: string | null;
}

const latestOf = (...times: (string | null | undefined)[]): string => times.filter((t): t is string => Boolean(t)).sort().at(-1) ?? '';

/**
 * What a skill is doing now, from the newest of: its running session, the last session's end, the current
 * version's start (a promotion or rollback) and the monitor's last verdict. A verdict older than the version it
 * judged is not shown as current (after a promotion the old "triggered" no longer holds).
 */
export function skillStatus(engine: Engine, s: SkillStats): SkillStatus {
  const review = s.session?.needs_review ? `A/B session ${s.session.id} is flagged for review: its best variant scored below the rollback threshold` : null;
  if (!s.evolvable) return { state: 'not evolvable', line: 'not evolvable (this skill\'s prompt is fixed)', review: null };
  if (engine.ctx.config.config.skills[s.skill]?.enabled === false) return { state: 'disabled', line: `turned off in config.yaml (skills.${s.skill}.enabled)`, review: null };
  if (s.session) {
    const results = engine.sessions.results(s.session.id);
    return { state: 'testing', line: `A/B testing in progress (session ${s.session.id}, ${results.votes}/${results.maxVotes} votes)`, review };
  }
  const active = engine.prompts.active(s.skill);
  const last = engine.sessions.latest(s.skill);
  const checkAt = s.lastCheck?.checkedAt ?? '';
  const newest = latestOf(checkAt, last?.completed_at, active.history.active_from);
  if (s.lastCheck && checkAt === newest && checkAt >= active.history.active_from) {
    return { state: s.lastCheck.verdict.replace(/_/g, ' '), line: `${s.lastCheck.verdict.replace(/_/g, ' ')}: ${s.lastCheck.reason}`, review: null };
  }
  const source = active.history.evolution_source;
  // A session that ended by promoting this version ends a moment after the version starts: one event, the promotion.
  const promotedBy = last?.outcome === 'promoted' && active.history.session_id === last.id;
  if ((active.history.active_from === newest || (promotedBy && last?.completed_at === newest)) && (source === 'promotion' || source === 'rollback')) {
    const what = source === 'promotion' ? `version ${active.version} promoted` : `rolled back to version ${active.version}`;
    return { state: source === 'promotion' ? 'promoted' : 'rolled back', line: `${what} on ${day(active.history.active_from)}; the monitor has not checked it since`, review: null };
  }
  if (last?.completed_at && last.completed_at === newest) {
    const outcome = last.outcome === 'awaiting_manual' ? 'waiting for you to promote' : last.outcome === 'kept' ? 'kept the current prompt' : 'ended';
    return { state: last.outcome === 'awaiting_manual' ? 'awaiting you' : 'kept', line: `A/B session ${last.id} ${outcome} on ${day(last.completed_at)}: ${last.decision_reason ?? last.status}`, review: null };
  }
  return { state: 'not checked', line: 'not checked yet (the monitor runs at start-up and every 24 h; `tinyarms monitor run` checks now)', review: null };
}
