import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../util/clock';
import { recordFeedback, tempEngine, VARIANTS, type TempEngine } from '../../test-support/temp-engine';

let t: TempEngine;
afterEach(() => t?.cleanup());

describe('accuracy and the monitor', () => {
  it('counts accepted as success and edited or rejected as failure; the edit becomes the expected output', () => {
    t = tempEngine();
    const a = t.engine.recordTask({ skill: 'file-naming', input: 'IMG_1.png', output: 'cat-sofa.png' }, { outcome: 'accepted' });
    const e = t.engine.recordTask(
      { skill: 'file-naming', input: 'IMG_2.png', output: 'image.png' },
      { outcome: 'edited', finalOutput: 'dog-park.png' },
    );
    const r = t.engine.recordTask({ skill: 'file-naming', input: 'IMG_3.png', output: 'x.png' }, { outcome: 'rejected' });
    expect([a.score, e.final_output, r.score]).toEqual([1, 'dog-park.png', 0]);
    expect(e.score).toBeLessThan(1);
    const stats = t.engine.stats('file-naming');
    expect(stats.accuracy).toMatchObject({ samples: 3, successes: 1 });
  });

  it('treats an "edit" that changes nothing as an acceptance', () => {
    t = tempEngine();
    const row = t.engine.recordTask(
      { skill: 'file-naming', input: 'a.png', output: 'cat.png' },
      { outcome: 'edited', finalOutput: 'cat.png' },
    );
    expect(row.outcome).toBe('accepted');
  });

  it('feedback is idempotent and cannot be changed afterwards', () => {
    t = tempEngine();
    const row = t.engine.recordTask({ skill: 'file-naming', input: 'a.png', output: 'cat.png' });
    t.engine.feedback(row.id, { outcome: 'accepted' });
    expect(t.engine.tasks.feedback(row.id, { outcome: 'accepted' }).changed).toBe(false);
    expect(() => t.engine.feedback(row.id, { outcome: 'rejected' })).toThrow(/already has feedback/);
    expect(() => t.engine.feedback('task_nope', { outcome: 'accepted' })).toThrow(/unknown task 'task_nope'/);
    expect(() => t.engine.recordTask({ skill: 'file-naming', input: 'b.png', output: 'x.png' }, { outcome: 'edited' })).toThrow(
      /needs the final output/,
    );
  });

  it('says too few samples, then healthy, then triggered, then cooling down; every check is recorded', async () => {
    t = tempEngine();
    recordFeedback(t, 10, 0.9);
    expect(t.engine.check('file-naming')).toMatchObject({ verdict: 'too_few_samples' });
    recordFeedback(t, 20, 0.9);
    expect(t.engine.check('file-naming')).toMatchObject({ verdict: 'healthy' });
    recordFeedback(t, 40, 0.5);
    const triggered = t.engine.check('file-naming');
    expect(triggered.verdict).toBe('triggered');
    expect(triggered.reason).toMatch(/below 80%/);

    const session = await t.engine.evolve('file-naming', { variants: VARIANTS.map((prompt) => ({ prompt })), reason: 'accuracy_drop' });
    expect(t.engine.check('file-naming').verdict).toBe('testing');
    t.engine.sessions.cancel(session.id);
    expect(t.engine.check('file-naming')).toMatchObject({ verdict: 'cooling_down' });
    t.clock.advance(169 * HOUR_MS);
    recordFeedback(t, 30, 0.5);
    expect(t.engine.check('file-naming').verdict).toBe('triggered');
    const verdicts = t.engine.monitor
      .lastChecks('file-naming')
      .map((c) => c.verdict)
      .reverse();
    expect(verdicts).toEqual(['too_few_samples', 'healthy', 'triggered', 'testing', 'cooling_down', 'triggered']);
  });

  it('looks at the last 7 days only', () => {
    t = tempEngine();
    recordFeedback(t, 30, 0.5);
    t.clock.advance(8 * DAY_MS);
    recordFeedback(t, 25, 1);
    expect(t.engine.stats('file-naming').accuracy).toMatchObject({ samples: 25, accuracy: 1 });
  });

  it('never judges a skill that is not evolvable', () => {
    t = tempEngine();
    expect(t.engine.check('code-linting-fast').verdict).toBe('not_evolvable');
  });

  it('runMonitor reports a trigger it cannot act on without a variant generator', async () => {
    t = tempEngine();
    recordFeedback(t, 30, 0.5);
    const run = await t.engine.runMonitor({ skill: 'file-naming' });
    expect(run.pending[0]).toMatchObject({ skill: 'file-naming' });
    expect(run.started).toHaveLength(0);
  });

  it('runMonitor starts a session with the variant generator when accuracy drops', async () => {
    t = tempEngine({
      variantGenerator: async ({ count, failures }) => {
        expect(failures.length).toBeGreaterThan(0);
        return VARIANTS.slice(0, count).map((prompt) => ({ prompt, source: 'smollm2' as const }));
      },
    });
    recordFeedback(t, 30, 0.5);
    const run = await t.engine.runMonitor();
    expect(run.started).toHaveLength(1);
    expect(t.engine.sessions.variants(run.started[0].id)).toHaveLength(3);
    expect(run.started[0].base_accuracy).toBeCloseTo(0.5);
  });
});
