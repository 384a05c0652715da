/** "78%"; an em dash when unknown. */
export function pct(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return `${(value * 100).toFixed(digits)}%`;
}

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

const VERDICTS: Record<string, string> = {
  healthy: 'Healthy',
  too_few_samples: 'Collecting feedback',
  triggered: 'Evolution due',
  cooling_down: 'Cooling down',
  testing: 'A/B test running',
  rolled_back: 'Rolled back',
  disabled: 'Off',
  not_evolvable: 'Fixed prompt',
};

export function verdictLabel(verdict: string | null): string | null {
  if (!verdict) return null;
  return VERDICTS[verdict] ?? skillTitle(verdict);
}

/** What the task input is called in the choice window, per skill. */
export function inputLabel(skill: string): string {
  if (skill === 'file-naming') return 'File';
  if (skill === 'audio-actions') return 'Transcript';
  if (skill === 'markdown-analysis') return 'Document';
  if (skill === 'code-linting-fast') return 'Code';
  return 'Task';
}

/** One clear line from anything thrown across the API. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].trim() || 'Something went wrong.';
}
