import fs from 'node:fs';
import path from 'node:path';
import { APP_ROOT } from '../engine';

export interface NamingExample {
  input: string;
  expected: string;
  /** What a drifting prompt produces: too generic. */
  generic: string;
}

const EXAMPLES_DIR = path.join(APP_ROOT, 'skills', 'examples');

export function loadDemoExamples(): NamingExample[] {
  const rows = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, 'file-naming-demo.json'), 'utf8')) as [string, string, string][];
  return rows.map(([input, expected, generic]) => ({ input, expected, generic }));
}

/** The design's three example variants, one per "## Variant X" section. */
export function loadDemoVariants(): { letter: string; prompt: string }[] {
  const text = fs.readFileSync(path.join(EXAMPLES_DIR, 'file-naming-demo-variants.md'), 'utf8');
  return text
    .split(/^## Variant /m)
    .slice(1)
    .map((section) => ({ letter: section.slice(0, 1), prompt: section.slice(1).trim() }));
}

/** How each variant's output differs from what the user wants, for the vote rounds the demo shows. */
export function variantOutput(letter: string, example: NamingExample): string {
  const ext = path.extname(example.expected);
  const stem = example.expected.slice(0, example.expected.length - ext.length);
  const words = stem.split('-');
  if (letter === 'A') return `${words.slice(0, 3).join('-')}-mockup${ext}`;
  if (letter === 'B') return `${['blue', 'gray', 'white'][stem.length % 3]}-${words.slice(0, 2).join('-')}${ext}`;
  return example.expected;
}
