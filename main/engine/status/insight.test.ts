import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../util/clock';
import { tempEngine, VARIANTS, type TempEngine } from '../../test-support/temp-engine';
import { skillInsight } from './insight';

let t: TempEngine;
afterEach(() => t?.cleanup());

function rate(accepted: number, total: number) {
  for (let i = 0; i < total; i++) {
    t.clock.advance(60_000);
    t.engine.recordTask(
      { skill: 'file-naming', input: `f${i}.png`, output: `n${i}.png` },
      { outcome: i < accepted ? 'accepted' : 'rejected' },
    );
  }
}

describe('skillInsight', () => {
  it('draws weekly accuracy with the promotion and rollback in it, and counts this month’s cost and gain', async () => {
    t = tempEngine({ start: '2026-03-01T00:00:00.000Z' });
    rate(6, 10); // week 1: 60%
    t.clock.advance(6 * DAY_MS);
    const session = await t.engine.evolve('file-naming', { variants: VARIANTS.map((prompt) => ({ prompt, source: 'file' as const })) });
    const round = t.engine.sessions.openRound(session.id, {
      taskId: 'r1',
      input: 'x.png',
      outputs: { A: 'a.png', B: 'b.png', C: 'c.png' },
    });
    t.engine.vote(round.taskId, '1');
    t.engine.sessions.openRound(session.id, { taskId: 'r2', input: 'y.png', outputs: { A: 'a.png', B: 'b.png', C: 'c.png' } });
    t.engine.promoteByHand('file-naming', 'B');
    rate(9, 10); // version 2: 90%, the next week
    t.clock.advance(DAY_MS);
    t.engine.rollback('file-naming', 1);

    const insight = skillInsight(t.engine.ctx, 'file-naming');
    expect(insight.points).toHaveLength(8);
    const measured = insight.points.filter((p) => p.samples > 0).map((p) => [p.accuracy, p.samples]);
    expect(measured).toEqual([
      [0.6, 10],
      [0.9, 10],
    ]);
    expect(insight.markers.map((m) => [m.kind, m.version])).toEqual([
      ['promoted', 2],
      ['rolled-back', 1],
    ]);
    expect(insight.month).toMatchObject({ since: '2026-03-01T00:00:00.000Z', votesAsked: 2, votesGiven: 1, evolutionsRun: 0 });
    expect(insight.month.promotions).toEqual([expect.objectContaining({ version: 2, before: 0.6, after: 0.9, samples: 10 })]);
  });

  it('has empty weeks and nothing this month for a skill never used', () => {
    t = tempEngine();
    const insight = skillInsight(t.engine.ctx, 'audio-actions');
    expect(insight.points.every((p) => p.accuracy === null && p.samples === 0)).toBe(true);
    expect(insight.month).toMatchObject({ votesAsked: 0, votesGiven: 0, evolutionsRun: 0, promotions: [] });
  });
});
