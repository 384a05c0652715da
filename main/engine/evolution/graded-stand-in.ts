import { DeterministicTextModel } from '../llm/deterministic-text-model';
import type { GenerateRequest } from '../llm/types';
import { scoreFilename } from '../skills/scorers';
import { sha256 } from '../util/ids';
import { createRng, pickFrom, shuffle, type Rng } from '../util/random';
import { YOUR_TURN } from './templates';

/**
 * A stand-in for SmolLM2 where every prompt's true fitness is known, to compare GA variants (racing, halving,
 * operator policies) at equal seeds. A file-naming prompt is a set of instruction sentences from a pool; each
 * sentence has a hidden effect on accuracy, so p(prompt) = 0.05 + 0.9 × sigmoid(BIAS + Σ effects). On one example
 * the prompt names the file right with probability p, else half the time half right, half the time as it was.
 * Mutations behave like a small instruct model: an edit of a sentence or two, a mix of two parents, a fresh
 * prompt; one answer in six loses the {{input}} slot. Everything is a hash of the request: same request, same answer.
 *
 * Cross-skill learning (bench:evolve --transfer) needs two skills with features in common: a task is a pool of
 * sentences with their effects; SHARED_SENTENCES help every task (reading the input first, checking the rules), and
 * TRANSFER_TASKS pair file-naming with a photo-naming skill that shares them. A transfer request ("CHANGE: …")
 * adds the change's sentences the task knows to the parent; a change the task does not know changes nothing.
 */

/** Sentences a prompt can be made of, with their hidden effect (logit). The shipped prompt's four come first. */
export const SENTENCES: readonly (readonly [string, number])[] = [
  ['You are renaming a file based on its visual content.', 0],
  ['Analyze the image and generate a descriptive filename using kebab-case.', 0.2],
  ['Be concise but specific.', 0.1],
  ['Reply with only the new filename on one line, keeping the original extension.', 0.3],
  ['Name the main subject first, then the context.', 0.9],
  ['Use the words of the text in the image when there are some.', 0.8],
  ['Never use generic words like image, screenshot or file.', 0.6],
  ['Add the platform, mobile or desktop, when the size shows it.', 0.5],
  ['Name the state (error, empty, hover) when the text shows it.', 0.4],
  ['Use three to five words.', 0.3],
  ['Include a version number when the name shows one.', 0.2],
  ['Prefer nouns over adjectives.', 0.15],
  ['Keep it short.', 0.05],
  ['Write every word in lowercase.', 0.1],
  ['Include the date and time from the original name.', -0.7],
  ['Describe the colours you see.', -0.5],
  ['Be creative and playful.', -0.6],
  ['Start every name with the app name.', -0.3],
  ['Explain your choice before the name.', -0.9],
  ['Use camelCase for the words.', -0.8],
  ['Mention the file size.', -0.4],
  ['Write the name in title case.', -0.5],
  ['Think about what the user would search for.', 0.25],
  ['Avoid abbreviations.', -0.1],
];

const BIAS = -1.0;

/** A skill as the stand-in sees it: the sentences its prompts are made of, each with its hidden effect (logit). */
export interface GradedTask {
  name: string;
  sentences: readonly (readonly [string, number])[];
}

export const FILE_NAMING_TASK: GradedTask = { name: 'file-naming', sentences: SENTENCES };

/** Features that help every skill (the design's "prioritized metadata" kind of structure). */
export const SHARED_SENTENCES: readonly (readonly [string, number])[] = [
  ['First find the key facts in the input, then write the answer.', 0.8],
  ['Check the answer against every rule before replying.', 0.6],
  ['Use the exact words of the input where you can.', 0.5],
  ['If unsure, give the most likely answer rather than none.', 0.4],
];

