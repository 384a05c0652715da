import { afterEach, describe, expect, it } from 'vitest';
import type { TempEngine } from '../../test-support/temp-engine';
import { createRng } from '../util/random';
import { collectExamples, splitExamples } from './examples';
import { engineWithHistory } from './test-support';

let t: TempEngine;
afterEach(() => t?.cleanup());

describe('examples from task history', () => {
  it('uses the failure set when it is big enough; expected = the final output', () => {
    t = engineWithHistory(24, 5);
    const set = collectExamples(t.engine.tasks, 'file-naming', 10, 100);
    expect(set).toMatchObject({ failures: 24, accepted: 0, note: null });
    expect(set.examples.every((e) => e.outcome === 'edited' && e.expected !== e.output)).toBe(true);
  });

  it('falls back to accepted tasks when the failure set is small, and says so', () => {
    t = engineWithHistory(4, 20);
    const set = collectExamples(t.engine.tasks, 'file-naming', 5, 100);
    expect(set.failures).toBe(4);
    expect(set.accepted).toBe(16);
    expect(set.note).toMatch(/the failure set is small \(4 with an expected output\); added 16 accepted tasks/);
  });

  it('skips rejected tasks without a final output (nothing to score against)', () => {
    t = engineWithHistory(10);
    t.engine.recordTask({ skill: 'file-naming', input: 'x.png', output: 'y.png' }, { outcome: 'rejected' });
    const set = collectExamples(t.engine.tasks, 'file-naming', 5, 100);
    expect(set).toMatchObject({ failures: 10, unusable: 1 });
  });

  it('holds out up to final_evaluation_samples, keeping enough for tournaments', () => {
    t = engineWithHistory(30);
    const { examples } = collectExamples(t.engine.tasks, 'file-naming', 10, 100);
    const split = splitExamples(examples, 10, 100, createRng(1));
    expect(split.holdout.length + split.train.length).toBe(30);
    expect(split.train.length).toBe(20);
    expect(new Set([...split.train, ...split.holdout].map((e) => e.id)).size).toBe(30);
    const tiny = splitExamples(examples.slice(0, 5), 10, 100, createRng(1));
    expect(tiny).toMatchObject({ holdout: [], note: expect.stringMatching(/no held-out set/) });
    expect(tiny.train).toHaveLength(5);
  });
});
