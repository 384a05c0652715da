import { afterEach, describe, expect, it } from 'vitest';
import { recordFeedback, tempEngine, VARIANTS, type TempEngine } from '../../test-support/temp-engine';
import { ProgressStore, type LiveProgress } from '../evolution/live-progress';
import { describeSkill, resetSkillStatusCache } from './skill-status';

let t: TempEngine;
afterEach(() => {
  t?.cleanup();
  resetSkillStatusCache();
});

const progress = (overrides: Partial<LiveProgress> = {}): LiveProgress => ({
  skill: 'file-naming',
  phase: 'evolving',
  generation: 2,
  generations: 5,
  bestFitness: 0.4,
  meanFitness: 0.3,
  llmCalls: 40,
  maxLlmCalls: 500,
  tokensPerSecond: 30,
  etaSeconds: 90,
  message: null,
  fraction: 0.4,
  building: null,
  resumeFrom: null,
  stop: null,
  ...overrides,
});

describe('skillStatus (the engine’s facts → the one state)', () => {
  it('collects, then needs a better prompt; a run by another live process shows as evolving, started elsewhere', () => {
    t = tempEngine();
    expect(describeSkill(t.engine, 'file-naming', { paused: false }).state.label).toBe('Collecting feedback (0 of 20)');
    recordFeedback(t, 20, 0.6);
    expect(describeSkill(t.engine, 'file-naming', { paused: false }).state.kind).toBe('needs-prompt');
    const store = new ProgressStore(
      t.engine.ctx.db,
      () => t.clock.now().toISOString(),
      () => true,
    );
    // Another live process: this one's parent.
    store.write(progress(), t.clock.now().toISOString(), process.ppid);
    const status = describeSkill(t.engine, 'file-naming', { paused: false });
    expect(status.state.label).toBe('Evolving (generation 2 of 5, about 2 min left)');
    expect(status.state.detail).toMatch(/command line/);
    expect(status.evolution).toMatchObject({ elsewhere: true, fraction: 0.4 });
    // The app's own run wins over what the table says.
    expect(describeSkill(t.engine, 'file-naming', { paused: false, evolution: progress({ generation: 3 }) }).state.label).toMatch(
      /generation 3 of 5/,
    );
  });

  it('tests with a vote estimate, then a winner without enough served results waits for review', async () => {
    t = tempEngine();
    recordFeedback(t, 20, 0.6);
    const session = await t.engine.evolve('file-naming', { variants: VARIANTS.map((prompt) => ({ prompt, source: 'file' as const })) });
    expect(describeSkill(t.engine, 'file-naming', { paused: false }).state.label).toMatch(
      /^Testing \(no votes yet; a decision usually within ~\d+ more\)$/,
    );
    for (let i = 0; t.engine.sessions.get(session.id)!.status === 'active'; i++) {
      expect(i).toBeLessThan(50);
      const round = t.engine.sessions.openRound(session.id, {
        taskId: `r${i}`,
        input: `x${i}.png`,
        outputs: { A: 'a.png', B: 'b.png', C: 'c.png' },
      });
      t.engine.vote(round.taskId, round.options.find((o) => o.output === 'c.png')!.label);
    }
    expect(t.engine.sessions.get(session.id)).toMatchObject({ status: 'completed', outcome: 'awaiting_manual' });
    expect(describeSkill(t.engine, 'file-naming', { paused: false }).state.kind).toBe('review');
    t.engine.promoteByHand('file-naming', 'C');
    expect(describeSkill(t.engine, 'file-naming', { paused: false }).state).toMatchObject({ kind: 'promoted', label: 'Promoted' });
  });
});
