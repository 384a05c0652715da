import fs from 'node:fs';
import path from 'node:path';
import { APP_ROOT } from '../data-paths';
import { writeFileAtomic } from '../util/atomic-write';
import { closest } from '../util/suggest';
import { UserError, usageError } from '../util/errors';
import { INPUT_PLACEHOLDER, isValidSkillName, parseSkillFile, serializeSkillFile, type SkillDefinition } from './skill-file';

/** The repo's skills/ folder: the app's own v1 skills. Never written to. */
export const BUNDLED_SKILLS_DIR = path.join(APP_ROOT, 'skills');

export interface VersionMeta {
  source?: string;
  reasoning?: string;
  created_at?: string;
}

const VERSION_FILE = /^(.+)-v(\d+)\.md$/;
// Template paths are stored relative to a root ("skills/file-naming-v2.md") so the data folder can move.
const TEMPLATE_PATH = /^skills\/([a-z0-9][a-z0-9-]*\.md)$/;

export class SkillRegistry {
  readonly dataDir: string;
  readonly bundledDir: string;
  private skills: Map<string, SkillDefinition> | null = null;

  constructor(options: { dataDir: string; bundledDir?: string }) {
    this.dataDir = path.resolve(options.dataDir);
    this.bundledDir = path.resolve(options.bundledDir ?? BUNDLED_SKILLS_DIR);
  }

  /** Bundled skills (v1), sorted by name. */
  list(): SkillDefinition[] {
    return [...this.load().values()];
  }

  get(name: string): SkillDefinition {
    const skill = this.load().get(name);
    if (!skill) {
      const known = [...this.load().keys()];
      const guess = closest(name, known);
      throw new UserError(`unknown skill '${name}' (${guess ? `did you mean ${guess}?` : `known: ${known.join(', ')}`})`, {
        exitCode: 2,
        code: 'unknown_skill',
      });
    }
    return skill;
  }

  has(name: string): boolean {
    return this.load().has(name);
  }

  /** 'skills/x-v2.md' → the data folder's copy if it exists, else the app's; UserError if neither. */
  resolveTemplatePath(relative: string): string {
    const file = templateFileName(relative);
    const candidates = [path.join(this.dataDir, 'skills', file), path.join(this.bundledDir, file)];
    const found = candidates.find((candidate) => fs.existsSync(candidate));
    if (!found) {
      throw new UserError(`skill template '${relative}' not found (looked in ${candidates.join(' and ')})`, {
        code: 'template_not_found',
      });
    }
    return found;
  }

  loadVersion(name: string, templatePath: string): SkillDefinition {
    const file = path.isAbsolute(templatePath) ? templatePath : this.resolveTemplatePath(templatePath);
    const def = parseSkillFile(fs.readFileSync(file, 'utf8'), file);
    if (def.name !== name) {
      throw new UserError(`${file}: this is a version of skill '${def.name}', not '${name}'`, {
        exitCode: 2,
        code: 'invalid_skill_file',
      });
    }
    return def;
  }

  versionFileRelative(name: string, version: number): string {
    if (!isValidSkillName(name)) throw usageError(`invalid skill name '${name}'`);
    if (!Number.isInteger(version) || version < 1) throw usageError(`invalid skill version ${version} (a whole number ≥ 1)`);
    return version === 1 ? `skills/${name}.md` : `skills/${name}-v${version}.md`;
  }

  /** Versions of `name` present in the data folder, ascending (useful to pick the next free number). */
  dataVersions(name: string): number[] {
    const dir = path.join(this.dataDir, 'skills');
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .map((file) => VERSION_FILE.exec(file))
      .filter((match): match is RegExpExecArray => match !== null && match[1] === name)
      .map((match) => Number(match[2]))
      .sort((a, b) => a - b);
  }

  /**
   * Writes <dataDir>/skills/<name>-v<N>.md (front matter copied from the bundled skill) and returns its
   * relative path. Rewriting a version with the same prompt is fine (a retried write); a different
   * prompt under an existing version number is refused, since results may already be recorded against it.
   */
  writeVersion(name: string, version: number, prompt: string, meta: VersionMeta = {}): string {
    const base = this.get(name);
    if (!base.evolvable) {
      throw new UserError(`skill '${name}' is not evolvable; its prompt is fixed`, { code: 'not_evolvable' });
    }
    if (!Number.isInteger(version) || version < 2) {
      throw usageError(`cannot write version ${version} of '${name}': version 1 is the bundled skill, use 2 or more`);
    }
    if (!prompt.includes(INPUT_PLACEHOLDER)) {
      throw new UserError(`the new prompt for '${name}' v${version} has no ${INPUT_PLACEHOLDER} placeholder`, {
        code: 'invalid_prompt',
      });
    }
    const relative = this.versionFileRelative(name, version);
    const target = path.resolve(this.dataDir, relative);
    if (!target.startsWith(path.join(this.dataDir, 'skills') + path.sep)) {
      throw new UserError(`refusing to write '${target}' outside the data folder ${this.dataDir}`);
    }

    const extra = { ...base.extra };
    for (const [key, value] of Object.entries(meta)) if (value !== undefined) extra[key] = value;
    const text = serializeSkillFile({ ...base, version, prompt, extra });
    const written = parseSkillFile(text, target); // never leave a file behind that cannot be read back

    const existing = readPromptIfValid(target);
    if (existing !== null && existing !== written.prompt) {
      throw new UserError(`${relative} already exists with a different prompt; write it as a new version`, {
        code: 'version_exists',
      });
    }
    writeFileAtomic(target, text);
    return relative;
  }

  private load(): Map<string, SkillDefinition> {
    if (this.skills) return this.skills;
    if (!fs.existsSync(this.bundledDir)) {
      throw new UserError(`the skills folder ${this.bundledDir} is missing`, { code: 'skills_missing' });
    }
    const skills = new Map<string, SkillDefinition>();
    const files = fs
      .readdirSync(this.bundledDir)
      // Only kebab-case skill files: README.md and version files (x-v2.md) are not skills of their own.
      .filter((file) => /^[a-z0-9][a-z0-9-]*\.md$/.test(file) && !VERSION_FILE.test(file))
      .sort();
    for (const file of files) {
      const full = path.join(this.bundledDir, file);
      const def = parseSkillFile(fs.readFileSync(full, 'utf8'), full);
      if (`${def.name}.md` !== file) throw invalidBundled(full, `name '${def.name}' does not match the file name`);
      if (def.version !== 1) throw invalidBundled(full, `a bundled skill is version 1 (got ${def.version})`);
      skills.set(def.name, def);
    }
    this.skills = new Map([...skills].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return this.skills;
  }
}

function templateFileName(relative: string): string {
  const match = TEMPLATE_PATH.exec(relative.replace(/\\/g, '/'));
  if (!match) {
    throw usageError(`invalid skill template path '${relative}' (expected skills/<name>.md or skills/<name>-v<N>.md)`);
  }
  return match[1];
}

const invalidBundled = (file: string, message: string): UserError =>
  new UserError(`${file}: ${message}`, { exitCode: 2, code: 'invalid_skill_file' });

/** The prompt of an existing, readable version file; null when there is none (or it is unreadable and may be replaced). */
function readPromptIfValid(file: string): string | null {
  if (!fs.existsSync(file)) return null;
  try {
    return parseSkillFile(fs.readFileSync(file, 'utf8'), file).prompt;
  } catch {
    return null;
  }
}
