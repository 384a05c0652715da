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

  it('refuses what is not a number; ranges are the engine’s to judge', () => {
    expect(parseField(spec('sampleSize'), 'abc')).toEqual({ ok: false, message: '“abc” is not a number.' });
    expect(parseField(spec('sampleSize'), '2.5')).toEqual({ ok: false, message: 'Enter a whole number.' });
    expect(parseField(spec('votesRequired'), '')).toEqual({ ok: false, message: 'Enter a number.' });
    expect(parseField(spec('votesRequired'), '2')).toEqual({ ok: true, value: 2 });
  });

  it('never names a config key or statistics jargon', () => {
    expect(JSON.stringify([...EVOLUTION_FIELDS, ...AB_FIELDS].map((f) => [f.label, f.unit, f.help]))).not.toMatch(/P\(best\)|_|task/);
  });
});
