import { describe, expect, it } from 'vitest';
import { diffStats, lineDiff } from './line-diff';

const show = (oldText: string, newText: string) =>
  lineDiff(oldText, newText).map((l) => `${l.kind === 'same' ? ' ' : l.kind === 'added' ? '+' : '-'}${l.text}`);

describe('lineDiff', () => {
  it('keeps identical texts as unchanged lines', () => {
    expect(show('a\nb', 'a\nb')).toEqual([' a', ' b']);
  });

  it('finds the longest common subsequence, removals before additions', () => {
    expect(show('intro\nold rule\nexample\nend', 'intro\nnew rule\nexample\nmore\nend')).toEqual([
      ' intro',
      '-old rule',
      '+new rule',
      ' example',
      '+more',
      ' end',
    ]);
  });

  it('numbers lines in both texts', () => {
    const lines = lineDiff('x\ny', 'y\nz');
    expect(lines).toEqual([
      { kind: 'removed', text: 'x', oldLine: 1, newLine: null },
      { kind: 'same', text: 'y', oldLine: 2, newLine: 1 },
      { kind: 'added', text: 'z', oldLine: null, newLine: 2 },
    ]);
  });

  it('handles empty texts and CRLF', () => {
    expect(show('', 'a')).toEqual(['+a']);
    expect(show('a', '')).toEqual(['-a']);
    expect(show('', '')).toEqual([]);
    expect(show('a\r\nb', 'a\nb')).toEqual([' a', ' b']);
  });

  it('counts added and removed lines', () => {
    expect(diffStats(lineDiff('a\nb\nc', 'a\nc\nd\ne'))).toEqual({ added: 2, removed: 1 });
  });
});
