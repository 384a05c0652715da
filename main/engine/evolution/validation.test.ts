import { describe, expect, it } from 'vitest';
import { promptSimilarity, slotLineOf, stripTemplateEcho, validateMutant, type ValidationOptions } from './validation';

const PARENT = 'Name the file after its subject in kebab-case.\nKeep the extension.\n\nFile: {{input}}';
const base: ValidationOptions = {
  stopReason: 'eos',
  parent: PARENT,
  others: [],
  similarityThreshold: 0.9,
  maxChars: 1500,
  repairPlaceholder: false,
  slotLine: 'File: {{input}}',
};

describe('mutant validation', () => {
  it('accepts a new prompt that keeps {{input}}', () => {
    expect(validateMutant('Describe the main subject and the date as a short kebab-case name.\n\nFile: {{input}}', base)).toMatchObject({
      ok: true,
      repaired: false,
    });
  });

  it.each([
    ['empty', '   \n ', base, 'empty'],
    ['only punctuation', '---', base, 'empty'],
    [
      'truncated at the token cap',
      'Name the file carefully.\n\nFile: {{input}}',
      { ...base, stopReason: 'maxTokens' as const },
      'truncated',
    ],
    ['too long', `${'word '.repeat(400)}\nFile: {{input}}`, base, 'too_long'],
    ['lost the placeholder', 'Name the file after its subject.', base, 'no_placeholder'],
    ['a near-copy of its parent', 'name the file after its SUBJECT in kebab case. Keep the extension!\nFile: {{input}}', base, 'near_copy'],
    [
      'a near-copy of another member',
      'Use the date and the camera.\nFile: {{input}}',
      { ...base, others: ['Use the date and the camera!\n\nFile: {{input}}'] },
      'near_copy',
    ],
  ])('rejects %s', (_name, text, options, reason) => {
    const verdict = validateMutant(text, options);
    expect(verdict).toMatchObject({ ok: false, reason });
    if (!verdict.ok) expect(verdict.detail.length).toBeGreaterThan(0);
  });

  it('repairs a missing slot only when asked, and says so', () => {
    const verdict = validateMutant('Describe the subject and date briefly.', { ...base, repairPlaceholder: true });
    expect(verdict).toEqual({ ok: true, repaired: true, prompt: 'Describe the subject and date briefly.\n\nFile: {{input}}' });
  });

  it('strips echoed template labels and what follows them', () => {
    expect(stripTemplateEcho('NEW PROMPT: Name it well.\nFile: {{input}}\n\nNow your turn\nPROMPT:\nx')).toBe(
      'Name it well.\nFile: {{input}}',
    );
  });

  it('measures similarity on words, ignoring case and punctuation', () => {
    expect(promptSimilarity('Be concise.', 'be CONCISE')).toBe(1);
    expect(promptSimilarity('a b c d', 'a b x d')).toBe(0.75);
    expect(promptSimilarity('', '')).toBe(1);
    expect(promptSimilarity('one two', 'three four')).toBe(0);
  });

  it('finds the input slot line of a prompt', () => {
    expect(slotLineOf(PARENT)).toBe('File: {{input}}');
    expect(slotLineOf('no slot')).toBe('Input: {{input}}');
  });
});
