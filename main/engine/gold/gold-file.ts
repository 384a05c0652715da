import fs from 'node:fs';
import path from 'node:path';
import type { SkillDefinition } from '../skills/skill-file';
import { UserError } from '../util/errors';
import { promptHash } from '../util/ids';
import { problems, v } from '../util/schema';

/** A canonical example: an input and the output the skill must give for it. */
export interface GoldExample {
  /** Stable per content: `gold:<skill>:<hash>` for shipped ones (an edited example is a new one), the task id for pinned ones. */
  id: string;
  skill: string;
  input: string;
  expected: string;
  source: 'shipped' | 'pinned';
  /** Why it is canonical (shipped), or when it was pinned. */
  note: string | null;
}

const text = (what: string) => v.pipe(v.string(what), v.trim(), v.minLength(1, what));

const GOLD_FILE = v.strictObject({
  about: v.optional(v.string('a sentence saying what the examples are')),
  skill: text("the skill's name"),
  examples: v.pipe(
    v.array(
      v.strictObject({
        input: text('the input, a non-empty string'),
        expected: text('the expected output, a non-empty string'),
        why: v.optional(v.string('a sentence saying why the example is canonical')),
      }),
      'a list of examples',
    ),
    v.minLength(1, 'a list of at least one example'),
  ),
});

/** skills/examples/<skill>.gold.json next to the bundled skills. */
export const goldFileOf = (bundledDir: string, skill: string): string => path.join(bundledDir, 'examples', `${skill}.gold.json`);

/** The shipped gold examples of a skill (none when it has no file); a file that is not valid is one line naming it and the problem. */
export function loadShippedGold(bundledDir: string, skill: Pick<SkillDefinition, 'name'>): GoldExample[] {
  const file = goldFileOf(bundledDir, skill.name);
  if (!fs.existsSync(file)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw invalid(file, `not valid JSON (${(error as Error).message})`);
  }
  const parsed = v.safeParse(GOLD_FILE, raw);
  if (!parsed.success) throw invalid(file, problems(parsed.issues, GOLD_FILE)[0]);
  if (parsed.output.skill !== skill.name) throw invalid(file, `skill must be '${skill.name}' (got '${parsed.output.skill}')`);
  return parsed.output.examples.map((example) => ({
    id: `gold:${skill.name}:${promptHash(`${example.input}\u0000${example.expected}`).slice(0, 12)}`,
    skill: skill.name,
    input: example.input,
    expected: example.expected,
    source: 'shipped' as const,
    note: example.why ?? null,
  }));
}

const invalid = (file: string, message: string): UserError =>
  new UserError(`${file}: ${message}`, { exitCode: 2, code: 'invalid_gold_file' });
