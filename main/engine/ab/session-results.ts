import type { EngineContext } from '../context';
import { DAY_MS } from '../util/clock';
import { thompsonServe } from './allocation';
import { thompsonActive } from './joint-model';
import { decideSession, type AbSettings } from './joint-rule';
import { pooledVotes, sessionEvidence } from './session-evidence';
import { requireSession, sessionVariants } from './session-queries';
import type { Allocation, ArmResult, PeerVotesSource, RoundStatus, SessionResults, SessionRow } from './session-types';

/* The tally of a session as the decision rule reads it, and how the next task of its skill is served. */

export function sessionResults(ctx: EngineContext, sessionId: string, settings: AbSettings, peers: PeerVotesSource | null): SessionResults {
  const session = requireSession(ctx.db, sessionId);
  const variants = sessionVariants(ctx.db, sessionId);
  const counts = ctx.db
    .prepare(`SELECT status, picked_variant_id AS v, COUNT(*) AS n FROM vote_rounds WHERE session_id = ? GROUP BY status, v`)
    .all(sessionId) as { status: RoundStatus; v: string | null; n: number }[];
  const picks = variants.map((v) => counts.find((c) => c.status === 'picked' && c.v === v.id)?.n ?? 0);
  const none = counts.find((c) => c.status === 'none')?.n ?? 0;
  const skips = counts.find((c) => c.status === 'skipped')?.n ?? 0;
  const end = session.completed_at ? new Date(session.completed_at) : ctx.clock.now();
  const elapsedDays = Math.max(0, (end.getTime() - new Date(session.triggered_at).getTime()) / DAY_MS);
  const evidence = sessionEvidence(ctx.db, sessionId, variants, { picks, none, skips, elapsedDays });
  const team = settings.rule === 'joint' ? pooledVotes(session, variants, evidence, peers) : null;
  if (team) evidence.arms = evidence.arms.map((a, i) => ({ ...a, peerPicks: team.peerPicks[i] }));
  const { decision, posterior } = decideSession(evidence, settings);
  const arms: ArmResult[] = variants.map((v, i) => ({
    letter: v.variant_letter,
    variantId: v.id,
    source: v.source,
    reasoning: v.reasoning,
    prompt: v.prompt_template,
    votes: picks[i],
    pBest: decision.pBest[i],
    expectedLoss: Number.isFinite(decision.expectedLoss[i]) ? decision.expectedLoss[i] : null,
    inTest: !posterior || posterior.active.includes(i),
    served: v.served,
    accepted: v.accepted,
    accuracy: v.served > 0 ? v.accepted / v.served : null,
    fitness: v.fitness,
    brokenPins: v.broken_pins ? (JSON.parse(v.broken_pins) as string[]) : [],
  }));
  const { maxVotes, rule } = settings;
  return { session, arms, votes: decision.votes, none, skips, maxVotes, elapsedDays, rule, posterior, decision, team };
}

/**
 * How to serve one task of a running session: a vote round (with show_probability), or an arm by Thompson
 * sampling. `allowVote: false` is for a caller that needs one answer: an arm, or the current prompt when every
 * task is a vote round (show_probability 1).
 */
export function allocateTask(
  ctx: EngineContext,
  session: SessionRow,
  results: (sessionId: string) => SessionResults,
  options: { allowVote?: boolean } = {},
): Allocation {
  const showProbability = ctx.config.config.prompt_evolution.ab_testing.show_probability;
  if (options.allowVote === false) {
    if (showProbability >= 1) return { kind: 'current' };
  } else if (ctx.rng.next() < showProbability) {
    return { kind: 'vote', session };
  }
  const variants = sessionVariants(ctx.db, session.id);
  // The joint rule serves among the arms still in the test, by a draw from its posterior.
  const { posterior } = results(session.id);
  const arm = posterior
    ? thompsonActive(posterior, ctx.rng)
    : thompsonServe(
        variants.map((v) => ({ accepted: v.accepted, served: v.served })),
        ctx.rng,
      );
  return { kind: 'arm', session, variant: variants[arm] };
}
