import type { Engine, SkillStats } from '../../engine/engine';
import { day } from './output';

export interface SkillStatus {
  /** A word or two for tables: "testing", "triggered", "promoted", "not evolvable". */
  state: string;
  /** One line for `prompt stats`. */
  line: string;
  /** The running session was flagged for review (its best variant scored below rollback_threshold). */
  review: string | null;
}

const latestOf = (...times: (string | null | undefined)[]): string => times.filter((t): t is string => Boolean(t)).sort().at(-1) ?? '';
const words = (verdict: string): string => verdict.replace(/_/g, ' ');

/**
 * What a skill is doing now, from the newest of: its running session, the last session's end, the current
 * version's start (a promotion or rollback) and the monitor's last verdict. A verdict older than the version it
 * judged is not shown as current (after a promotion the old "triggered" no longer holds).
 */
export function skillStatus(engine: Engine, s: SkillStats): SkillStatus {
  if (!s.evolvable) return { state: 'not evolvable', line: 'not evolvable (this skill\'s prompt is fixed)', review: null };
  if (engine.ctx.config.config.skills[s.skill]?.enabled === false) {
    return { state: 'disabled', line: `turned off in config.yaml (skills.${s.skill}.enabled)`, review: null };
  }
  if (s.session) {
    const results = engine.sessions.results(s.session.id);
    const review = s.session.needs_review
      ? `A/B session ${s.session.id} is flagged for review: its best variant scored below the rollback threshold`
      : null;
    const line = `A/B testing in progress (session ${s.session.id}, ${results.votes}/${results.maxVotes} votes)`;
    return { state: 'testing', line, review };
  }
  const active = engine.prompts.active(s.skill);
  const started = active.history.active_from;
  const last = engine.sessions.latest(s.skill);
  const checkAt = s.lastCheck?.checkedAt ?? '';
  const newest = latestOf(checkAt, last?.completed_at, started);
  if (s.lastCheck && checkAt === newest && checkAt >= started) {
    return { state: words(s.lastCheck.verdict), line: `${words(s.lastCheck.verdict)}: ${s.lastCheck.reason}`, review: null };
  }
  const source = active.history.evolution_source;
  // A session that ended by promoting this version ends a moment after the version starts: one event, the promotion.
  const promotedBy = last?.outcome === 'promoted' && active.history.session_id === last.id && last.completed_at === newest;
  if ((started === newest || promotedBy) && (source === 'promotion' || source === 'rollback')) {
    const what = source === 'promotion' ? `version ${active.version} promoted` : `rolled back to version ${active.version}`;
    const line = `${what} on ${day(started)}; the monitor has not checked it since`;
    return { state: source === 'promotion' ? 'promoted' : 'rolled back', line, review: null };
  }
  if (last?.completed_at && last.completed_at === newest) {
    const waiting = last.outcome === 'awaiting_manual';
    const outcome = waiting ? 'waiting for you to promote' : last.outcome === 'kept' ? 'kept the current prompt' : 'ended';
    const line = `A/B session ${last.id} ${outcome} on ${day(last.completed_at)}: ${last.decision_reason ?? last.status}`;
    return { state: waiting ? 'awaiting you' : 'kept', line, review: null };
  }
  const line = 'not checked yet (the monitor runs at start-up and every 24 h; `tinyarms monitor run` checks now)';
  return { state: 'not checked', line, review: null };
}
