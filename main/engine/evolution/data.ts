import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OutputKind } from '../skills/skill-file';

export interface Mistake {
  input: string;
  output: string;
  expected: string;
}

export interface KindExample {
  task: string;
  before: string;
  after: string;
  mistakes: Mistake[];
  secondPrompt: string;
  combined: string;
  scratch: string;
}

export interface EvolutionData {
  mutationPrompts: string[];
  thinkingStyles: string[];
  hyperMutationPrompts: string[];
  hyper: { before: string; after: string };
  kinds: Record<OutputKind, KindExample>;
}

const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));

const readJson = (name: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(`${DATA_DIR}${name}`, 'utf8')) as Record<string, unknown>;

let cached: EvolutionData | null = null;

/** The shipped seed mutation prompts, thinking styles and worked examples (memoized). */
export function loadEvolutionData(): EvolutionData {
  if (cached) return cached;
  const mutation = readJson('mutation-prompts.json');
  const styles = readJson('thinking-styles.json');
  const worked = readJson('worked-examples.json');
  const data: EvolutionData = {
    mutationPrompts: mutation.mutationPrompts as string[],
    thinkingStyles: styles.thinkingStyles as string[],
    hyperMutationPrompts: styles.hyperMutationPrompts as string[],
    hyper: worked.hyper as EvolutionData['hyper'],
    kinds: worked.kinds as EvolutionData['kinds'],
  };
  for (const [name, list] of [
    ['mutationPrompts', data.mutationPrompts],
    ['thinkingStyles', data.thinkingStyles],
  ] as const) {
    if (!Array.isArray(list) || list.length === 0 || list.some((item) => typeof item !== 'string' || item.trim() === '')) {
      throw new Error(`evolution data: ${name} must be a non-empty list of strings`);
    }
  }
  cached = data;
  return data;
}
