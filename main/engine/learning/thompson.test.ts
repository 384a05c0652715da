import { describe, expect, it } from 'vitest';
import { createRng, pickFrom } from '../util/random';
import { thompsonFactor, thompsonPick } from './thompson';

describe('Thompson sampling over library credit', () => {
  it('with no credit it draws exactly as pickFrom does (a library that learned nothing replays runs without it)', () => {
    const items = ['a', 'b', 'c', 'd'];
    const [x, y] = [createRng(5), createRng(5)];
    for (let i = 0; i < 50; i++) expect(thompsonPick(x, items, () => undefined)).toBe(pickFrom(y, items));
    expect(thompsonFactor(x, { wins: 0, losses: 0 })).toBe(1);
  });

  it('draws an entry that won more often, and still tries the others', () => {
    const rng = createRng(9);
    const credit = { a: { wins: 6, losses: 1 }, b: { wins: 0, losses: 4 }, c: { wins: 0, losses: 0 } } as const;
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 4000; i++) counts[thompsonPick(rng, ['a', 'b', 'c'] as const, (k) => credit[k])]++;
    expect(counts.a).toBeGreaterThan(counts.c);
    expect(counts.c).toBeGreaterThan(counts.b);
    expect(counts.b).toBeGreaterThan(0);
  });
});
