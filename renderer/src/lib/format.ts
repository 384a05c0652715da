import { percent } from '../../../contract/format';
/** "78%"; an em dash when unknown. */
export const pct = (value: number | null | undefined, digits = 0): string => percent(value, '—', digits);

export function formatEta(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 60) return 'less than a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}

const dayFormat = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric' });

export function formatDay(iso: string | null): string {
  if (!iso) return 'now';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dayFormat.format(date);
}

/** "file-naming" → "File Naming". */
export function skillTitle(skill: string): string {
  return skill
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(' ');
}

/** What the task input is called in the choice window, per skill. */
export function inputLabel(skill: string): string {
  if (skill === 'file-naming') return 'File';
  if (skill === 'audio-actions') return 'Voice memo';
  if (skill === 'markdown-analysis') return 'Document';
  if (skill === 'code-linting-fast') return 'Code';
  return 'Input';
}

/** What the choice window asks, per skill: "Which name is better?". */
export function choiceQuestion(skill: string): string {
  if (skill === 'file-naming') return 'Which name is better?';
  if (skill === 'audio-actions') return 'Which list of actions is better?';
  if (skill === 'markdown-analysis') return 'Which summary is better?';
  if (skill === 'code-linting-fast') return 'Which review is better?';
  return 'Which result is better?';
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "14 votes asked, 2 evolutions run" — what tinyArms cost this month; null when nothing yet. */
export function costLine(month: { votesAsked: number; evolutionsRun: number }): string | null {
  if (month.votesAsked === 0 && month.evolutionsRun === 0) return null;
  return `${plural(month.votesAsked, 'vote')} asked, ${plural(month.evolutionsRun, 'evolution')} run`;
}

/** A promotion's accuracy before → after ("75% → not measured yet" until the new version has results). */
export const gain = (before: number | null, after: number | null): string =>
  `${pct(before)} → ${after === null ? 'not measured yet' : pct(after)}`;

/** "File Naming 74% → 90%" per promotion this month, or "no prompt promoted yet". */
export function gainLine(gains: { skill: string; before: number | null; after: number | null }[]): string {
  if (gains.length === 0) return 'no prompt promoted yet';
  return gains.map((g) => `${skillTitle(g.skill)} ${gain(g.before, g.after)}`).join(', ');
}

/** One clear line from anything thrown across the API. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].trim() || 'Something went wrong.';
}
