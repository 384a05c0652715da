import { describe, expect, it } from 'vitest';
import { AB_FIELDS, EVOLUTION_FIELDS, formatField, parseField, type NumericFieldSpec } from './preference-fields';

const spec = (key: string): NumericFieldSpec => [...EVOLUTION_FIELDS, ...AB_FIELDS].find((f) => f.key === key)!;

describe('preference fields', () => {
  it('shows fractions as percentages without float noise', () => {
    expect(formatField(spec('accuracyThreshold'), 0.8)).toBe('80');
    expect(formatField(spec('minAccuracyImprovement'), 0.07)).toBe('7');
    expect(formatField(spec('sampleSize'), 20)).toBe('20');
  });

  it('parses percentages back to fractions', () => {
    expect(parseField(spec('accuracyThreshold'), '75')).toEqual({ ok: true, value: 0.75 });
    expect(parseField(spec('decisionConfidence'), '97.5 %')).toEqual({ ok: true, value: 0.975 });
    expect(parseField(spec('minAccuracyImprovement'), '7')).toEqual({ ok: true, value: 0.07 });
  });

  it('refuses non-numbers, fractions for counts and values out of range', () => {
    expect(parseField(spec('sampleSize'), 'abc')).toEqual({ ok: false, message: '“abc” is not a number.' });
    expect(parseField(spec('sampleSize'), '2.5')).toEqual({ ok: false, message: 'Enter a whole number.' });
    expect(parseField(spec('sampleSize'), '0')).toEqual({ ok: false, message: 'Enter 1 or more.' });
    expect(parseField(spec('accuracyThreshold'), '120')).toEqual({ ok: false, message: 'Enter a value from 0% to 100%.' });
    expect(parseField(spec('votesRequired'), '')).toEqual({ ok: false, message: 'Enter a number.' });
  });
});
