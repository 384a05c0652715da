import { afterEach, describe, expect, it } from 'vitest';
import { recordFeedback, tempEngine, VARIANTS, type TempEngine } from '../../test-support/temp-engine';
import { ProgressStore } from '../evolution/live-progress';
import { DAY_MS } from '../util/clock';

let t: TempEngine;
afterEach(() => t?.cleanup());

const promote = async (letter: string) => {
  await t.engine.evolve('file-naming', { variants: VARIANTS.map((prompt) => ({ prompt: prompt.replace('prompt', `prompt ${letter}`) })) });
  t.engine.promoteByHand('file-naming', letter);
  t.clock.advance(DAY_MS);
};

describe('reset to the default prompt', () => {
  it('is a recorded rollback to version 1 that keeps every version, undone by rolling forward', async () => {
    t = tempEngine();
    recordFeedback(t, 10, 0.8);
    await promote('B');
    await promote('C');
    const { change, undo } = t.engine.resetToDefault('file-naming');
    expect(change).toMatchObject({ action: 'rollback', fromVersion: 3, toVersion: 1, templatePath: 'skills/file-naming.md' });
    expect(undo).toBe('tinyarms prompt rollback file-naming --to 3');
    expect(t.engine.prompts.active('file-naming').prompt).toBe(t.engine.ctx.skills.get('file-naming').prompt);
    const history = t.engine.prompts.history('file-naming');
    expect(history.map((h) => [h.version, h.evolution_source])).toEqual([
      [1, 'initial'],
      [2, 'promotion'],
      [3, 'promotion'],
      [1, 'rollback'],
    ]);
    expect(history.at(-1)!.notes).toBe('reset to the default prompt from version 3');
    expect(t.engine.rollback('file-naming', 3).toVersion).toBe(3);
    expect(t.engine.prompts.active('file-naming').prompt).toContain('Variant C prompt C');
  });

  it('refuses in one line when the default already runs, a test runs, or an evolution runs', async () => {
    t = tempEngine();
    expect(() => t.engine.resetToDefault('file-naming')).toThrow(/^file-naming already runs its default prompt \(version 1\)$/);
    expect(() => t.engine.resetToDefault('code-linting-fast')).toThrow(/already runs its default prompt/);
    await promote('B');
    const session = await t.engine.evolve('file-naming', { variants: VARIANTS.map((prompt) => ({ prompt })) });
    expect(() => t.engine.resetToDefault('file-naming')).toThrow(new RegExp(`^file-naming has an A/B test running \\(${session.id}\\)`));
    t.engine.sessions.cancel(session.id);
    const progress = new ProgressStore(t.engine.ctx.db, () => t.clock.now().toISOString());
    progress.write({ skill: 'file-naming', phase: 'evolving' } as never, t.clock.now().toISOString());
    expect(() => t.engine.resetToDefault('file-naming')).toThrow(
      /^an evolution of file-naming is running: let it finish or cancel it, then reset$/,
    );
    progress.clear('file-naming');
    expect(t.engine.resetToDefault('file-naming').change.toVersion).toBe(1);
    expect(() => t.engine.resetToDefault('nope')).toThrow(/unknown skill 'nope'/);
  });
});
