/**
 * 0.734 → "73%" (or "73.4%" with one digit); `none` for a value that is not known. The one percent format of the
 * engine's words, the CLI and the renderer.
 */
export function percent(value: number | null | undefined, none = 'n/a', digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return none;
  return `${(value * 100).toFixed(digits)}%`;
}
