import type { StopKind } from './types';

export interface OutputRule {
  /** GBNF the sampler must follow, or null for free text. */
  grammar: string | null;
  /** Text that ends generation (not included in the result). */
  stopTriggers: string[];
  /** maxTokens when neither the request nor the runtime options set one. */
  defaultMaxTokens: number;
  /** Turns the raw model text into the result text. */
  clean: (text: string) => string;
}

/** One line: optional indent, then at least one visible character, no newline inside; the newline ends it. */
export const LINE_GRAMMAR = 'root ::= [ \\t]* [^ \\t\\r\\n] [^\\r\\n]* "\\n"?';

/**
 * A task prompt: text, the {{input}} slot, more text. End of generation is only grammatical after the slot, so a
 * small model cannot drop it (it can still run out of tokens first: the GA rejects that as truncated). Braces
 * are left for the slot alone; no shipped skill prompt uses others.
 */
export const PROMPT_GRAMMAR = 'root ::= [^{}]+ "{{input}}" [^{}]*';

const PREAMBLE =
  /^\s*(?:sure|okay|ok|certainly|of course|absolutely|here(?:'s| is| are)|below is|the (?:improved|new|revised|rewritten|updated) (?:prompt|version|instruction)s? is)\b[^\n]*?:[ \t]*(?:\n|$)/i;
const WRAPPING_QUOTES: ReadonlyArray<readonly [string, string]> = [
  ['"', '"'],
  ["'", "'"],
  ['“', '”'],
  ['`', '`'],
];

export function firstLine(text: string): string {
  return (text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '').trim();
}

export function cleanLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .join('\n');
}

/**
 * A bare answer: no "Sure! Here is the improved prompt:" line, no code fence, no wrapping quotes.
 * The GA stores the result as a prompt, so anything but the answer would be copied into every child.
 */
export function cleanBareAnswer(text: string): string {
  let out = text.trim();
  for (let i = 0; i < 2 && PREAMBLE.test(out); i++) out = out.replace(PREAMBLE, '').trim();
  const fenced = /^```[^\n]*\n([\s\S]*?)\n?```\s*$/.exec(out);
  if (fenced) out = fenced[1].trim();
  for (const [open, close] of WRAPPING_QUOTES) {
    if (out.length >= 2 && out.startsWith(open) && out.endsWith(close) && !out.slice(1, -1).includes(close)) {
      out = out.slice(1, -1).trim();
    }
  }
  return out;
}

// Models like to append a commentary after the answer; these headings end the answer.
const BARE_STOPS = ['\n\nExplanation', '\n\nNote:', '\n\n---', '\n\nThis prompt', '\n\nThis revised'];

const RULES: Record<StopKind, OutputRule> = {
  line: { grammar: LINE_GRAMMAR, stopTriggers: ['\n'], defaultMaxTokens: 64, clean: firstLine },
  lines: { grammar: null, stopTriggers: [], defaultMaxTokens: 256, clean: cleanLines },
  none: { grammar: null, stopTriggers: [], defaultMaxTokens: 512, clean: (text) => text.trim() },
  bare: { grammar: null, stopTriggers: BARE_STOPS, defaultMaxTokens: 384, clean: cleanBareAnswer },
  prompt: { grammar: PROMPT_GRAMMAR, stopTriggers: BARE_STOPS, defaultMaxTokens: 384, clean: cleanBareAnswer },
};

export const outputRule = (kind: StopKind = 'none'): OutputRule => RULES[kind];
