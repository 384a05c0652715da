import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../util/clock';
import { tempEngine, type TempEngine } from '../../test-support/temp-engine';
import { TREND_MIN_CHANGE } from './trend';

let t: TempEngine;
afterEach(() => t?.cleanup());

/** One verdict every 12 hours for `days` days, accepted with probability rate(i) (deterministically). */
function record(days: number, rate: (i: number) => number): void {
  for (let i = 0; i < days * 2; i += 1) {
    t.clock.advance(DAY_MS / 2);
    const ok = Math.floor((i + 1) * rate(i)) > Math.floor(i * rate(i));
    t.engine.recordTask(
      { skill: 'file-naming', input: `f${i}.png`, output: 'a.png' },
      ok ? { outcome: 'accepted' } : { outcome: 'rejected' },
    );
  }
}

describe('the accuracy trend', () => {
  it('is a regression over the last two windows: a slide from 100% to 50% is down, with the earlier window kept', () => {
    t = tempEngine();
    record(14, (i) => (i < 14 ? 1 : 0.5));
    const { trend, accuracy } = t.engine.stats('file-naming');
    expect(trend.direction).toBe('down');
    expect(trend.previous).toBe(1);
    expect(accuracy.accuracy).toBeCloseTo(0.5, 1);
    expect(trend.changePerWindow!).toBeLessThan(-TREND_MIN_CHANGE);
  });

  it('is flat when acceptance holds, up when it climbs, and unknown with too few verdicts', () => {
    t = tempEngine();
    t.engine.recordTask({ skill: 'file-naming', input: 'a.png', output: 'b.png' }, { outcome: 'accepted' });
    expect(t.engine.stats('file-naming').trend).toEqual({ direction: null, changePerWindow: null, previous: null });
    record(14, () => 1);
    expect(t.engine.stats('file-naming').trend.direction).toBe('flat');
    t.cleanup();
    t = tempEngine();
    record(14, (i) => (i < 14 ? 0.5 : 1));
    expect(t.engine.stats('file-naming').trend.direction).toBe('up');
  });
});
