import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promptHash } from '../engine';
import { recordFeedback, tempEngine, VARIANTS, type TempEngine } from '../test-support/temp-engine';
import { DAY_MS } from '../engine/util/clock';
import type { AppStateView } from '../../contract/api';
import { AppService } from './app-service';

let t: TempEngine;
let app: AppService;
let pushes: AppStateView[];

beforeEach(() => {
  t = tempEngine();
  pushes = [];
  app = new AppService({ engine: t.engine, watchIntervalMs: 0, log: () => {} });
  app.onState((state) => pushes.push(state));
});
afterEach(async () => {
  await app.stop();
  t.cleanup();
});

const naming = (state: AppStateView) => state.skills.find((s) => s.skill === 'file-naming')!;

function promoteB(): void {
  t.engine.sessions.create({ skill: 'file-naming', variants: VARIANTS.map((prompt) => ({ prompt })), reason: 'manual' });
  t.engine.promoteByHand('file-naming', 'B');
}

describe('reset to default prompt from the app', () => {
  it('is offered once an evolved version runs, resets to version 1 keeping the history, and pushes the state', async () => {
    expect(naming(await app.getState()).canReset).toBe(false);
    promoteB();
    expect(naming(await app.getState())).toMatchObject({ version: 2, canReset: true, resetSuggestion: null });
    const history = await app.resetToDefault('file-naming');
    expect(history.versions.map((v) => [v.version, v.source, v.current])).toEqual([
      [1, 'initial', false],
      [2, 'promotion', false],
      [1, 'rollback', true],
    ]);
    expect(naming(pushes.at(-1)!)).toMatchObject({ version: 1, canReset: false });
    await expect(app.resetToDefault('file-naming')).rejects.toThrow('file-naming already runs its default prompt (version 1)');
  });

  it('is not offered while a test runs', async () => {
    promoteB();
    t.engine.sessions.create({ skill: 'file-naming', variants: VARIANTS.map((prompt) => ({ prompt: `${prompt} 2` })), reason: 'manual' });
    expect(naming(await app.getState()).canReset).toBe(false);
    await expect(app.resetToDefault('file-naming')).rejects.toThrow(/has an A\/B test running/);
  });

  it('shows the monthly reminder once the monitor found the skill drifted far and doing worse than the default did', async () => {
    recordFeedback(t, 20, 0.9);
    promoteB(); // the default ended at 90%; "Variant B prompt. File: {{input}}" shares few words with it
    recordFeedback(t, 20, 0.75);
    t.engine.check('file-naming');
    const suggestion = naming(await app.getState()).resetSuggestion;
    expect(suggestion).toMatch(
      /^file-naming version 2 has drifted far from its default prompt \(\d+% of its words changed\) and keeps 75% of results, where the default kept 90%: consider resetting it to the default\.$/,
    );
    // Shown for a week, recorded at most once a month.
    t.clock.advance(8 * DAY_MS);
    recordFeedback(t, 20, 0.75);
    t.engine.check('file-naming');
    expect(naming(await app.getState()).resetSuggestion).toBeNull();
    t.clock.advance(23 * DAY_MS);
    recordFeedback(t, 20, 0.75);
    t.engine.check('file-naming');
    expect(naming(await app.getState()).resetSuggestion).toMatch(/consider resetting/);
    t.engine.ctx.config.set(['prompt_evolution', 'gold', 'reset_reminder'], false);
    expect(naming(await app.getState()).resetSuggestion).toBeNull();
  });
});

describe('a winner that breaks a pinned example', () => {
  it('says so on its review card', async () => {
    const session = t.engine.sessions.create({
      skill: 'file-naming',
      variants: VARIANTS.map((prompt, i) => ({ prompt, fitness: 0.5 + i / 10, brokenPins: i === 2 ? ['task_p'] : [] })),
      reason: 'manual',
      needsReview: true,
    });
    expect(session.needs_review).toBe(1);
    expect(naming(await app.getState()).review!.summary).toMatch(
      /It gets 1 pinned example wrong that the current prompt gets right, so it was not used on its own\.$/,
    );
  });
});

describe('pinning a review sample', () => {
  it('marks the samples behind held-out examples as pinnable, and pins and unpins them', async () => {
    recordFeedback(t, 4, 0.5);
    const task = t.engine.tasks.withFeedback('file-naming', { outcome: ['edited'], limit: 1 })[0];
    const current = t.engine.prompts.active('file-naming').prompt;
    const session = t.engine.sessions.create({
      skill: 'file-naming',
      variants: VARIANTS.map((prompt) => ({ prompt })),
      reason: 'manual',
      needsReview: true,
    });
    const put = t.engine.ctx.db.prepare(
      `INSERT INTO fitness_cache (prompt_hash, example_id, model_id, score, output, prompt_tokens, generated_tokens, run_id, created_at)
       VALUES (?, ?, 'm', 1, ?, 1, 1, NULL, '2026-03-02T09:00:00.000Z')`,
    );
    put.run(promptHash(current), task.id, 'image.png');
    for (const prompt of VARIANTS) put.run(promptHash(prompt), task.id, 'beach-sunset.png');
    t.engine.ctx.db.prepare(`UPDATE prompt_variants SET fitness = 0.5 WHERE session_id = ?`).run(session.id);
    const sample = () => naming(pushes.at(-1) ?? (null as never)).review!.samples[0];
    await app.getState();
    app.refresh();
    expect(sample()).toMatchObject({ taskId: task.id, pinned: false, current: 'image.png', proposed: 'beach-sunset.png' });
    await app.pinTask(task.id);
    expect(sample().pinned).toBe(true);
    expect(t.engine.gold.isPinned(task.id)).toBe(true);
    await app.unpinTask(task.id);
    expect(sample().pinned).toBe(false);
    await expect(app.pinTask('ghost')).rejects.toThrow("unknown task 'ghost'");
  });
});
