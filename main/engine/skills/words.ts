/** Word-level helpers shared by the scorers. */

/** NFKC, Latin accents removed (café → cafe), apostrophes dropped so "Mom's" stays one word. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFKC')
    .replace(/['’`´]/g, '');
}

/** Lowercased words; anything that is not a letter, mark or digit separates them (emoji and punctuation vanish). */
export function wordTokens(text: string): string[] {
  return foldText(text)
    .toLowerCase()
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((word) => word !== '');
}

/** Length of the longest common subsequence of two token lists. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

/** Dice coefficient over multisets of tokens: 2·|A∩B| / (|A|+|B|). */
export function dice(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  const counts = new Map<string, number>();
  for (const token of a) counts.set(token, (counts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of b) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      common++;
      counts.set(token, left - 1);
    }
  }
  return (2 * common) / (a.length + b.length);
}

/**
 * One-to-one pairing of two lists by a similarity, greedy from the most similar pair down
 * (optimal matching is overkill for lists of a few items). Pairs below `minimum` stay unmatched.
 */
export function greedyMatch<T>(
  left: readonly T[],
  right: readonly T[],
  similarity: (a: T, b: T) => number,
  minimum: number,
): { pairs: Array<{ left: number; right: number; similarity: number }> } {
  const candidates: Array<{ left: number; right: number; similarity: number }> = [];
  left.forEach((a, i) =>
    right.forEach((b, j) => {
      const value = similarity(a, b);
      if (value >= minimum) candidates.push({ left: i, right: j, similarity: value });
    }),
  );
  candidates.sort((x, y) => y.similarity - x.similarity || x.left - y.left || x.right - y.right);
  const usedLeft = new Set<number>();
  const usedRight = new Set<number>();
  const pairs = [];
  for (const candidate of candidates) {
    if (usedLeft.has(candidate.left) || usedRight.has(candidate.right)) continue;
    usedLeft.add(candidate.left);
    usedRight.add(candidate.right);
    pairs.push(candidate);
  }
  return { pairs };
}
