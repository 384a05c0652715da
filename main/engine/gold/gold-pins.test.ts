import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine';
import { tempEngine, type TempEngine } from '../../test-support/temp-engine';

let t: TempEngine;
let other: Engine | null = null;
afterEach(() => {
  other?.close();
  other = null;
  t?.cleanup();
});

describe('pinned gold examples', () => {
  it('pins a task with its right output (the edit, or the accepted output), once, and lists it beside the shipped ones', () => {
    t = tempEngine();
    t.engine.recordTask(
      { skill: 'file-naming', id: 'edited', input: 'IMG_1.png', output: 'image.png' },
      { outcome: 'edited', finalOutput: 'beach-sunset.png' },
    );
    t.engine.recordTask({ skill: 'file-naming', id: 'kept', input: 'IMG_2.png', output: 'golden-gate.png' }, { outcome: 'accepted' });
    expect(t.engine.gold.pin('edited')).toMatchObject({
      already: false,
      pin: { id: 'edited', input: 'IMG_1.png', expected: 'beach-sunset.png', source: 'pinned' },
    });
    t.clock.advance(1000);
    expect(t.engine.gold.pin('kept').pin.expected).toBe('golden-gate.png');
    expect(t.engine.gold.pin('kept').already).toBe(true);
    const list = t.engine.gold.list('file-naming');
    expect(list.pinned.map((p) => p.id)).toEqual(['edited', 'kept']);
    expect(list.shipped.length).toBeGreaterThanOrEqual(5);
    expect(t.engine.gold.list('audio-actions').pinned).toEqual([]);
    expect([...t.engine.gold.pinnedAmong(['edited', 'nope'])]).toEqual(['edited']);
  });

  it('unpins; unpinning what is not pinned is one line', () => {
    t = tempEngine();
    t.engine.recordTask(
      { skill: 'file-naming', id: 'a', input: 'IMG_1.png', output: 'image.png' },
      { outcome: 'edited', finalOutput: 'beach.png' },
    );
    t.engine.gold.pin('a');
    expect(t.engine.gold.pinned('file-naming')[0].expected).toBe('beach.png');
    expect(t.engine.gold.unpin('a').id).toBe('a');
    expect(t.engine.gold.isPinned('a')).toBe(false);
    expect(() => t.engine.gold.unpin('a')).toThrow(/^task a is not pinned$/);
  });

  it('refuses tasks without a known right output, and unknown tasks, in one line', () => {
    t = tempEngine();
    t.engine.recordTask({ skill: 'file-naming', id: 'open', input: 'IMG_1.png', output: 'image.png' });
    t.engine.recordTask({ skill: 'file-naming', id: 'no', input: 'IMG_2.png', output: 'image.png' }, { outcome: 'rejected' });
    expect(() => t.engine.gold.pin('open')).toThrow(/^task open has no feedback yet: only a task with a known right output can be pinned$/);
    expect(() => t.engine.gold.pin('no')).toThrow(/was rejected without a corrected output/);
    expect(() => t.engine.gold.pin('ghost')).toThrow(/^unknown task 'ghost'$/);
  });

  it('is shared by every process of the data folder', () => {
    t = tempEngine();
    t.engine.recordTask({ skill: 'file-naming', id: 'a', input: 'IMG_1.png', output: 'x.png' }, { outcome: 'accepted' });
    other = Engine.open({ dataDir: t.dataDir });
    other.gold.pin('a');
    expect(t.engine.gold.isPinned('a')).toBe(true);
    expect(t.engine.gold.pin('a').already).toBe(true);
    t.engine.gold.unpin('a');
    expect(other.gold.pinned('file-naming')).toEqual([]);
  });
});
