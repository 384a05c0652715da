import type { Database } from 'better-sqlite3';
import type { AbTestingConfig } from '../config/schema';
import type { ArmEvidence } from './joint-model';
import type { AbSettings, SessionEvidence } from './joint-rule';
import { armHash } from '../util/ids';
import type { PeerVotesSource, PooledVotes, SessionRow, VariantRow } from './session-types';

/*
 * What the decision rules read from the database for one session: picks per arm, the arms every round showed
 * (the joint rule's arms still in the test), the outcomes of served tasks only (a picked vote output is the
 * best of the round for that input, so its keep-or-edit would count the pick twice) and the offline scores.
 */

export function abSettingsFromConfig(ab: AbTestingConfig): AbSettings {
  return {
    rule: ab.rule,
    decisionConfidence: ab.decision_confidence,
    probableConfidence: ab.probable_confidence,
    minVotes: ab.min_votes,
    lookEvery: ab.look_every,
    maxVotes: ab.votes_required,
    maxDurationDays: ab.max_duration_days,
    boundaryFromVote: ab.boundary_from_vote,
    dropBelow: ab.drop_below,
    model: { priorVotes: ab.prior_votes, offlineWeight: ab.offline_weight, servedSlope: ab.served_slope },
  };
}

/** Arms (by index) shown in every round of the session so far; null when there is no round yet. */
export function activeArms(db: Database, sessionId: string, variants: readonly VariantRow[]): number[] | null {
  const rows = db.prepare(`SELECT options FROM vote_rounds WHERE session_id = ?`).all(sessionId) as { options: string }[];
  if (rows.length === 0) return null;
  let shown = new Set(variants.map((v) => v.id));
  for (const row of rows) {
    const ids = new Set((JSON.parse(row.options) as { variant_id: string }[]).map((o) => o.variant_id));
    shown = new Set([...shown].filter((id) => ids.has(id)));
  }
  return variants.flatMap((v, i) => (shown.has(v.id) ? [i] : []));
}

export function sessionEvidence(
  db: Database,
  sessionId: string,
  variants: readonly VariantRow[],
  tally: { picks: readonly number[]; none: number; skips: number; elapsedDays: number },
): SessionEvidence {
  const served = db
    .prepare(
      `SELECT variant_id AS v, COUNT(*) AS n, SUM(task_success) AS a FROM ab_test_results
       WHERE session_id = ? AND user_choice IS NULL AND task_success IS NOT NULL GROUP BY variant_id`,
    )
    .all(sessionId) as { v: string; n: number; a: number }[];
  const arms: ArmEvidence[] = variants.map((v, i) => {
    const s = served.find((row) => row.v === v.id);
    return { picks: tally.picks[i], served: s?.n ?? 0, accepted: s?.a ?? 0, fitness: v.fitness, fitnessSamples: v.fitness_samples };
  });
  return { arms, active: activeArms(db, sessionId, variants), none: tally.none, skips: tally.skips, elapsedDays: tally.elapsedDays };
}

/**
 * Teammates' picks for the session (joint rule only): live from the team folder while it runs, as stored when it
 * completed afterwards. Null when there are none; otherwise the evidence's arms carry them as peerPicks.
 */
export function pooledVotes(
  session: SessionRow,
  variants: readonly VariantRow[],
  evidence: SessionEvidence,
  source: PeerVotesSource | null,
): PooledVotes | null {
  let pooled: PooledVotes | null = null;
  if (session.status === 'active') {
    const armHashes = variants.map((v) => armHash(v.prompt_template));
    pooled = source?.({ skill: session.skill, armHashes, active: evidence.active }) ?? null;
  } else if (session.peer_votes) {
    pooled = JSON.parse(session.peer_votes) as PooledVotes;
  }
  if (!pooled || pooled.members.length === 0 || pooled.peerPicks.length !== variants.length) return null;
  return pooled;
}
