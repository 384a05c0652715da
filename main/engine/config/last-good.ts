import { readTextIfExists } from '../util/fs';
import fs from 'node:fs';
import { writeFileAtomic } from '../util/atomic-write';
import { formatIssue } from './config-issue';
import { deepFreeze, mergeConfig } from './merge';
import { CONFIG_SCHEMA, validateConfig, type TinyArmsConfig } from './schema';
import type { Rule } from './schema-rules';
import { readYaml } from './yaml-source';

const SCHEMA = CONFIG_SCHEMA as Rule;

/** Reads and checks the shipped defaults; a problem here is a bug in tinyArms, so it throws. */
export function loadDefaults(file: string): TinyArmsConfig {
  const parsed = readYaml(fs.readFileSync(file, 'utf8'), file);
  const issues = parsed.issues.length > 0 ? parsed.issues : validateConfig(parsed.value, { file, locate: parsed.locate, partial: false });
  if (issues.length > 0) throw new Error(`Shipped config defaults are invalid: ${issues.map(formatIssue).join('; ')}`);
  return deepFreeze(parsed.value as TinyArmsConfig);
}

/** The last good merged configuration, kept as JSON so a fresh process can fall back to it. Best effort. */
export class LastGoodFile {
  private written: string | null | undefined;
  private writtenText: string | null | undefined;
  /** config.yaml's own text when it was last good, so "Use last good" can put the person's file back as it was. */
  readonly textFile: string;

  constructor(readonly file: string) {
    this.textFile = file.replace(/\.json$/, '.yaml');
  }

  /** Stores `config` (and the config.yaml text it came from), or removes the stored copies when null. Skips unchanged writes. */
  save(config: TinyArmsConfig | null, text: string | null = null): void {
    const json = config === null ? null : `${JSON.stringify(config, null, 2)}\n`;
    try {
      if (json !== this.written) {
        if (json === null) fs.rmSync(this.file, { force: true });
        else if (readTextIfExists(this.file) !== json) writeFileAtomic(this.file, json);
        this.written = json;
      }
      const keepText = config === null ? null : text;
      if (keepText !== this.writtenText && (keepText !== null || config === null)) {
        if (keepText === null) fs.rmSync(this.textFile, { force: true });
        else if (readTextIfExists(this.textFile) !== keepText) writeFileAtomic(this.textFile, keepText);
        this.writtenText = keepText;
      }
    } catch {
      // A read-only data folder must not break loading; the in-memory configuration still applies.
    }
  }

  /** The last good config.yaml text, or null when none was kept. */
  readText(): string | null {
    try {
      return readTextIfExists(this.textFile);
    } catch {
      return null;
    }
  }

  /** The stored configuration over the current defaults (keys added since it was saved get their defaults). */
  read(defaults: TinyArmsConfig): TinyArmsConfig | null {
    try {
      const stored = readTextIfExists(this.file);
      if (stored === null) return null;
      const merged = mergeConfig(SCHEMA, defaults, JSON.parse(stored));
      return validateConfig(merged, { file: this.file, partial: false }).length === 0 ? (merged as TinyArmsConfig) : null;
    } catch {
      return null;
    }
  }

  forget(): void {
    this.written = undefined;
    this.writtenText = undefined;
  }
}
