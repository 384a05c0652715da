import type { PreferenceKey, PreferencesView } from '../../../contract/api';

export type NumericPreferenceKey = {
  [K in PreferenceKey]: PreferencesView[K] extends number ? K : never;
}[PreferenceKey];

export interface NumericFieldSpec {
  key: NumericPreferenceKey;
  label: string;
  help: string;
  /** percent: the engine stores 0–1, the field shows 0–100. */
  kind: 'percent' | 'integer' | 'number';
  unit: string;
  min: number;
  max: number | null;
}

export const EVOLUTION_FIELDS: NumericFieldSpec[] = [
  { key: 'accuracyThreshold', label: 'Evolve below', kind: 'percent', unit: '% accuracy', min: 0, max: 100, help: 'A skill whose accuracy falls below this gets new prompt variants.' },
  { key: 'sampleSize', label: 'Judge after', kind: 'integer', unit: 'tasks', min: 1, max: null, help: 'Tasks with feedback needed before accuracy is judged.' },
  { key: 'cooldownHours', label: 'Cooldown', kind: 'number', unit: 'hours', min: 0, max: null, help: 'At most one evolution per skill in this time.' },
  { key: 'minAccuracyImprovement', label: 'Promote a gain of', kind: 'percent', unit: 'points or more', min: 0, max: 100, help: 'A winner must beat the old prompt by this much to be promoted on its own.' },
  { key: 'rollbackThreshold', label: 'Roll back below', kind: 'percent', unit: '% accuracy', min: 0, max: 100, help: 'A promoted prompt that falls below this is rolled back.' },
];

export const AB_FIELDS: NumericFieldSpec[] = [
  { key: 'votesRequired', label: 'Votes per test', kind: 'integer', unit: 'votes', min: 2, max: null, help: 'The test ends at this many counted votes.' },
  { key: 'decisionConfidence', label: 'Decide at', kind: 'percent', unit: '% P(best)', min: 50, max: 100, help: 'A variant wins early once its chance of being best reaches this.' },
  { key: 'showProbability', label: 'Ask about', kind: 'percent', unit: '% of tasks', min: 0, max: 100, help: 'Share of a skill’s tasks shown to you as a vote during a test.' },
  { key: 'maxDurationDays', label: 'Longest test', kind: 'number', unit: 'days', min: 0, max: null, help: 'A test is decided after this many days, whatever the votes.' },
];

const round = (value: number, places: number): number => {
  const f = 10 ** places;
  return Math.round(value * f) / f;
};

/** The text a field shows for the engine's value. */
export function formatField(spec: NumericFieldSpec, value: number): string {
  if (spec.kind === 'percent') return String(round(value * 100, 2));
  return String(round(value, 4));
}

export type ParseResult = { ok: true; value: number } | { ok: false; message: string };

/** Basic checks before the engine sees a value; the engine's validation has the last word. */
export function parseField(spec: NumericFieldSpec, text: string): ParseResult {
  const trimmed = text.trim().replace(/%$/, '').trim();
  if (trimmed === '') return { ok: false, message: 'Enter a number.' };
  const number = Number(trimmed.replace(',', '.'));
  if (!Number.isFinite(number)) return { ok: false, message: `“${text.trim()}” is not a number.` };
  if (spec.kind === 'integer' && !Number.isInteger(number)) return { ok: false, message: 'Enter a whole number.' };
  if (number < spec.min || (spec.max !== null && number > spec.max)) {
    const unit = spec.kind === 'percent' ? '%' : '';
    return {
      ok: false,
      message: spec.max === null ? `Enter ${spec.min}${unit} or more.` : `Enter a value from ${spec.min}${unit} to ${spec.max}${unit}.`,
    };
  }
  return { ok: true, value: spec.kind === 'percent' ? round(number / 100, 6) : number };
}