/** A second naming skill: its own sentences (the shipped prompt's four first), and the shared ones. */
const PHOTO_SENTENCES: readonly (readonly [string, number])[] = [
  ['You are naming a photo from the camera roll.', 0],
  ['Describe the photo in a short kebab-case filename.', 0.2],
  ['Be brief.', 0.1],
  ['Keep the original extension.', 0.3],
  ['Name the place or event first.', 0.5],
  ['Include the people or animals you see.', 0.4],
  ['Use the season when it is clear.', 0.2],
  ['Prefer common words.', 0.15],
  ['Add the year when the name shows it.', 0.1],
  ['Mention the camera model.', -0.6],
  ['Describe the lighting in detail.', -0.5],
  ['Use emoji.', -0.8],
  ['Write a full sentence.', -0.7],
  ['Guess the mood of the photo.', -0.3],
  ['Use underscores between words.', -0.6],
  ['Put the time first.', -0.4],
  // Instructions that hardly matter: most of what a prompt could say (a random prompt is mostly these).
  ['Think about where the photo was taken.', 0.05],
  ['Avoid repeating words.', 0.05],
  ['Mention the main colour only if it matters.', 0],
  ['Do not use the word photo.', 0.05],
  ['Keep numbers as digits.', 0],
  ['Use American spelling.', 0],
  ['Leave out articles like a and the.', 0.05],
  ['Mention the weather when it is visible.', -0.05],
  ['Prefer the name of the city over the country.', 0],
  ['Describe the background too.', -0.2],
  ['Name the photographer when known.', -0.2],
  ['Use at most eight words.', 0],
  ['Mention whether it is indoors or outdoors.', -0.1],
  ['Start with a verb.', -0.2],
  ['Add a hashtag.', -0.3],
  ['Include the file number from the camera.', -0.2],
];

/** Skill A (file-naming) and skill B (photo-naming), sharing SHARED_SENTENCES: bench:evolve --transfer. */
export const TRANSFER_TASKS: readonly [GradedTask, GradedTask] = [
  { name: 'file-naming', sentences: [...SENTENCES, ...SHARED_SENTENCES] },
  { name: 'photo-naming', sentences: [...PHOTO_SENTENCES, ...SHARED_SENTENCES] },
];

/** The prompt a task ships with: its four first sentences. */
export const shippedPrompt = (task: GradedTask): string => promptOf(task.sentences.slice(0, 4).map(([s]) => s));
const SLOT = 'File: {{input}}';
const MUTATION_PROMPT_ANSWERS = [
  'Rewrite the prompt so it is clearer.',
  'Make the prompt more specific about the subject.',
  'Shorten the prompt and keep the key rules.',
];

