import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultContexts, splitSequences } from './runtime-defaults';

describe('runtime defaults', () => {
  it('splits sequences over contexts as evenly as possible, never more contexts than sequences', () => {
    expect(splitSequences(4, 2)).toEqual([2, 2]);
    expect(splitSequences(5, 2)).toEqual([3, 2]);
    expect(splitSequences(3, 4)).toEqual([1, 1, 1]);
    expect(splitSequences(4, 1)).toEqual([4]);
  });

  it('uses one context on a GPU and one per `threads` cores on CPU, at most 4', () => {
    expect(defaultContexts(true, 1)).toBe(1);
    expect(defaultContexts(false, undefined)).toBe(1);
    const cores = os.availableParallelism();
    expect(defaultContexts(false, 1)).toBe(Math.min(4, cores));
    expect(defaultContexts(false, cores)).toBe(1);
  });
});
