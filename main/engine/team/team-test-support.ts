import type { Engine } from '../engine';
import type { SessionRow } from '../ab/session-types';
import { createRng, type Rng } from '../util/random';

/*
 * A simulated person voting in one member's A/B sessions: each round, the arm behind each option is picked with
 * probability share_i / Σ shown shares (the choice model's own assumption), from a seeded generator.
 */

export const TEAM_VARIANTS = ['plainly', 'by date', 'by subject'].map((how) => `Name it ${how}.\n\nFile: {{input}}`);

/** Starts the session with TEAM_VARIANTS in the given order (members list arms in different orders). */
export function startTeamSession(engine: Engine, order: readonly number[] = [0, 1, 2]): Promise<SessionRow> {
  return engine.evolve('file-naming', { variants: order.map((i) => ({ prompt: TEAM_VARIANTS[i], source: 'file' as const })) });
}

export interface Voter {
  /** Votes once; returns false once the session is no longer active (decided). */
  vote(): boolean;
  rounds: number;
  readonly session: SessionRow;
}

export function voter(engine: Engine, session: SessionRow, shares: readonly number[], seed: string, prefix: string): Voter {
  const rng: Rng = createRng(seed);
  const variants = engine.sessions
    .variants(session.id)
    .map((v) => ({ letter: v.variant_letter, arm: TEAM_VARIANTS.indexOf(v.prompt_template) }));
  const armOf = new Map(variants.map((v) => [`out-${v.arm}`, v.arm]));
  const outputs = Object.fromEntries(variants.map((v) => [v.letter, `out-${v.arm}`]));
  const state: Voter = {
    rounds: 0,
    session,
    vote() {
      if (engine.sessions.require(session.id).status !== 'active') return false;
      const taskId = `${prefix}-${state.rounds}`;
      const round = engine.sessions.openRound(session.id, { taskId, input: `IMG_${state.rounds}.png`, outputs });
      // In arm order, not the blind order: the same seed makes the same picks from the same arms (paired runs).
      const options = [...round.options].sort((x, y) => armOf.get(x.output)! - armOf.get(y.output)!);
      const weights = options.map((o) => shares[armOf.get(o.output)!]);
      let u = rng.next() * weights.reduce((t, w) => t + w, 0);
      const picked = options.find((_, i) => (u -= weights[i]) < 0) ?? options[options.length - 1];
      engine.vote(taskId, picked.label);
      state.rounds += 1;
      return engine.sessions.require(session.id).status === 'active';
    },
  };
  return state;
}
