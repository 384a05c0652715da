import type { PreferenceKey, PreferencesView } from '../../../contract/api';

export type NumericPreferenceKey = {
  [K in PreferenceKey]: PreferencesView[K] extends number ? K : never;
}[PreferenceKey];

/**
 * How a number preference is shown and typed. What values the engine can use is not here: the engine checks
 * every value (the same rules as config.yaml) and says why in words at the field.
 */
export interface NumericFieldSpec {
  key: NumericPreferenceKey;
  label: string;
  help: string;
  /** percent: the engine stores 0–1, the field shows 0–100. */
  kind: 'percent' | 'integer' | 'number';
  unit: string;
}

export const EVOLUTION_FIELDS: NumericFieldSpec[] = [
  {
    key: 'accuracyThreshold',
    label: 'Evolve below',
    kind: 'percent',
    unit: '% accuracy',
    help: 'A skill whose accuracy falls below this gets new prompts to test.',
  },
  {
    key: 'sampleSize',
    label: 'Judge after',
    kind: 'integer',
    unit: 'results',
    help: 'Results you review before a skill’s accuracy is judged.',
  },
  { key: 'cooldownHours', label: 'Wait between', kind: 'number', unit: 'hours', help: 'At most one evolution of a skill in this time.' },
  {
    key: 'minAccuracyImprovement',
    label: 'Promote a gain of',
    kind: 'percent',
    unit: 'points or more',
    help: 'A winner must beat the current prompt by this much to be promoted on its own.',
  },
  {
    key: 'rollbackThreshold',
    label: 'Roll back below',
    kind: 'percent',
    unit: '% accuracy',
    help: 'A promoted prompt that falls below this is rolled back. Lower than “Evolve below”.',
  },
  {
    key: 'goldShare',
    label: 'Gold examples',
    kind: 'percent',
    unit: '% of each evaluation',
    help: 'Examples every prompt must get right (shipped ones, and those you pin) in each score, so new prompts cannot forget them.',
  },
];

export const AB_FIELDS: NumericFieldSpec[] = [
  {
    key: 'votesRequired',
    label: 'Votes per test',
    kind: 'integer',
    unit: 'votes',
    help: 'A test ends at this many votes, if it was not decided sooner.',
  },
  {
    key: 'decisionConfidence',
    label: 'Decide when',
    kind: 'percent',
    unit: '% confident',
    help: 'A prompt wins early once tinyArms is this sure it is the best.',
  },
  {
    key: 'showProbability',
    label: 'Ask about',
    kind: 'percent',
    unit: '% of results',
    help: 'Share of a skill’s results shown to you as a vote during a test.',
  },
  {
    key: 'maxDurationDays',
    label: 'Longest test',
    kind: 'number',
    unit: 'days',
    help: 'A test is decided after this many days, whatever the votes.',
  },
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

/** Reads what was typed as a number in the engine's units; whether the engine can use it is the engine's to say. */
export function parseField(spec: NumericFieldSpec, text: string): ParseResult {
  const trimmed = text.trim().replace(/%$/, '').trim();
  if (trimmed === '') return { ok: false, message: 'Enter a number.' };
  const number = Number(trimmed.replace(',', '.'));
  if (!Number.isFinite(number)) return { ok: false, message: `“${text.trim()}” is not a number.` };
  if (spec.kind === 'integer' && !Number.isInteger(number)) return { ok: false, message: 'Enter a whole number.' };
  return { ok: true, value: spec.kind === 'percent' ? round(number / 100, 6) : number };
}

export const TEAM_FIELDS: NumericFieldSpec[] = [
  {
    key: 'teamVoteWeight',
    label: 'A teammate’s pick',
    kind: 'number',
    unit: 'of your votes',
    help: 'How much a teammate’s vote counts in your tests: 1 as much as yours, 0 not at all.',
  },
];