export interface GradedCase {
  input: string;
  expected: string;
  /** What the file was named before (the wrong answer). */
  wrong: string;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const uniform = (text: string): number => parseInt(sha256(text).slice(0, 8), 16) / 2 ** 32;

export const sentencesOf = (prompt: string, task: GradedTask = FILE_NAMING_TASK): string[] =>
  task.sentences.filter(([s]) => prompt.includes(s)).map(([s]) => s);

/** Probability that the prompt names a file right. */
export function namingProbability(prompt: string, task: GradedTask = FILE_NAMING_TASK): number {
  const effect = task.sentences.reduce((sum, [s, w]) => sum + (prompt.includes(s) ? w : 0), 0);
  return 0.05 + 0.9 * sigmoid(BIAS + effect);
}

const halfRight = (expected: string): string => {
  const [stem, ext] = [expected.replace(/\.[^.]+$/, ''), expected.match(/\.[^.]+$/)?.[0] ?? ''];
  const words = stem.split('-');
  return `${words.slice(0, Math.max(1, Math.floor(words.length / 2))).join('-')}-image${ext}`;
};

/** Expected score of the prompt over the cases: what the GA tries to maximise, known exactly here. */
export function trueFitness(prompt: string, cases: readonly GradedCase[], task: GradedTask = FILE_NAMING_TASK): number {
  const p = namingProbability(prompt, task);
  const total = cases.reduce(
    (sum, c) =>
      sum + p + ((1 - p) / 2) * (scoreFilename(halfRight(c.expected), c.expected).score + scoreFilename(c.wrong, c.expected).score),
    0,
  );
  return cases.length > 0 ? total / cases.length : 0;
}

export const promptOf = (sentences: readonly string[]): string => `${sentences.join('\n')}\n\n${SLOT}`;

function section(text: string, label: string, next: string[]): string {
  const at = text.lastIndexOf(`${label}\n`);
  if (at < 0) return '';
  const rest = text.slice(at + label.length + 1);
  const end = Math.min(...next.map((n) => rest.indexOf(`\n${n}`)).filter((i) => i >= 0), rest.length);
  return rest.slice(0, end);
}

function edit(parent: readonly string[], rng: Rng, task: GradedTask): string[] {
  const pool = task.sentences.map(([s]) => s).filter((s) => !parent.includes(s));
  const out = [...parent];
  const r = rng.next();
  if ((r < 0.45 || out.length < 2) && pool.length > 0) out.splice(Math.floor(rng.next() * (out.length + 1)), 0, pickFrom(rng, pool));
  else if (r < 0.7) out.splice(Math.floor(rng.next() * out.length), 1);
  else if (pool.length > 0) out.splice(Math.floor(rng.next() * out.length), 1, pickFrom(rng, pool));
  return out;
}

/** A mutation answer for one of the GA's templates (see templates.ts). */
function mutate(request: GenerateRequest, rng: Rng, task: GradedTask): string {
  const prompt = request.prompt;
  if (prompt.includes('IMPROVED INSTRUCTION:')) return pickFrom(rng, MUTATION_PROMPT_ANSWERS);
  const turn = prompt.slice(prompt.lastIndexOf(YOUR_TURN));
  const known = (text: string) => sentencesOf(text, task);
  let sentences: string[];
  if (turn.includes('CHANGE:')) {
    const parent = known(section(turn, 'PROMPT:', ['NEW PROMPT:']));
    const change = turn.slice(turn.indexOf('CHANGE:'), turn.indexOf('\n', turn.indexOf('CHANGE:')));
    sentences = [...parent, ...known(change).filter((s) => !parent.includes(s))];
  } else if (turn.includes('PROMPT A:')) {
    const both = [...new Set([...known(section(turn, 'PROMPT A:', ['PROMPT B:'])), ...known(section(turn, 'PROMPT B:', ['NEW PROMPT:']))])];
    sentences = both.filter(() => rng.next() < 0.6);
    if (sentences.length < 2) sentences = shuffle(rng, both).slice(0, 2);
  } else if (turn.includes('TASK:') || turn.includes('EXAMPLES:')) {
    sentences = shuffle(
      rng,
      task.sentences.map(([s]) => s),
    ).slice(0, 3 + Math.floor(rng.next() * 4));
  } else {
    sentences = edit(known(section(turn, 'PROMPT:', ['MISTAKES:', 'NEW PROMPT:'])), rng, task);
  }
  const text = promptOf(sentences);
  return rng.next() < 1 / 6 ? text.replace(`\n\n${SLOT}`, '') : text;
}

/** The graded stand-in over these cases (a skill run answers by the case whose input is in the prompt). */
export function gradedModel(
  cases: readonly GradedCase[],
  id = 'graded-stand-in',
  task: GradedTask = FILE_NAMING_TASK,
): DeterministicTextModel {
  return new DeterministicTextModel((request) => {
    if (request.stop === 'bare' || request.stop === 'prompt')
      return mutate(request, createRng(sha256(`${request.prompt}|${request.seed ?? 0}`)), task);
    const match = cases.find((c) => request.prompt.includes(c.input));
    if (!match) return 'unknown.png';
    const prefix = request.prompt.slice(0, request.prompt.indexOf(match.input));
    const p = namingProbability(prefix, task);
    const u = uniform(`${prefix}|${match.input}`);
    return u < p ? match.expected : u < p + (1 - p) / 2 ? halfRight(match.expected) : match.wrong;
  }, id);
}
