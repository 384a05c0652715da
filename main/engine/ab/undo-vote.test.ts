import { afterEach, describe, expect, it } from 'vitest';
import { tempEngine, VARIANTS, type TempEngine } from '../../test-support/temp-engine';

let t: TempEngine;
afterEach(() => t?.cleanup());

const outputs = { A: 'a-name.png', B: 'b-name.png', C: 'c-name.png' };

async function session() {
  t = tempEngine();
  return t.engine.evolve('file-naming', { variants: VARIANTS.map((prompt) => ({ prompt, source: 'file' as const })) });
}

function open(sessionId: string, id: string) {
  return t.engine.sessions.openRound(sessionId, { taskId: id, input: `${id}.png`, outputs });
}

const labelOf = (id: string, letter: 'A' | 'B' | 'C') =>
  t.engine.sessions.round(id).options.find((o) => o.output === outputs[letter])!.label;

describe('undoVote', () => {
  it('takes a pick back in full: the round is open again, the tally and the arm count as before, the task row is gone', async () => {
    const s = await session();
    open(s.id, 't1');
    open(s.id, 't2');
    t.engine.vote('t1', labelOf('t1', 'B'));
    const before = t.engine.sessions.results(s.id);
    t.engine.vote('t2', labelOf('t2', 'C'));
    const undone = t.engine.sessions.undoVote('t2');
    expect(undone.round).toMatchObject({ taskId: 't2', status: 'open', picked: null });
    const after = t.engine.sessions.results(s.id);
    expect(after.votes).toBe(before.votes);
    expect(after.arms.map((a) => a.votes)).toEqual(before.arms.map((a) => a.votes));
    expect(t.engine.sessions.variants(s.id).map((v) => v.votes)).toEqual([0, 1, 0]);
    expect(t.engine.tasks.get('t2')).toBeUndefined();
    expect(t.engine.ctx.db.prepare(`SELECT COUNT(*) AS n FROM ab_test_results WHERE task_id = 't2'`).get()).toEqual({ n: 0 });
    // The round can be voted again, differently.
    expect(t.engine.vote('t2', labelOf('t2', 'A')).duplicate).toBe(false);
  });

  it('takes back "none is good" and a skip too', async () => {
    const s = await session();
    open(s.id, 't1');
    open(s.id, 't2');
    t.engine.vote('t1', 'none');
    t.engine.vote('t2', 'skip');
    t.engine.sessions.undoVote('t1');
    t.engine.sessions.undoVote('t2');
    const r = t.engine.sessions.results(s.id);
    expect([r.votes, r.none, r.skips]).toEqual([0, 0, 0]);
    expect(
      t.engine.sessions
        .openRounds()
        .map((x) => x.taskId)
        .sort(),
    ).toEqual(['t1', 't2']);
  });

  it('refuses once the test has ended, for a round without a vote, and for a vote that came with a verdict', async () => {
    const s = await session();
    open(s.id, 't1');
    expect(() => t.engine.sessions.undoVote('t1')).toThrow(/has no vote to take back/);
    expect(() => t.engine.sessions.undoVote('nope')).toThrow(/no vote round for task 'nope'/);
    open(s.id, 't2');
    t.engine.answer('t2', { vote: labelOf('t2', 'A'), feedback: { outcome: 'accepted' } });
    expect(() => t.engine.sessions.undoVote('t2')).toThrow(/came with a verdict on its result/);
    t.engine.vote('t1', labelOf('t1', 'A'));
    t.engine.sessions.cancel(s.id);
    expect(() => t.engine.sessions.undoVote('t1')).toThrow(/already been decided/);
    expect(t.engine.sessions.round('t1').status).toBe('picked');
  });
});

describe('keepCurrent', () => {
  it('closes a winner waiting for review as kept, once', async () => {
    const s = await session();
    t.engine.sessions.complete(s.id, { decision: 'winner', reason: 'P(best) 0.98', winnerVariantId: null, outcome: 'awaiting_manual' });
    expect(t.engine.sessions.keepCurrent(s.id)).toMatchObject({
      outcome: 'kept',
      decision_reason: 'P(best) 0.98 The current prompt was kept by hand.',
    });
    expect(() => t.engine.sessions.keepCurrent(s.id)).toThrow(/no winner waiting for review/);
  });
});
