/** 0.734 → "73%"; null → `none`. */
export const percent = (x: number | null, none = 'n/a'): string => (x === null ? none : `${Math.round(x * 100)}%`);
