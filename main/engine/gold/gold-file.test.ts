import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getScorer } from '../skills/scorers';
import { BUNDLED_SKILLS_DIR, SkillRegistry } from '../skills/skill-registry';
import { goldFileOf, loadShippedGold } from './gold-file';

const registry = new SkillRegistry({ dataDir: os.tmpdir() });
let dir: string | null = null;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('shipped gold examples (skills/examples/<skill>.gold.json)', () => {
  it('every skill ships a handful that load, have distinct ids, and score as right against themselves', () => {
    for (const skill of registry.list()) {
      const gold = loadShippedGold(BUNDLED_SKILLS_DIR, skill);
      expect(gold.length, skill.name).toBeGreaterThanOrEqual(5);
      expect(new Set(gold.map((g) => g.id)).size).toBe(gold.length);
      const scorer = getScorer(skill.scorer);
      for (const g of gold) {
        expect(g).toMatchObject({ skill: skill.name, source: 'shipped' });
        expect(g.id).toMatch(new RegExp(`^gold:${skill.name}:[0-9a-f]{12}$`));
        expect(scorer(g.expected, g.expected)).toEqual({ score: 1, success: true });
      }
    }
  });

  it('scores a wrong answer as wrong, so a prompt that breaks a gold example loses fitness', () => {
    const cases: Record<string, string> = {
      'file-naming': 'screenshot-image.png',
      'audio-actions': '- Think about the weather',
      'markdown-analysis': '- The document was edited',
      'code-linting-fast': '1: no-console-log',
    };
    for (const skill of registry.list()) {
      const scorer = getScorer(skill.scorer);
      const wrong = loadShippedGold(BUNDLED_SKILLS_DIR, skill).map((g) => scorer(cases[skill.name], g.expected));
      expect(
        wrong.every((r) => !r.success),
        skill.name,
      ).toBe(true);
    }
  });

  it('a skill without a gold file has none; a bad file is one line naming the file and what is wrong', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gold-'));
    const skill = { name: 'file-naming' };
    expect(loadShippedGold(dir, skill)).toEqual([]);
    const file = goldFileOf(dir, 'file-naming');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const write = (value: unknown) => fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    write('{ nope');
    expect(() => loadShippedGold(dir!, skill)).toThrow(/file-naming\.gold\.json: not valid JSON/);
    write({ skill: 'file-naming', examples: [{ input: 'a.png', expected: '' }] });
    expect(() => loadShippedGold(dir!, skill)).toThrow(/examples\[0\]\.expected must be the expected output, a non-empty string/);
    write({ skill: 'audio-actions', examples: [{ input: 'a.png', expected: 'b.png' }] });
    expect(() => loadShippedGold(dir!, skill)).toThrow(/skill must be 'file-naming' \(got 'audio-actions'\)/);
    write({ skill: 'file-naming', examples: [{ input: 'a.png', expected: 'b.png', extra: 1 }] });
    expect(() => loadShippedGold(dir!, skill)).toThrow(/unknown field 'extra'/);
  });
});
