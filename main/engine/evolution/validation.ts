import type { GenerateResult } from '../llm/types';
import { INPUT_PLACEHOLDER } from '../skills/skill-file';
import type { RejectionReason } from './types';

export interface ValidationOptions {
  stopReason: GenerateResult['stopReason'] | null;
  parent: string | null;
  /** Prompts already in the population (and accepted earlier in this round). */
  others: readonly string[];
  similarityThreshold: number;
  maxChars: number;
  /** Append `slotLine` when {{input}} is missing, instead of rejecting. */
  repairPlaceholder: boolean;
  /** The current prompt's input line, e.g. "File: {{input}}". */
  slotLine: string;
}

export type Validation = { ok: true; prompt: string; repaired: boolean } | { ok: false; reason: RejectionReason; detail: string };

// Labels our templates use; a small model often echoes them or runs on into the next example.
const ECHO_LINE =
  /^\s*(?:new prompt|prompt(?: [ab])?|combined prompt|improved instruction|instruction|mistakes|examples|now your turn|example|task|hint|goal)\s*:?\s*$|^\s*(?:instruction|task|hint|goal):\s/i;
const LEADING_LABEL = /^\s*(?:new prompt|combined prompt|improved prompt|prompt|improved instruction)\s*:\s*/i;

/** Cuts what follows the answer (an echoed template label) and a leading "NEW PROMPT:" label. */
export function stripTemplateEcho(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const end = lines.findIndex((line, i) => i > 0 && ECHO_LINE.test(line));
  const kept = (end === -1 ? lines : lines.slice(0, end)).join('\n');
  return kept.replace(LEADING_LABEL, '').trim();
}

/** Lowercased words (letters, digits and {{input}}), the unit of the similarity measure. */
export function similarityWords(text: string): string[] {
  return text.toLowerCase().match(/\{\{input\}\}|[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Normalised similarity of two prompts: 1 − word-level edit distance / length of the longer one.
 * Case, punctuation and spacing are ignored, so "Be concise." and "be concise" are the same prompt.
 */
export function promptSimilarity(a: string, b: string): number {
  const x = similarityWords(a);
  const y = similarityWords(b);
  const longer = Math.max(x.length, y.length);
  if (longer === 0) return 1;
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return 1 - previous[y.length] / longer;
}

/** The line holding {{input}} in a prompt ("File: {{input}}"), used to repair or to tell the model what to keep. */
export function slotLineOf(prompt: string): string {
  return (
    prompt
      .split('\n')
      .find((line) => line.includes(INPUT_PLACEHOLDER))
      ?.trim() ?? `Input: ${INPUT_PLACEHOLDER}`
  );
}

/** Accepts a generated prompt or says why not: empty, truncated, too long, lost {{input}}, or a near-copy. */
export function validateMutant(raw: string, options: ValidationOptions): Validation {
  let prompt = stripTemplateEcho(raw);
  if (prompt === '' || similarityWords(prompt).length === 0) return { ok: false, reason: 'empty', detail: 'no text' };
  if (options.stopReason === 'maxTokens') return { ok: false, reason: 'truncated', detail: 'stopped at the token cap' };
  if (prompt.length > options.maxChars) {
    return { ok: false, reason: 'too_long', detail: `${prompt.length} characters, at most ${options.maxChars}` };
  }
  let repaired = false;
  if (!prompt.includes(INPUT_PLACEHOLDER)) {
    if (!options.repairPlaceholder) return { ok: false, reason: 'no_placeholder', detail: `lost the ${INPUT_PLACEHOLDER} placeholder` };
    prompt = `${prompt}\n\n${options.slotLine}`;
    repaired = true;
  }
  const against = options.parent === null ? options.others : [options.parent, ...options.others];
  for (const other of against) {
    const similarity = promptSimilarity(prompt, other);
    if (similarity > options.similarityThreshold) {
      const whom = other === options.parent ? 'its parent' : 'another member';
      return { ok: false, reason: 'near_copy', detail: `${(similarity * 100).toFixed(0)}% similar to ${whom}` };
    }
  }
  return { ok: true, prompt, repaired };
}
