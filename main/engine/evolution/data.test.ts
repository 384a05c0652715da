import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ROOT } from '../data-paths';
import { scoreFilename } from '../skills/scorers';

interface Failure {
  id: string;
  input: string;
  output: string;
  expected: string;
}

describe('skills/examples/file-naming-failures.json (the bench failure set)', () => {
  const file = path.join(APP_ROOT, 'skills', 'examples', 'file-naming-failures.json');
  const examples = (JSON.parse(fs.readFileSync(file, 'utf8')) as { examples: Failure[] }).examples;

  it('has 120 distinct, varied examples, each a real failure of the skill', () => {
    expect(examples).toHaveLength(120);
    expect(new Set(examples.map((e) => e.id)).size).toBe(120);
    expect(new Set(examples.map((e) => e.expected)).size).toBe(120);
    for (const e of examples) {
      expect(e.input.length).toBeGreaterThan(20);
      expect(scoreFilename(e.output, e.expected).success, e.id).toBe(false);
      expect(e.expected, e.id).toMatch(/^[\p{Ll}\p{N}@.-]+\.[a-z0-9]+$|^[A-Z]\w+\.tsx$/u);
    }
    const kinds = ['png', 'heic', 'jpg', 'pdf', 'md', 'txt', 'py', 'csv', 'xlsx', 'm4a', 'mp4', 'pptx', 'zip'];
    for (const ext of kinds)
      expect(
        examples.some((e) => e.expected.endsWith(`.${ext}`)),
        ext,
      ).toBe(true);
  });
});
