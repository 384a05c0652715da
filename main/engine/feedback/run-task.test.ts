import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderPrompt } from '../skills/skill-file';
import { tempEngine, VARIANTS, type TempEngine } from '../../test-support/temp-engine';
import { runTask } from './run-task';
import type { SkillRunner } from './skill-runner';

let t: TempEngine;
beforeEach(() => {
  t = tempEngine();
});
afterEach(() => t.cleanup());

/** Answers with chatter around a name derived from which prompt it was given, like a small model might. */
const runner = (calls: { skill: string; prompt: string; variant?: string | null }[] = []): SkillRunner => ({
  async run(skill, prompt, input, options) {
    calls.push({ skill, prompt, variant: options?.variant });
    const tag = prompt.startsWith('Variant') ? prompt.split(' ')[1].toLowerCase() : 'v1';
    return `Sure! Here's a name:\n${renderPrompt('{{input}}', input).toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${tag}.png`;
  },
});

describe('runTask', () => {
  it('runs the active prompt, parses the answer and records a task awaiting feedback', async () => {
    const calls: { skill: string; prompt: string }[] = [];
    const result = await runTask(t.engine, runner(calls), { skill: 'file-naming', input: 'IMG_1.png', source: 'cli' });
    expect(result).toMatchObject({ kind: 'task', skill: 'file-naming', output: 'img-1-png-v1.png', variant: null, promptVersion: 1 });
    expect(calls[0].prompt).toContain('{{input}}');
    expect(t.engine.tasks.get(result.taskId)).toMatchObject({ input: 'IMG_1.png', output: 'img-1-png-v1.png', outcome: null, source: 'cli' });
    t.engine.feedback(result.taskId, { outcome: 'edited', finalOutput: 'beach.png' });
    expect(t.engine.stats('file-naming').accuracy.samples).toBe(1);
  });

  it('during an A/B session serves an arm, or opens a vote round with every arm', async () => {
    const session = t.engine.sessions.create({ skill: 'file-naming', variants: VARIANTS.map((prompt) => ({ prompt })), reason: 'manual' });
    t.engine.ctx.config.set(['prompt_evolution', 'ab_testing', 'show_probability'], 0);
    const arm = await runTask(t.engine, runner(), { skill: 'file-naming', input: 'IMG_2.png' });
    expect(arm.kind).toBe('task');
    if (arm.kind !== 'task') return;
    expect(arm.variant).toMatch(/^[ABC]$/);
    expect(arm.output).toBe(`img-2-png-${arm.variant!.toLowerCase()}.png`);
    expect(t.engine.tasks.get(arm.taskId)!.session_id).toBe(session.id);

    t.engine.ctx.config.set(['prompt_evolution', 'ab_testing', 'show_probability'], 1);
    const vote = await runTask(t.engine, runner(), { skill: 'file-naming', input: 'IMG_3.png' });
    expect(vote.kind).toBe('vote');
    if (vote.kind !== 'vote') return;
    expect(vote.round.options.map((o) => o.output).sort()).toEqual(['img-3-png-a.png', 'img-3-png-b.png', 'img-3-png-c.png']);
    expect(t.engine.sessions.openRounds('file-naming').map((r) => r.taskId)).toEqual([vote.taskId]);

    const single = await runTask(t.engine, runner(), { skill: 'file-naming', input: 'IMG_4.png', allowVote: false });
    expect(single.kind).toBe('task');
  });

  it("runs a vote round's arms at once, so the runtime can batch them", async () => {
    t.engine.sessions.create({ skill: 'file-naming', variants: VARIANTS.map((prompt) => ({ prompt })), reason: 'manual' });
    t.engine.ctx.config.set(['prompt_evolution', 'ab_testing', 'show_probability'], 1);
    let inFlight = 0;
    let most = 0;
    const inner = runner();
    const concurrent: SkillRunner = {
      async run(...args) {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return inner.run(...args);
      },
    };
    const vote = await runTask(t.engine, concurrent, { skill: 'file-naming', input: 'IMG_5.png' });
    expect(vote.kind).toBe('vote');
    expect(most).toBe(3);
  });

  it('refuses an empty answer, an empty input, an unknown or disabled skill', async () => {
    const silent: SkillRunner = { run: async () => '```\n```' };
    await expect(runTask(t.engine, silent, { skill: 'file-naming', input: 'x' })).rejects.toThrow(/empty answer/);
    await expect(runTask(t.engine, runner(), { skill: 'file-naming', input: '  ' })).rejects.toThrow(/non-empty input/);
    await expect(runTask(t.engine, runner(), { skill: 'nope', input: 'x' })).rejects.toThrow(/unknown skill 'nope'/);
    t.engine.ctx.config.updateSkill('file-naming', { enabled: false });
    await expect(runTask(t.engine, runner(), { skill: 'file-naming', input: 'x' })).rejects.toThrow(/disabled/);
    expect(t.engine.tasks.withFeedback('file-naming')).toEqual([]);
  });
});
