import type { OutputKind } from './skill-file';
import { splitExtension } from './filename-words';
import { formatLintFinding, parseLintFindings } from './lint-findings';
import { listItems } from './list-items';

export const MAX_FILENAME_LENGTH = 255;

/** Cleans a raw model answer into what is shown to the user and stored as the skill's output. */
export function parseOutput(kind: OutputKind, raw: string): string {
  switch (kind) {
    case 'filename':
      return parseFilename(raw);
    case 'list':
      return listItems(raw)
        .map((item) => `- ${item}`)
        .join('\n');
    case 'text':
      return parseText(raw);
    case 'lint':
      return parseLintFindings(raw).map(formatLintFinding).join('\n');
  }
}

const FENCE = /^```/;
// Small models open with chatter ("Sure! Here's a name for the image:") before the answer.
const CHATTER = /^(?:sure|okay|ok|certainly|of course|here(?:'s| is| are)|i (?:suggest|recommend|would))\b/i;
const LABEL =
  /^(?:(?:suggested|new|proposed|descriptive|recommended)\s+)?(?:file\s*name|name|output|answer|result|rename(?:d)?(?:\s+(?:it\s+)?to)?)\s*:\s*/i;
const QUOTES = /^["'`“”‘’«»]+|["'`“”‘’«»]+$/g;
const QUOTED = /[`"“]([^`"”]+)[`"”]/;
// The end of a file name followed by an explanation: "hero.png - shows the hero", "hero.png (kebab-case)".
const NAME_WITH_EXTENSION = /^(.*?[\p{L}\p{N}_)\]-]\.[A-Za-z0-9]{1,5})(?=[\s,;!?(]|\.?$)/u;

const meaningfulLines = (raw: string): string[] =>
  raw
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !FENCE.test(line));

function parseFilename(raw: string): string {
  const lines = meaningfulLines(raw);
  const isLeadIn = (line: string, i: number): boolean => i < lines.length - 1 && (line.endsWith(':') || CHATTER.test(line));
  let name = lines.find((line, i) => !isLeadIn(line, i)) ?? '';

  name = name
    .replace(/^(?:[-*•]|\d{1,2}[.)])\s+/, '')
    .replace(/\*\*/g, '')
    .trim();
  name = name.replace(LABEL, '').trim();
  const quoted = QUOTED.exec(name);
  if (quoted && name.replace(quoted[0], '').trim() !== '') name = quoted[1];
  name = name.replace(QUOTES, '').trim();

  const withExtension = NAME_WITH_EXTENSION.exec(name);
  if (withExtension && splitExtension(withExtension[1]).extension !== '') name = withExtension[1];
  // Slashes and control characters can never be part of a file name.
  name = name
    .replace(/[/\\\p{Cc}]+/gu, '-')
    .replace(/\.+$/, '')
    .trim();
  return truncateName(name);
}

function truncateName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= MAX_FILENAME_LENGTH) return name;
  const { stem, extension } = splitExtension(name);
  const suffix = extension === '' ? '' : `.${name.slice(name.length - extension.length)}`;
  return (
    Array.from(stem)
      .slice(0, MAX_FILENAME_LENGTH - suffix.length)
      .join('')
      .trimEnd() + suffix
  );
}

function parseText(raw: string): string {
  let lines = raw.replace(/\r\n?/g, '\n').trim().split('\n');
  if (lines.length > 1 && CHATTER.test(lines[0]) && lines[0].trimEnd().endsWith(':')) lines = lines.slice(1);
  // A whole answer wrapped in one ```markdown fence.
  const fences = lines.filter((line) => FENCE.test(line.trim())).length;
  if (fences === 2 && FENCE.test(lines[0].trim()) && FENCE.test((lines.at(-1) ?? '').trim())) lines = lines.slice(1, -1);
  return lines.join('\n').trim();
}
