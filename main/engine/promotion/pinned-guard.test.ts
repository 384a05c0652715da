import { afterEach, describe, expect, it } from 'vitest';
import { recordFeedback, tempEngine, VARIANTS, type TempEngine } from '../../test-support/temp-engine';

let t: TempEngine;
afterEach(() => t?.cleanup());

const outputs = { A: 'a-name.png', B: 'b-name.png', C: 'c-name.png' };

describe('a winner that breaks a pinned example', () => {
  it('waits for the person with a clear sentence, and can still be promoted by hand', async () => {
    t = tempEngine();
    recordFeedback(t, 30, 0.6);
    const session = await t.engine.evolve('file-naming', {
      variants: VARIANTS.map((prompt, i) => ({ prompt, source: 'smollm2' as const, brokenPins: i === 2 ? ['task_pinned'] : [] })),
    });
    expect(t.engine.sessions.results(session.id).arms.map((a) => a.brokenPins)).toEqual([[], [], ['task_pinned']]);
    // The same served record that promotes C automatically when it breaks nothing (sessions.test.ts).
    for (let k = 0; k < 10; k += 1) {
      t.engine.recordTask(
        { skill: 'file-naming', id: `served-${k}`, input: 'x.png', output: 'y.png', variant: 'C' },
        { outcome: 'accepted' },
      );
    }
    let conclusion = null;
    for (let i = 0; i < 15 && !conclusion; i += 1) {
      const round = t.engine.sessions.openRound(session.id, { taskId: `v${i}`, input: `v${i}.png`, outputs });
      conclusion = t.engine.vote(`v${i}`, round.options.find((o) => o.output === outputs.C)!.label).conclusion;
    }
    expect(conclusion).toMatchObject({ outcome: 'awaiting_manual', decision: { kind: 'winner', arm: 2 } });
    expect(conclusion!.explanation).toBe(
      'Variant C gets 1 pinned example wrong that the current prompt gets right (task_pinned), so it is not promoted automatically; ' +
        'promote it by hand if you still want it.',
    );
    expect(t.engine.prompts.active('file-naming').version).toBe(1);
    expect(t.engine.promoteByHand('file-naming', 'C').change.toVersion).toBe(2);
  });
});
