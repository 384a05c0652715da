import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { tempEngine, VARIANTS, type TempEngine } from '../../test-support/temp-engine';
import { Engine } from '../engine';
import type { VoteRound } from './session-types';

// A round opened before an arm lost (pre-opened for the choice window, or by another process) must not show
// that arm: the person never sees an arm that has already lost, and what is counted is what was shown.

let t: TempEngine;
let other: Engine | null = null;
afterEach(() => {
  other?.close();
  other = null;
  t?.cleanup();
});

const outputs = { A: 'a-name.png', B: 'b-name.png', C: 'c-name.png' };
const labelOf = (round: VoteRound, letter: 'A' | 'B' | 'C'): string | undefined =>
  round.options.find((o) => o.output === outputs[letter])?.label;

async function startSession(engine: Engine) {
  return engine.evolve('file-naming', { variants: VARIANTS.map((prompt) => ({ prompt, source: 'file' as const })) });
}

/** Four picks each for A and C on fresh rounds: Dirichlet(5, 1, 5), B's P(best) 0.0091 < drop_below 0.01. */
function loseB(engine: Engine, sessionId: string): void {
  for (let i = 0; i < 4; i += 1) {
    for (const letter of ['A', 'C'] as const) {
      const id = `${letter}${i}`;
      const round = engine.sessions.openRound(sessionId, { taskId: id, input: `${id}.png`, outputs });
      expect(round.options).toHaveLength(3);
      engine.vote(id, labelOf(round, letter)!);
    }
  }
}

function storedOptions(engine: Engine, taskId: string): string[] {
  const row = engine.ctx.db.prepare(`SELECT options FROM vote_rounds WHERE task_id = ?`).get(taskId) as { options: string };
  return (JSON.parse(row.options) as { output: string }[]).map((o) => o.output);
}

describe('rounds opened before an arm lost', () => {
  it('stop showing it, keep the other labels, refuse a pick of it and count only what they showed', async () => {
    t = tempEngine();
    const session = await startSession(t.engine);
    const pre = t.engine.sessions.openRound(session.id, { taskId: 'pre', input: 'pre.png', outputs });
    loseB(t.engine, session.id);
    expect(t.engine.sessions.results(session.id).arms[1].pBest).toBeCloseTo(0.0091, 4);

    const now = t.engine.sessions.round('pre');
    expect(now.options.map((o) => o.output).sort()).toEqual([outputs.A, outputs.C]);
    expect([labelOf(now, 'A'), labelOf(now, 'C')]).toEqual([labelOf(pre, 'A'), labelOf(pre, 'C')]);
    expect(t.engine.sessions.openRounds('file-naming').map((r) => r.options.length)).toEqual([2]);

    expect(() => t.engine.vote('pre', labelOf(pre, 'B')!)).toThrow(/option \d of task 'pre' has left the A\/B test.*choose \d, \d, none/);
    expect(t.engine.sessions.round('pre').status).toBe('open');
    const voted = t.engine.vote('pre', labelOf(pre, 'A')!);
    expect(voted.duplicate).toBe(false);
    expect(t.engine.vote('pre', labelOf(pre, 'A')!).duplicate).toBe(true);

    // The round is stored as it was shown: B leaves the test, and the pick counts once, against A and C only.
    expect(storedOptions(t.engine, 'pre').sort()).toEqual([outputs.A, outputs.C]);
    const results = t.engine.sessions.results(session.id);
    expect(results.arms.map((a) => [a.votes, a.inTest])).toEqual([
      [5, true],
      [0, false],
      [4, true],
    ]);
    expect(results.posterior!.alpha).toEqual([6, 1, 5]);
    const rows = t.engine.ctx.db.prepare(`SELECT COUNT(*) AS n FROM ab_test_results WHERE task_id = 'pre'`).get() as { n: number };
    expect(rows.n).toBe(2);
  });

  it('across two engines on one data folder: the other process sees the drop, and an undone vote reopens without the arm', async () => {
    t = tempEngine();
    other = Engine.open({ seed: 'other process', dataDir: t.dataDir, clock: t.clock });
    const session = await startSession(t.engine);
    // The app prepares two rounds for its choice window; the CLI then casts the votes that make B lose.
    const p1 = t.engine.sessions.openRound(session.id, { taskId: 'p1', input: 'p1.png', outputs });
    const p2 = t.engine.sessions.openRound(session.id, { taskId: 'p2', input: 'p2.png', outputs });
    loseB(other, session.id);

    const shown = t.engine.sessions.openRounds('file-naming');
    expect(shown.map((r) => [r.taskId, r.options.map((o) => o.output).sort()])).toEqual([
      ['p1', [outputs.A, outputs.C]],
      ['p2', [outputs.A, outputs.C]],
    ]);
    other.vote('p1', labelOf(p1, 'C')!);
    expect(t.engine.sessions.results(session.id).arms[1].inTest).toBe(false);
    expect(() => t.engine.vote('p2', labelOf(p2, 'B')!)).toThrow(/has left the A\/B test/);
    t.engine.vote('p2', labelOf(p2, 'A')!);

    t.engine.undoVote('p1');
    const reopened = other.sessions.round('p1');
    expect([reopened.status, reopened.options.map((o) => o.output).sort()]).toEqual(['open', [outputs.A, outputs.C]]);
    expect(other.sessions.results(session.id).arms.map((a) => a.votes)).toEqual([5, 0, 4]);
  });

  it('under rule: dirichlet every round keeps every arm', async () => {
    t = tempEngine();
    fs.writeFileSync(`${t.dataDir}/config.yaml`, 'prompt_evolution:\n  ab_testing:\n    rule: dirichlet\n');
    t.engine.ctx.config.load();
    const session = await startSession(t.engine);
    const pre = t.engine.sessions.openRound(session.id, { taskId: 'pre', input: 'pre.png', outputs });
    loseB(t.engine, session.id);
    expect(t.engine.sessions.round('pre').options).toHaveLength(3);
    t.engine.vote('pre', labelOf(pre, 'B')!);
    expect(storedOptions(t.engine, 'pre')).toHaveLength(3);
  });
});
