import { INPUT_PLACEHOLDER } from '../skills/skill-file';
import type { StructuralChange } from './types';

/**
 * A deterministic classifier for the common structural changes between a promoted prompt and its parent: an
 * examples block, a section (a "Header:" line with its lines), an output rule, an instruction added, a reordering.
 * Removals are not lessons: "stop saying X" only transfers to a prompt that says X, which another skill's rarely does.
 */

const EXAMPLES_HEADER = /^(examples?( of good answers)?|for example)\s*:?$/i;
const OUTPUT_RULE =
  /^(reply|respond|answer|output|return|print|give|write)\b|\b(only the|one line|on one line|json|no explanation|nothing else)\b/i;
const MAX_CHANGES = 6;

const norm = (line: string): string => line.trim().replace(/\s+/g, ' ').toLowerCase();
const contentLines = (prompt: string): string[] =>
  prompt
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.includes(INPUT_PLACEHOLDER));
const quote = (line: string): string => `"${line.length > 120 ? `${line.slice(0, 119)}…` : line}"`;

export function classifyChange(parent: string, child: string): StructuralChange[] {
  const before = contentLines(parent);
  const after = contentLines(child);
  const had = new Set(before.map(norm));
  const added = after.map((line, i) => ({ line, i })).filter(({ line }) => !had.has(norm(line)));
  const changes: StructuralChange[] = [];
  const used = new Set<number>();
  // An examples block: its header and every added line up to the next blank-free header.
  for (const { line, i } of added) {
    if (used.has(i) || !EXAMPLES_HEADER.test(line)) continue;
    const block = added.filter((a) => a.i >= i && (a.i === i || !/:$/.test(a.line) || a.line.startsWith('Input:')));
    block.forEach((a) => used.add(a.i));
    changes.push({ kind: 'examples', description: `added an examples block (${block.length - 1} example lines)`, lines: [line] });
  }
  // A section: an added "Header:" line followed by added lines.
  for (const { line, i } of added) {
    if (used.has(i) || !/:$/.test(line)) continue;
    const body: string[] = [];
    for (let j = i + 1; j < after.length && !had.has(norm(after[j])) && !/:$/.test(after[j]); j++) body.push(after[j]);
    if (body.length === 0) continue;
    [i, ...body.map((_, k) => i + 1 + k)].forEach((k) => used.add(k));
    changes.push({ kind: 'section', description: `added a section ${quote(line)} with ${body.length} line(s)`, lines: [line, ...body] });
  }
  for (const { line, i } of added) {
    if (used.has(i)) continue;
    const rule = OUTPUT_RULE.test(line);
    const description = `added ${rule ? 'an output rule' : 'the instruction'}: ${quote(line)}`;
    changes.push({ kind: rule ? 'output_rule' : 'instruction', description, lines: [line] });
  }
  if (changes.length === 0) {
    const keep = new Set(after.map(norm));
    const common = before.filter((l) => keep.has(norm(l)));
    const reordered = after.filter((l) => had.has(norm(l)));
    const moved = reordered.findIndex((l, k) => norm(l) !== norm(common[k] ?? ''));
    if (moved !== -1) {
      const next = reordered[moved + 1];
      const where = next ? `before ${quote(next)}` : 'last';
      changes.push({ kind: 'order', description: `moved ${quote(reordered[moved])} ${where}`, lines: [reordered[moved]] });
    }
  }
  return changes.slice(0, MAX_CHANGES);
}

/** The change applied by hand: its lines just before the input slot (or at the end). The transfer template's worked example. */
export function applyChange(prompt: string, change: StructuralChange): string {
  const lines = prompt.split('\n');
  let at = lines.findIndex((line) => line.includes(INPUT_PLACEHOLDER));
  if (at === -1) at = lines.length;
  while (at > 0 && lines[at - 1].trim() === '') at--;
  return [...lines.slice(0, at), ...change.lines, ...lines.slice(at)].join('\n');
}
