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
  const issues =
    parsed.issues.length > 0
      ? parsed.issues
      : validateConfig(parsed.value, { file, locate: parsed.locate, partial: false });
  if (issues.length > 0) throw new Error(`Shipped config defaults are invalid: ${issues.map(formatIssue).join('; ')}`);
  return deepFreeze(parsed.value as TinyArmsConfig);
}

/** The last good merged configuration, kept as JSON so a fresh process can fall back to it. Best effort. */
export class LastGoodFile {
  private written: string | null | undefined;

  constructor(readonly file: string) {}

  /** Stores `config`, or removes the stored copy when null. Skips the write when nothing changed. */
  save(config: TinyArmsConfig | null): void {
    const json = config === null ? null : `${JSON.stringify(config, null, 2)}\n`;
    if (json === this.written) return;
    try {
      if (json === null) fs.rmSync(this.file, { force: true });
      else if (readTextIfExists(this.file) !== json) writeFileAtomic(this.file, json);
      this.written = json;
    } catch {
      // A read-only data folder must not break loading; the in-memory configuration still applies.
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
  }
}
