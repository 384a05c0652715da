import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './suggest';

describe('did-you-mean', () => {
  it('measures edits, counting an adjacent swap as one', () => {
    expect(editDistance('file-naming', 'file-naming')).toBe(0);
    expect(editDistance('file-nameing', 'file-naming')).toBe(1);
    expect(editDistance('flie-naming', 'file-naming')).toBe(1);
  });

  it('suggests the close name, a prefix, or nothing', () => {
    const skills = ['audio-actions', 'code-linting-fast', 'file-naming', 'markdown-analysis'];
    expect(closest('file-nameing', skills)).toBe('file-naming');
    expect(closest('filenaming', skills)).toBe('file-naming');
    expect(closest('markdown', skills)).toBe('markdown-analysis');
    expect(closest('weather', skills)).toBeNull();
  });
});
