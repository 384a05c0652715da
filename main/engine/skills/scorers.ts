import { UserError } from '../util/errors';
import { filenameWords } from './filename-words';
import { parseLintFindings, type LintFinding } from './lint-findings';
import { listItems } from './list-items';
import { dice, greedyMatch, lcsLength, wordTokens } from './words';

export interface ScoreResult {
  score: number;
  success: boolean;
}
/** Compares a model output with the user's final version of it. */
export type Scorer = (output: string, expected: string) => ScoreResult;

const result = (score: number, success: boolean): ScoreResult => ({ score: Math.min(1, Math.max(0, score)), success });

/**
 * file-naming. Score = LCS of the word lists / length of the longer one: words must be kept, and kept in
 * order ("mobile-hero" vs "hero-mobile" = 0.5). LCS rather than edit distance because a replaced word is
 * simply a wrong word; it earns nothing. Names whose words only differ in where they are split
 * ("screen-shot" vs "screenshot") are the same name. Success = the same words (score 1): any other
 * difference means the user had to retype part of the name.
 * The scorer does not strip chatter like "Filename:"; parseOutput('filename', …) does that before storing.
 */
export const scoreFilename: Scorer = (output, expected) => {
  const a = filenameWords(output);
  const b = filenameWords(expected);
  if (a.length === 0 || b.length === 0) return result(a.length === b.length ? 1 : 0, a.length === b.length);
  if (a.join('') === b.join('')) return result(1, true);
  const score = lcsLength(a, b) / Math.max(a.length, b.length);
  return result(score, score === 1);
};

// Filler words carry no meaning in an action item ("Call Sarah about the budget" = "call sarah re budget").
const STOPWORDS = new Set(
  'a an the to of for and or in on at by with about re please then also my our your their this that it is be'.split(' '),
);
const contentWords = (text: string): string[] => {
  const words = wordTokens(text);
  const content = words.filter((word) => !STOPWORDS.has(word));
  return content.length > 0 ? content : words;
};

// Two items are "the same action item" when half their content words agree (Dice ≥ 0.5):
// "Email John the slides" ~ "Email John the Q3 slides by Friday" (0.75), but "Call Sarah" ≁ "Book a room".
const ITEM_MATCH = 0.5;
// A list counts as right when every item found its partner and the wording is close on average.
const LIST_SUCCESS = 0.8;

/**
 * audio-actions. Items are paired one-to-one by word overlap; score = soft F1 = 2·Σ similarity of the
 * pairs / (items in output + items expected), so a missing or invented item costs a whole item and a
 * reworded one costs a little. Success = every item on both sides paired and score ≥ 0.8.
 */
export const scoreList: Scorer = (output, expected) => {
  const a = listItems(output).map(contentWords);
  const b = listItems(expected).map(contentWords);
  if (a.length === 0 || b.length === 0) return result(a.length === b.length ? 1 : 0, a.length === b.length);
  const { pairs } = greedyMatch(a, b, dice, ITEM_MATCH);
  const score = (2 * pairs.reduce((sum, pair) => sum + pair.similarity, 0)) / (a.length + b.length);
  const allPaired = pairs.length === a.length && pairs.length === b.length;
  return result(score, allPaired && score >= LIST_SUCCESS);
};

// Measured on realistic summaries (see scorers.test.ts): keeping the model's text and fixing or adding a
// few words stays ≥ 0.7; rewriting it in one's own words, or dropping half of it, falls below.
const TEXT_SUCCESS = 0.7;

/**
 * markdown-analysis. ROUGE-L F1: the LCS of the normalised word sequences (markdown symbols and
 * punctuation dropped) gives precision against the output and recall against the user's text.
 */
export const scoreText: Scorer = (output, expected) => {
  const a = wordTokens(output);
  const b = wordTokens(expected);
  if (a.length === 0 || b.length === 0) return result(a.length === b.length ? 1 : 0, a.length === b.length);
  const common = lcsLength(a, b);
  const score = common === 0 ? 0 : (2 * common) / (a.length + b.length);
  return result(score, score >= TEXT_SUCCESS);
};

// Same rule on another line (or with no line on one side) is half right: the model saw the problem.
const findingSimilarity = (x: LintFinding, y: LintFinding): number => (x.rule !== y.rule ? 0 : x.line === y.line ? 1 : 0.5);

/**
 * code-linting-fast. Findings (rule id + line; the message is ignored) are paired one-to-one; score = F1
 * with a half-credit pair for the right rule on the wrong line. Success = the same findings (score 1);
 * "no findings" on both sides is a success.
 */
export const scoreLint: Scorer = (output, expected) => {
  const a = parseLintFindings(output);
  const b = parseLintFindings(expected);
  if (a.length === 0 || b.length === 0) return result(a.length === b.length ? 1 : 0, a.length === b.length);
  const { pairs } = greedyMatch(a, b, findingSimilarity, 0.5);
  const score = (2 * pairs.reduce((sum, pair) => sum + pair.similarity, 0)) / (a.length + b.length);
  return result(score, score === 1);
};

const scorers: Readonly<Record<string, Scorer>> = {
  filename: scoreFilename,
  list: scoreList,
  text: scoreText,
  lint: scoreLint,
};

export const scorerNames: readonly string[] = Object.freeze(Object.keys(scorers));

export function getScorer(name: string): Scorer {
  const scorer = Object.hasOwn(scorers, name) ? scorers[name] : undefined;
  if (!scorer) {
    throw new UserError(`unknown scorer '${name}' (known: ${scorerNames.join(', ')})`, {
      exitCode: 2,
      code: 'unknown_scorer',
    });
  }
  return scorer;
}
