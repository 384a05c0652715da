import { diffLines } from 'diff';

export type DiffKind = 'same' | 'added' | 'removed';

export interface DiffLine {
  kind: DiffKind;
  text: string;
  /** 1-based line number in the old text (same, removed) and in the new text (same, added). */
  oldLine: number | null;
  newLine: number | null;
}

const normalise = (text: string): string => text.replace(/\r\n?/g, '\n');

/** The version diff, line by line (the `diff` package's Myers diff), numbered in both texts. */
export function lineDiff(oldText: string, newText: string): DiffLine[] {
  const out: DiffLine[] = [];
  let oldLine = 1;
  let newLine = 1;
  // A final newline is a line ending, not an empty line: compare both texts with one.
  const withEnd = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}\n`);
  for (const part of diffLines(withEnd(normalise(oldText)), withEnd(normalise(newText)))) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    for (const text of lines) {
      if (part.added) out.push({ kind: 'added', text, oldLine: null, newLine: newLine++ });
      else if (part.removed) out.push({ kind: 'removed', text, oldLine: oldLine++, newLine: null });
      else out.push({ kind: 'same', text, oldLine: oldLine++, newLine: newLine++ });
    }
  }
  return out;
}

export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of lines) {
    if (line.kind === 'added') added++;
    else if (line.kind === 'removed') removed++;
  }
  return { added, removed };
}
