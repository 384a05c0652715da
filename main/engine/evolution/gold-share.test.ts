import { afterEach, describe, expect, it } from 'vitest';
import type { TempEngine } from '../../test-support/temp-engine';
import { createRng } from '../util/random';
import { getScorer } from '../skills/scorers';
import { checkPinned, goldCount, sampleWithGold, weaveGold } from './gold-share';
import { evolutionSettings } from './settings';
import { engineWithHistory, NAMING_CASES, namingModel, SMALL } from './test-support';
import { runEvolution } from './run';
import type { Example } from './types';

const ex = (id: string): Example => ({ id, input: id, expected: `${id}.png`, output: '', outcome: 'accepted' });
const history = Array.from({ length: 40 }, (_, i) => ex(`h${i}`));
const gold = Array.from({ length: 6 }, (_, i) => ex(`g${i}`));

describe('gold examples in every evaluation set', () => {
  it('a match takes round(n × share) gold examples, at least one, at most what there is', () => {
    expect(goldCount(10, 0.2, 6)).toBe(2);
    expect(goldCount(3, 0.2, 6)).toBe(1);
    expect(goldCount(10, 0.2, 1)).toBe(1);
    expect(goldCount(10, 0, 6)).toBe(0);
    const match = sampleWithGold(createRng('m'), history, gold, 10, 0.2);
    expect(match).toHaveLength(10);
    expect(match.filter((e) => e.id.startsWith('g'))).toHaveLength(2);
    // Without gold the draw is the one before gold existed (same seed, same examples).
    expect(sampleWithGold(createRng('m'), history, [], 10, 0.2).map((e) => e.id)).toHaveLength(10);
  });

  it('the final pool weaves gold in at the share, so every prefix successive halving cuts keeps it', () => {
    const pool = weaveGold(history.slice(0, 20), gold, 0.2);
    expect(pool).toHaveLength(24);
    for (const n of [5, 10, 15, 20]) expect(pool.slice(0, n).filter((e) => e.id.startsWith('g'))).toHaveLength(n / 5);
    expect(weaveGold(history.slice(0, 4), gold, 0)).toHaveLength(4);
    expect(weaveGold([], gold, 0.2)).toEqual(gold);
  });

  it('a variant breaks a pinned example only when it gets wrong what the current prompt gets right', () => {
    const pinned = [ex('p1'), ex('p2'), ex('p3')];
    const check = checkPinned(
      pinned,
      {
        variant: new Map([
          ['p1', 'p1.png'],
          ['p2', 'nope.png'],
        ]),
        current: new Map([
          ['p1', 'p1.png'],
          ['p2', 'p2.png'],
        ]),
      },
      getScorer('filename'),
    );
    expect(check).toEqual({ broken: ['p2'], bothWrong: 1 });
  });
});

let t: TempEngine;
afterEach(() => t?.cleanup());

describe('an evolution with gold examples (deterministic stand-in)', () => {
  it('scores units on gold examples and flags the variants that break a pinned one in their reasoning', async () => {
    t = engineWithHistory(24);
    // The person accepted the plain name the current prompt gives and pinned it: the stand-in's "subject" prompts,
    // which win on the history, name this file differently.
    const c = NAMING_CASES[28];
    t.engine.recordTask({ skill: 'file-naming', id: 'pinned-plain', input: c.input, output: c.wrong }, { outcome: 'accepted' });
    t.engine.gold.pin('pinned-plain');
    const list = t.engine.gold.list('file-naming');
    const active = t.engine.prompts.active('file-naming');
    const model = namingModel();
    const result = await runEvolution({
      ctx: t.engine.ctx,
      tasks: t.engine.tasks,
      skill: active.definition,
      active,
      model,
      settings: evolutionSettings(t.engine.ctx.config.config, SMALL),
      gold: { examples: [...list.shipped, ...list.pinned], share: 0.2 },
    });
    const shippedInput = list.shipped[0].input;
    expect(model.calls.some((call) => call.stop === 'line' && call.prompt.includes(shippedInput.slice(0, 40)))).toBe(true);
    expect(result.plan.notes.join(' ')).toMatch(/7 gold examples \(1 pinned\) take 20% of every evaluation set/);
    const breakers = result.variants.filter((v) => v.prompt.includes('subject'));
    const keepers = result.variants.filter((v) => !v.prompt.includes('subject'));
    expect(breakers.length).toBeGreaterThan(0);
    for (const v of breakers) {
      expect(v.brokenPins).toEqual(['pinned-plain']);
      expect(v.reasoning).toMatch(/BREAKS 1 pinned example the current prompt gets right \(pinned-plain\): not promoted automatically/);
    }
    for (const v of keepers) expect(v.brokenPins).toEqual([]);
  });
});
