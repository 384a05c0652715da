import { applyChange } from '../learning/structural-diff';
import type { OutputKind } from '../skills/skill-file';
import type { EvolutionData, Mistake } from './data';

/**
 * The text sent to the model for each operator. Every template shows one worked example (the data's
 * before → after for the skill's output kind) so a 360M model sees what to write: a bare prompt that
 * keeps the {{input}} line. The answer is read with the runtime's 'prompt' rule (its grammar keeps the slot).
 * The fixed part (instruction, example) comes first and what varies (mutation prompt, parent) last: a
 * sequence that just ran the same operator then only evaluates the tail (llama.cpp keeps the prefix).
 */

export const MUTATION_SYSTEM = 'You write prompts for a small language model. Reply with the new prompt only: no title, no explanation.';

/** Where every template's fixed part (instruction, worked example) ends: the same for every call of one operator. */
export const YOUR_TURN = 'Now your turn\n';

const KEEP = (slot: string) => `Keep the line "${slot}" exactly as it is, at the end.`;

/** One line of at most `max` characters (whitespace collapsed, cut with …). */
export const clip = (text: string, max = 240): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export const formatMistakes = (mistakes: readonly Mistake[]): string =>
  mistakes
    .map((m) => `- input: ${clip(m.input)}\n  answer: ${clip(m.output, 120) || '(empty)'}\n  wanted: ${clip(m.expected, 160)}`)
    .join('\n');

export const formatPairs = (pairs: readonly { input: string; expected: string }[]): string =>
  pairs.map((p) => `- input: ${clip(p.input)}\n  answer: ${clip(p.expected, 200)}`).join('\n');

interface Base {
  data: EvolutionData;
  kind: OutputKind;
  slotLine: string;
}

/** First-order: the unit's mutation prompt applied to its task prompt (a thinking style as a hint at initialisation). */
export function firstOrderTemplate(o: Base & { mutationPrompt: string; prompt: string; thinkingStyle?: string | null }): string {
  const ex = o.data.kinds[o.kind];
  return [
    `Rewrite the prompt as the instruction says. ${KEEP(o.slotLine)}`,
    '',
    'Example',
    `INSTRUCTION: ${o.data.mutationPrompts[0]}`,
    `PROMPT:\n${ex.before}`,
    `NEW PROMPT:\n${ex.after}`,
    '',
    YOUR_TURN.trimEnd(),
    `INSTRUCTION: ${o.mutationPrompt}${o.thinkingStyle ? ` Hint: ${o.thinkingStyle}` : ''}`,
    `PROMPT:\n${o.prompt}`,
    'NEW PROMPT:',
  ].join('\n');
}

/** Direct: the prompt and answers it got wrong; write one that fixes them. */
export function directTemplate(o: Base & { mutationPrompt: string; prompt: string; mistakes: readonly Mistake[] }): string {
  const ex = o.data.kinds[o.kind];
  return [
    `Improve the prompt so it fixes the mistakes. ${KEEP(o.slotLine)}`,
    '',
    'Example',
    `PROMPT:\n${ex.before}`,
    `MISTAKES:\n${formatMistakes(ex.mistakes)}`,
    `NEW PROMPT:\n${ex.after}`,
    '',
    YOUR_TURN.trimEnd(),
    `INSTRUCTION: ${o.mutationPrompt}`,
    `PROMPT:\n${o.prompt}`,
    `MISTAKES:\n${formatMistakes(o.mistakes)}`,
    'NEW PROMPT:',
  ].join('\n');
}

export function crossoverTemplate(o: Base & { a: string; b: string }): string {
  const ex = o.data.kinds[o.kind];
  return [
    `Combine the best parts of prompt A and prompt B into one prompt. ${KEEP(o.slotLine)}`,
    '',
    'Example',
    `PROMPT A:\n${ex.after}`,
    `PROMPT B:\n${ex.secondPrompt}`,
    `NEW PROMPT:\n${ex.combined}`,
    '',
    YOUR_TURN.trimEnd(),
    `PROMPT A:\n${o.a}`,
    `PROMPT B:\n${o.b}`,
    'NEW PROMPT:',
  ].join('\n');
}

/** Zero-order: a fresh prompt from the task description alone (plus a thinking style). */
export function zeroOrderTemplate(o: Base & { task: string; thinkingStyle: string }): string {
  const ex = o.data.kinds[o.kind];
  return [
    `Write a new prompt for the task from scratch. End the prompt with the line "${o.slotLine}".`,
    '',
    'Example',
    `TASK: ${ex.task}`,
    `NEW PROMPT:\n${ex.scratch}`,
    '',
    YOUR_TURN.trimEnd(),
    `TASK: ${o.task}`,
    `HINT: ${o.thinkingStyle}`,
    'NEW PROMPT:',
  ].join('\n');
}

/** Lamarckian: accepted input → answer pairs back to the instruction that would produce them. */
export function lamarckianTemplate(o: Base & { pairs: readonly { input: string; expected: string }[] }): string {
  const ex = o.data.kinds[o.kind];
  return [
    `Here are inputs and the answers the user wanted. Write the prompt that makes a model give such answers. End it with the line "${o.slotLine}".`,
    '',
    'Example',
    `EXAMPLES:\n${formatPairs(ex.mistakes.map((m) => ({ input: m.input, expected: m.expected })))}`,
    `NEW PROMPT:\n${ex.after}`,
    '',
    YOUR_TURN.trimEnd(),
    `EXAMPLES:\n${formatPairs(o.pairs)}`,
    'NEW PROMPT:',
  ].join('\n');
}

/** Hypermutation: improve the mutation prompt itself. */
export function hyperTemplate(o: { data: EvolutionData; hyperPrompt: string; mutationPrompt: string }): string {
  return [
    'Improve an instruction for rewriting prompts. Reply with one or two sentences.',
    '',
    'Example',
    `INSTRUCTION:\n${o.data.hyper.before}`,
    `IMPROVED INSTRUCTION:\n${o.data.hyper.after}`,
    '',
    YOUR_TURN.trimEnd(),
    `GOAL: ${o.hyperPrompt}`,
    `INSTRUCTION:\n${o.mutationPrompt}`,
    'IMPROVED INSTRUCTION:',
  ].join('\n');
}

/** The transfer template's worked example: one output rule added before the slot. */
const EXAMPLE_CHANGE = 'Reply with the answer only, nothing else.';

/** Transfer (cross-skill learning): apply a change that helped another skill's prompt to this one. */
export function transferTemplate(o: Base & { change: string; skill: string; prompt: string }): string {
  const ex = o.data.kinds[o.kind];
  const after = applyChange(ex.before, { kind: 'output_rule', description: '', lines: [EXAMPLE_CHANGE] });
  return [
    "This change made another skill's prompt work better. Make the same kind of change to the prompt, in its own words. " +
      KEEP(o.slotLine),
    '',
    'Example',
    `CHANGE: added an output rule: "${EXAMPLE_CHANGE}"`,
    `PROMPT:\n${ex.before}`,
    `NEW PROMPT:\n${after}`,
    '',
    YOUR_TURN.trimEnd(),
    `CHANGE: ${o.change} (it helped ${o.skill})`,
    `PROMPT:\n${o.prompt}`,
    'NEW PROMPT:',
  ].join('\n');
}
