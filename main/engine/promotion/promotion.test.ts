import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../util/clock';
import { recordFeedback, tempEngine, VARIANTS, type TempEngine } from '../../test-support/temp-engine';

let t: TempEngine;
afterEach(() => t?.cleanup());

const promoteC = async () => {
  await t.engine.evolve('file-naming', { variants: VARIANTS.map((prompt) => ({ prompt })) });
  return t.engine.promoteByHand('file-naming', 'C');
};

describe('promotion and rollback', () => {
  it('writes the next version file in the data folder, updates config.yaml as in the design, and restarts the window', async () => {
    t = tempEngine();
    recordFeedback(t, 30, 0.7);
    const { change, session } = await promoteC();
    expect(change).toMatchObject({ fromVersion: 1, toVersion: 2, templatePath: 'skills/file-naming-v2.md' });
    expect(session).toMatchObject({ status: 'completed', outcome: 'promoted', decision: 'manual' });
    const file = path.join(t.dataDir, 'skills', 'file-naming-v2.md');
    expect(fs.readFileSync(file, 'utf8')).toContain('Variant C prompt.');

    const entry = parse(fs.readFileSync(path.join(t.dataDir, 'config.yaml'), 'utf8')).skills['file-naming'];
    expect(entry).toMatchObject({ prompt_template: 'skills/file-naming-v2.md', prompt_version: 2, previous_accuracy: 0.7 });
    expect(entry.evolved_at).toBe(t.clock.now().toISOString());
    expect(entry.evolution_history).toEqual([
      { version: 1, active_period: '2026-03-02 to 2026-03-03', accuracy: 0.7, reason: 'Replaced by hand' },
      { version: 2, active_since: '2026-03-03', source: expect.stringMatching(/variant C, promoted by hand/) },
    ]);

    const history = t.engine.prompts.history('file-naming');
    expect(history.map((h) => [h.version, h.active_to === null, h.evolution_source])).toEqual([
      [1, false, 'initial'],
      [2, true, 'promotion'],
    ]);
    expect(history[0].accuracy_end).toBeCloseTo(0.7);
    expect(t.engine.stats('file-naming').accuracy.samples).toBe(0);
    expect(t.engine.prompts.active('file-naming').prompt).toContain('Variant C prompt.');
  });

  it('records an accuracy drop as the reason the old version ended when the test it promoted from began with one', async () => {
    t = tempEngine();
    recordFeedback(t, 30, 0.7);
    await t.engine.evolve('file-naming', { variants: VARIANTS.map((prompt) => ({ prompt })), reason: 'accuracy_drop' });
    t.engine.promoteByHand('file-naming', 'C');
    const entry = parse(fs.readFileSync(path.join(t.dataDir, 'config.yaml'), 'utf8')).skills['file-naming'];
    expect(entry.evolution_history[0]).toMatchObject({ version: 1, reason: 'Accuracy drop' });
    expect(t.engine.prompts.history('file-naming')[0].notes).toBe('Accuracy drop');
  });

  it('rolls back by hand to any earlier version and keeps every version', async () => {
    t = tempEngine();
    await promoteC();
    t.clock.advance(DAY_MS);
    await t.engine.evolve('file-naming', { variants: VARIANTS.map((prompt) => ({ prompt: prompt.replace('prompt', 'prompt v3') })) });
    t.engine.promoteByHand('file-naming', 'A');
    expect(t.engine.prompts.active('file-naming').version).toBe(3);
    const back = t.engine.rollback('file-naming', 1);
    expect(back).toMatchObject({ fromVersion: 3, toVersion: 1, templatePath: 'skills/file-naming.md' });
    expect(t.engine.prompts.active('file-naming').prompt).toContain('kebab-case');
    expect(fs.existsSync(path.join(t.dataDir, 'skills', 'file-naming-v3.md'))).toBe(true);
    expect(() => t.engine.rollback('file-naming', 9)).toThrow(/has no version 9 \(versions: 1, 2, 3\)/);
    expect(() => t.engine.rollback('file-naming', 1)).toThrow(/already runs version 1/);
    expect(t.engine.rollback('file-naming', 2).toVersion).toBe(2);
  });

  it('rolls back automatically when a promoted version falls below rollback_threshold after sample_size tasks', async () => {
    t = tempEngine();
    await promoteC();
    recordFeedback(t, 19, 0.5);
    expect(t.engine.check('file-naming').verdict).toBe('too_few_samples');
    recordFeedback(t, 1, 0.5);
    const check = t.engine.check('file-naming');
    expect(check.verdict).toBe('rolled_back');
    expect(check.reason).toMatch(/rolled back to version 1/);
    expect(t.engine.prompts.active('file-naming').version).toBe(1);

    // The restored version doing badly too is a case for evolution, never for bringing the failed one back.
    recordFeedback(t, 20, 0.5);
    expect(t.engine.check('file-naming').verdict).not.toBe('rolled_back');
    expect(t.engine.prompts.active('file-naming').version).toBe(1);
  });

  it('leaves nothing half-done when a step fails: the journal restores the old state', async () => {
    t = tempEngine();
    await t.engine.evolve('file-naming', { variants: VARIANTS.map((prompt) => ({ prompt })) });
    const before = t.engine.ctx.config.snapshot();
    // Make the database refuse the final commit.
    t.engine.ctx.db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON prompt_history BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    expect(() => t.engine.promoteByHand('file-naming', 'C')).toThrow(/disk full/);
    expect(t.engine.ctx.config.snapshot()).toBe(before);
    expect(fs.existsSync(path.join(t.dataDir, 'skills', 'file-naming-v2.md'))).toBe(false);
    expect(t.engine.ctx.db.prepare('SELECT COUNT(*) AS n FROM promotion_journal').get()).toEqual({ n: 0 });
    expect(t.engine.prompts.active('file-naming').version).toBe(1);
  });
});

describe('a version file edited by hand so that it lost {{input}}', () => {
  it('is reported, and blocks neither stats, records nor the rollback that fixes it', async () => {
    t = tempEngine();
    await promoteC();
    const file = path.join(t.dataDir, 'skills', 'file-naming-v2.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('{{input}}', 'the file'));
    const engine = t.reopen();
    const stats = engine.stats('file-naming');
    expect(stats.version).toBe(2);
    expect(stats.problem).toMatch(/^version 2 cannot run: .*file-naming-v2\.md.*no \{\{input\}\} placeholder/);
    expect(engine.recordTask({ skill: 'file-naming', input: 'a.png', output: 'b.png' }, { outcome: 'accepted' }).prompt_version).toBe(2);
    engine.setSkillRunner({ run: async () => 'x.png' });
    await expect(engine.serveTask({ skill: 'file-naming', input: 'x.png' })).rejects.toThrow(/version 2 cannot run/);
    expect(engine.rollback('file-naming')).toMatchObject({ fromVersion: 2, toVersion: 1 });
    expect(engine.stats('file-naming').problem).toBeNull();
  });
});
