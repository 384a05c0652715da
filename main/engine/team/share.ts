import type { EngineContext } from '../context';
import { nowIso } from '../context';
import type { HistoryRow } from '../prompts/prompt-versions';
import { armHash } from '../util/ids';
import { TEAM_FILE_VERSION, TEAM_FORMAT, type PromotedVersion, type TeamFile, type TeamGroup, type TeamSession } from './team-file';

/*
 * What this member shares, read from its own database: its promoted versions (prompt text, hash, accuracy) and,
 * per A/B session, its own vote counts grouped by the arms each round showed. Only this person's votes: pooled
 * picks are never passed on, so no vote is counted twice. Task inputs only with team.share_inputs.
 */

/** Sessions shared: the most recent ones, not cancelled, with at least one answered round (or still running). */
const MAX_SESSIONS = 50;
const MAX_INPUTS = 50;

type HistoryPick = Pick<
  HistoryRow,
  'skill' | 'version' | 'prompt_template_path' | 'active_from' | 'active_to' | 'accuracy_start' | 'accuracy_end'
>;

function promotedVersions(ctx: EngineContext): PromotedVersion[] {
  const rows = ctx.db
    .prepare(
      `SELECT skill, version, prompt_template_path, active_from, active_to, accuracy_start, accuracy_end FROM prompt_history
       WHERE evolution_source = 'promotion' ORDER BY skill, version, rowid`,
    )
    .all() as HistoryPick[];
  const latest = new Map<string, HistoryPick>(rows.map((r) => [`${r.skill}\u0000${r.version}`, r]));
  return [...latest.values()].flatMap((row) => {
    try {
      const prompt = ctx.skills.loadVersion(row.skill, row.prompt_template_path).prompt;
      const accuracy = row.accuracy_end ?? row.accuracy_start;
      const active = row.active_to === null;
      return [{ skill: row.skill, version: row.version, hash: armHash(prompt), prompt, accuracy, promoted_at: row.active_from, active }];
    } catch {
      return []; // the version file is gone or broken: nothing to offer
    }
  });
}

function sharedSessions(ctx: EngineContext, shareInputs: boolean): TeamSession[] {
  const sessions = ctx.db
    .prepare(
      `SELECT id, skill, status FROM prompt_evolution_sessions WHERE status IN ('active', 'completed')
       ORDER BY triggered_at DESC, rowid DESC LIMIT ?`,
    )
    .all(MAX_SESSIONS) as { id: string; skill: string; status: 'active' | 'completed' }[];
  return sessions.flatMap((session): TeamSession[] => {
    const variants = ctx.db
      .prepare(`SELECT id, prompt_template FROM prompt_variants WHERE session_id = ? ORDER BY arm_index`)
      .all(session.id) as { id: string; prompt_template: string }[];
    const hashOf = new Map(variants.map((v) => [v.id, armHash(v.prompt_template)]));
    const rounds = ctx.db
      .prepare(
        `SELECT options, status, picked_variant_id AS picked, input FROM vote_rounds
         WHERE session_id = ? AND status IN ('picked', 'none') ORDER BY created_at, rowid`,
      )
      .all(session.id) as { options: string; status: string; picked: string | null; input: string }[];
    if (rounds.length === 0 && session.status !== 'active') return [];
    const groups = new Map<string, TeamGroup>();
    for (const round of rounds) {
      const shown = (JSON.parse(round.options) as { variant_id: string }[]).map((o) => hashOf.get(o.variant_id)!).sort();
      const key = shown.join(',');
      const group = groups.get(key) ?? { shown, picks: {}, rounds: 0 };
      group.rounds += 1;
      if (round.picked) group.picks[hashOf.get(round.picked)!] = (group.picks[hashOf.get(round.picked)!] ?? 0) + 1;
      groups.set(key, group);
    }
    const shared: TeamSession = {
      id: session.id,
      skill: session.skill,
      status: session.status,
      arms: [...hashOf.values()],
      prompts: variants.map((v) => v.prompt_template),
      groups: [...groups.values()],
    };
    if (shareInputs) {
      shared.inputs = rounds.slice(-MAX_INPUTS).map((r) => ({ input: r.input, picked: r.picked ? hashOf.get(r.picked)! : null }));
    }
    return [shared];
  });
}

export function buildTeamFile(ctx: EngineContext, member: string, shareInputs: boolean): TeamFile {
  return {
    format: TEAM_FORMAT,
    version: TEAM_FILE_VERSION,
    member,
    written_at: nowIso(ctx),
    promoted: promotedVersions(ctx),
    sessions: sharedSessions(ctx, shareInputs),
  };
}
