import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderPrompt } from '../skills/skill-file';
import { tempEngine, VARIANTS, type TempEngine } from '../../test-support/temp-engine';
import type { SkillRunner } from './types';

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
    return `Sure! Here's a name:\n${renderPrompt('{{input}}', input)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')}-${tag}.png`;
  },
});

describe('TaskServer.serve', () => {
  it('runs the active prompt, parses the answer and records a task awaiting feedback', async () => {
    const calls: { skill: string; prompt: string }[] = [];
    const result = await t.engine.server.serve(runner(calls), { skill: 'file-naming', input: 'IMG_1.png', source: 'cli' });
    expect(result).toMatchObject({ kind: 'task', skill: 'file-naming', output: 'img-1-png-v1.png', variant: null, promptVersion: 1 });
    expect(calls[0].prompt).toContain('{{input}}');
    expect(t.engine.tasks.get(result.taskId)).toMatchObject({
      input: 'IMG_1.png',
      output: 'img-1-png-v1.png',
      outcome: null,
      source: 'cli',
    });
    t.engine.feedback(result.taskId, { outcome: 'edited', finalOutput: 'beach.png' });
    expect(t.engine.stats('file-naming').accuracy.samples).toBe(1);
  });

  it('during an A/B session serves an arm, or opens a vote round with every arm', async () => {
    const session = t.engine.sessions.create({ skill: 'file-naming', variants: VARIANTS.map((prompt) => ({ prompt })), reason: 'manual' });
    t.engine.ctx.config.set(['prompt_evolution', 'ab_testing', 'show_probability'], 0);
    const arm = await t.engine.server.serve(runner(), { skill: 'file-naming', input: 'IMG_2.png' });
    expect(arm.kind).toBe('task');
    if (arm.kind !== 'task') return;
    expect(arm.variant).toMatch(/^[ABC]$/);
    expect(arm.output).toBe(`img-2-png-${arm.variant!.toLowerCase()}.png`);
    expect(t.engine.tasks.get(arm.taskId)!.session_id).toBe(session.id);

    t.engine.ctx.config.set(['prompt_evolution', 'ab_testing', 'show_probability'], 1);
    const vote = await t.engine.server.serve(runner(), { skill: 'file-naming', input: 'IMG_3.png' });
    expect(vote.kind).toBe('vote');
    if (vote.kind !== 'vote') return;
    expect(vote.round.options.map((o) => o.output).sort()).toEqual(['img-3-png-a.png', 'img-3-png-b.png', 'img-3-png-c.png']);
    expect(t.engine.sessions.openRounds('file-naming').map((r) => r.taskId)).toEqual([vote.taskId]);

    const single = await t.engine.server.serve(runner(), { skill: 'file-naming', input: 'IMG_4.png', allowVote: false });
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
    const vote = await t.engine.server.serve(concurrent, { skill: 'file-naming', input: 'IMG_5.png' });
    expect(vote.kind).toBe('vote');
    expect(most).toBe(3);
  });

  it('refuses an empty answer, an empty input, an unknown or disabled skill', async () => {
    const silent: SkillRunner = { run: async () => '```\n```' };
    await expect(t.engine.server.serve(silent, { skill: 'file-naming', input: 'x' })).rejects.toThrow(/empty answer/);
    await expect(t.engine.server.serve(runner(), { skill: 'file-naming', input: '  ' })).rejects.toThrow(/non-empty input/);
    await expect(t.engine.server.serve(runner(), { skill: 'nope', input: 'x' })).rejects.toThrow(/unknown skill 'nope'/);
    t.engine.ctx.config.updateSkill('file-naming', { enabled: false });
    await expect(t.engine.server.serve(runner(), { skill: 'file-naming', input: 'x' })).rejects.toThrow(/turned off/);
    expect(t.engine.tasks.withFeedback('file-naming')).toEqual([]);
  });
});

describe('TaskServer.answer', () => {
  const votingSession = () => {
    const session = t.engine.sessions.create({ skill: 'file-naming', variants: VARIANTS.map((prompt) => ({ prompt })), reason: 'manual' });
    t.engine.ctx.config.set(['prompt_evolution', 'ab_testing', 'show_probability'], 1);
    return session;
  };

  it('records a vote and its verdict together; the same answer again is a duplicate; a different one is refused', async () => {
    votingSession();
    t.engine.setSkillRunner(runner());
    const served = await t.engine.serveTask({ skill: 'file-naming', input: 'IMG_7.png' });
    if (served.kind !== 'vote') throw new Error('expected a vote round');
    const label = served.round.options[0].label;
    const answered = t.engine.answer(served.taskId, { vote: label, feedback: { outcome: 'edited', finalOutput: 'mine.png' } });
    expect(answered).toMatchObject({
      duplicate: false,
      task: { outcome: 'edited', final_output: 'mine.png' },
      round: { status: 'picked', picked: label },
    });
    expect(answered.results!.votes).toBe(1);
    expect(t.engine.answer(served.taskId, { vote: label, feedback: { outcome: 'edited', finalOutput: 'mine.png' } }).duplicate).toBe(true);
    const other = served.round.options[1].label;
    expect(() => t.engine.answer(served.taskId, { vote: other })).toThrow(/already answered/);
    expect(() => t.engine.answer(served.taskId, { vote: label, feedback: { outcome: 'accepted' } })).toThrow(/already has feedback/);
  });

  it('leaves nothing behind when the verdict is refused: the vote is not counted either', async () => {
    votingSession();
    const served = await t.engine.server.serve(runner(), { skill: 'file-naming', input: 'IMG_8.png' });
    if (served.kind !== 'vote') throw new Error('expected a vote round');
    const label = served.round.options[0].label;
    expect(() => t.engine.answer(served.taskId, { vote: label, feedback: { outcome: 'edited' } })).toThrow(/needs the final output/);
    expect(t.engine.sessions.round(served.taskId).status).toBe('open');
    expect(t.engine.sessions.results(served.round.sessionId).votes).toBe(0);
    expect(() => t.engine.answer(served.taskId, { vote: 'none', feedback: { outcome: 'accepted' } })).toThrow(
      /no output to give a verdict on/,
    );
    expect(t.engine.sessions.round(served.taskId).status).toBe('open');
  });

  it('asks for a vote when a vote round gets only a verdict', async () => {
    votingSession();
    const served = await t.engine.server.serve(runner(), { skill: 'file-naming', input: 'IMG_9.png' });
    expect(() => t.engine.answer(served.taskId, { feedback: { outcome: 'accepted' } })).toThrow(/is a vote round/);
  });
});
