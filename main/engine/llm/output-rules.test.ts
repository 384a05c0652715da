import { describe, expect, it } from 'vitest';
import { cleanBareAnswer, cleanLines, firstLine, outputRule } from './output-rules';

describe('output rules', () => {
  it('a line is the first non-empty line, trimmed', () => {
    expect(firstLine('\n  invoice-2024-03.pdf  \nmore')).toBe('invoice-2024-03.pdf');
    expect(outputRule('line').stopTriggers).toContain('\n');
    expect(outputRule('line').grammar).toContain('root ::=');
  });

  it('lines drop blank lines and trailing spaces', () => {
    expect(cleanLines('a  \n\n b\n\n')).toBe('a\n b');
  });

  it('a bare answer loses preamble, fences and wrapping quotes', () => {
    expect(cleanBareAnswer('Sure! Here is the improved prompt:\nRename the file.')).toBe('Rename the file.');
    expect(cleanBareAnswer('Here is the revised prompt:\n```\nRename the file.\n```')).toBe('Rename the file.');
    expect(cleanBareAnswer('"Rename the file."')).toBe('Rename the file.');
    expect(cleanBareAnswer('Rename the file: keep the date.')).toBe('Rename the file: keep the date.');
    expect(cleanBareAnswer('"a" and "b"')).toBe('"a" and "b"');
  });

  it('every kind has a positive default max length', () => {
    for (const kind of ['line', 'lines', 'none', 'bare', 'prompt'] as const) expect(outputRule(kind).defaultMaxTokens).toBeGreaterThan(0);
  });
});
