import { promptHash, type Engine, type SessionResults } from '../engine';
import type { ReviewView } from '../../contract/api';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * What the current prompt and the winner made of the same inputs: the evolution scored both on held-out
 * examples (fitness_cache keeps their outputs); without that (variants from files), the rounds the winner
 * appeared in, with the winner's output alone.
 */
function samples(engine: Engine, current: string, winner: { prompt: string; variantId: string }, sessionId: string): ReviewView['samples'] {
  const scored = engine.ctx.db
    .prepare(
      `SELECT t.input AS input, c.output AS current, w.output AS proposed, t.id AS taskId FROM fitness_cache w
       JOIN fitness_cache c ON c.example_id = w.example_id AND c.model_id = w.model_id
       JOIN task_history t ON t.id = w.example_id
       WHERE w.prompt_hash = ? AND c.prompt_hash = ? AND c.output <> w.output ORDER BY w.created_at LIMIT 3`,
    )
    .all(promptHash(winner.prompt), promptHash(current)) as { input: string; current: string; proposed: string; taskId: string }[];
  if (scored.length > 0) {
    // Held-out examples are tasks with a known right answer: each can be pinned as a gold example.
    const pinned = engine.gold.pinnedAmong(scored.map((s) => s.taskId));
    return scored.map((s) => ({ ...s, pinned: pinned.has(s.taskId) }));
  }
  // A file's round shows the file by its name (the model saw a description of it), other rounds their first line.
  const rounds = engine.ctx.db
    .prepare(
      `SELECT COALESCE(p.name, r.input) AS input, r.options AS options
       FROM vote_rounds r LEFT JOIN file_proposals p ON p.task_id = r.task_id
       WHERE r.session_id = ? ORDER BY (r.picked_variant_id = ?) DESC, r.created_at LIMIT 3`,
    )
    .all(sessionId, winner.variantId) as { input: string; options: string }[];
  return rounds.flatMap((r) => {
    const option = (JSON.parse(r.options) as { variant_id: string; output: string }[]).find((o) => o.variant_id === winner.variantId);
    return option ? [{ input: r.input.split('\n')[0], current: null, proposed: option.output, taskId: null, pinned: false }] : [];
  });
}

/** The review card of a test: its winner (or, for a flagged test still running, its leader) against the current prompt. */
export function reviewView(engine: Engine, results: SessionResults): ReviewView | null {
  const { session, decision } = results;
  const flagged = session.status === 'active';
  // A flagged test still takes votes: its card shows the arm evolution scored best, never the one votes favour.
  const byFitness = results.arms.filter((a) => a.source !== 'current').sort((a, b) => (b.fitness ?? -1) - (a.fitness ?? -1))[0];
  const winner = flagged
    ? byFitness
    : (results.arms.find((a) => a.variantId === session.winner_variant_id) ?? results.arms[decision.arm ?? decision.leader]);
  if (!winner || winner.source === 'current') return null;
  const current = engine.prompts.active(session.skill).prompt;
  const summary = flagged
    ? 'While evolving, the new prompts scored below your roll-back threshold: look at the best one before you vote on it.'
    : results.votes > 0
      ? `The new prompt won ${plural(winner.votes, 'vote')} of ${results.votes}.`
      : 'The new prompt won the test.';
  const broken = winner.brokenPins.length;
  const pins =
    broken > 0
      ? ` It gets ${plural(broken, 'pinned example')} wrong that the current prompt gets right, so it was not used on its own.`
      : '';
  return {
    letter: winner.letter,
    reason: flagged ? 'flagged' : 'decided',
    summary: summary + pins,
    currentPrompt: current,
    newPrompt: winner.prompt,
    learnedFrom: engine.learning.ideaSource(winner.variantId),
    samples: samples(engine, current, winner, session.id),
  };
}
