import { readTextIfExists } from '../util/fs';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { lockFile, withLock } from '../store/file-lock';
import { writeFileAtomic } from '../util/atomic-write';
import { UserError, usageError } from '../util/errors';
import { formatIssue, pathToString, type ConfigIssue, type ConfigPath } from './config-issue';
import { LastGoodFile, loadDefaults } from './last-good';
import { deepFreeze, mergeConfig } from './merge';
import { CONFIG_SCHEMA, validateConfig, type SkillConfigEntry, type SkillHistoryEntry, type TinyArmsConfig } from './schema';
import { checkRule, ruleAt, type Rule } from './schema-rules';
import { applyEdit, type YamlEdit } from './yaml-edit';
import { readYaml } from './yaml-source';

export { formatIssue, pathToString, type ConfigIssue, type ConfigPath } from './config-issue';
export type {
  AbTestingConfig,
  AppConfig,
  EvolutionConfig,
  LearningConfig,
  PromptEvolutionConfig,
  SkillConfigEntry,
  SkillHistoryEntry,
  SmolLM2Config,
  TinyArmsConfig,
  TriggersConfig,
  WatchConfig,
} from './schema';

export const DEFAULTS_FILE = fileURLToPath(new URL('./defaults.yaml', import.meta.url));
export const CONFIG_FILE_NAME = 'config.yaml';
export const LAST_GOOD_FILE_NAME = '.config-last-good.json';
export const NEW_CONFIG_HEADER =
  '# tinyArms settings: keys set here override the shipped defaults.\n' +
  '# tinyArms updates some keys itself and keeps your comments and layout when it does.\n\n';

export type ConfigSource = 'file' | 'last-good' | 'defaults';
export interface ConfigLoadResult {
  config: TinyArmsConfig;
  issues: ConfigIssue[];
  source: ConfigSource;
}
export type ConfigListener = (config: TinyArmsConfig) => void;
/** One write: the file's text it started from (null: no file) and the text it wrote. */
export interface ConfigWrite {
  before: string | null;
  after: string;
}

const SCHEMA = CONFIG_SCHEMA as Rule;
/** A config write holds its lock for milliseconds; waiting this long only fails when something is stuck. */
const CONFIG_LOCK_WAIT_MS = 10_000;

/**
 * The user's config.yaml over the shipped defaults. Problems in the user's file never throw from load():
 * they are reported as issues while the last good configuration stays in effect. Writes are validated,
 * atomic, keep the user's comments, and refuse to touch a file that currently has errors.
 */
export class ConfigStore {
  readonly file: string;
  readonly lastGoodFile: string;
  readonly defaultsFile: string;
  private defaultsCache: TinyArmsConfig | null = null;
  private current: { config: TinyArmsConfig; source: ConfigSource } | null = null;
  private currentIssues: ConfigIssue[] = [];
  private readonly lastGood: LastGoodFile;
  private readonly listeners = new Set<ConfigListener>();

  constructor(options: { dataDir: string; defaultsFile?: string }) {
    this.file = path.join(options.dataDir, CONFIG_FILE_NAME);
    this.lastGoodFile = path.join(options.dataDir, LAST_GOOD_FILE_NAME);
    this.lastGood = new LastGoodFile(this.lastGoodFile);
    this.defaultsFile = options.defaultsFile ?? DEFAULTS_FILE;
  }

  /** Re-reads config.yaml. Throws only if the shipped defaults themselves are broken (a bug, not a user error). */
  load(): ConfigLoadResult {
    const defaults = this.defaults();
    let text: string | null = null;
    let issues: ConfigIssue[] = [];
    try {
      text = readTextIfExists(this.file);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      issues = [{ file: this.file, line: null, path: '', message: `could not be read (${reason})` }];
    }
    if (issues.length === 0) {
      const evaluation = text === null ? { config: defaults, issues: [] } : this.evaluate(text);
      if (evaluation.config) {
        this.accept(evaluation.config, text === null ? 'defaults' : 'file', text);
        return this.result();
      }
      issues = evaluation.issues;
    }
    if (!this.current) {
      const lastGood = this.lastGood.read(defaults);
      this.current = { config: deepFreeze(lastGood ?? defaults), source: lastGood ? 'last-good' : 'defaults' };
    } else if (this.current.source !== 'last-good') {
      this.current = { ...this.current, source: 'last-good' };
    }
    this.currentIssues = issues;
    return this.result();
  }

  /** The configuration in effect (the last good one); loads on first access. Deeply frozen. */
  get config(): TinyArmsConfig {
    return this.ensureLoaded().config;
  }

  get issues(): ConfigIssue[] {
    this.ensureLoaded();
    return this.currentIssues;
  }

  get source(): ConfigSource {
    return this.ensureLoaded().source;
  }

  set(keyPath: ConfigPath, value: unknown): void {
    if (keyPath.length === 0) throw usageError('A config key path is required');
    if (value === undefined) throw usageError(`No value given for ${pathToString(keyPath)}`);
    this.edit(`set ${pathToString(keyPath)}`, pathToString(keyPath), [{ op: 'set', path: keyPath, value }]);
  }

  /** Removes a key from the user's file, so the default applies again. */
  unset(keyPath: ConfigPath): void {
    if (keyPath.length === 0) throw usageError('A config key path is required');
    this.edit(`remove ${pathToString(keyPath)}`, pathToString(keyPath), [{ op: 'unset', path: keyPath }]);
  }

  /** Removes several keys from the user's file in one write, so their defaults apply again. */
  unsetMany(keyPaths: readonly ConfigPath[], action = 'restore defaults'): void {
    if (keyPaths.length === 0) return;
    this.edit(
      action,
      pathToString(keyPaths[0]),
      keyPaths.map((path): YamlEdit => ({ op: 'unset', path })),
    );
  }

  /**
   * Puts the last good config.yaml back over a file with errors. The broken file is kept beside it (returned),
   * so nothing the person typed is lost. Without a good copy of the text (the file was never valid), the
   * file starts over with the defaults.
   */
  restoreLastGood(): { restored: 'text' | 'defaults'; brokenCopy: string } {
    return withLock(
      lockFile(path.dirname(this.file), 'config'),
      { waitMs: CONFIG_LOCK_WAIT_MS, busy: () => new UserError(`another process keeps ${this.file} locked`, { code: 'busy' }) },
      () => {
        const current = this.snapshot();
        if (current === null || this.evaluate(current).issues.length === 0) {
          throw usageError(`${this.file} has no errors: there is nothing to restore`, 'config_valid');
        }
        const brokenCopy = `${this.file}.broken-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        writeFileAtomic(brokenCopy, current);
        const good = this.lastGood.readText();
        const usable = good !== null && this.evaluate(good).config !== null;
        writeFileAtomic(this.file, usable ? good : NEW_CONFIG_HEADER);
        this.load();
        return { restored: usable ? 'text' : 'defaults', brokenCopy };
      },
    );
  }

  /**
   * Sets the given fields of `skills.<skill>` (creating it if missing) in one write; undefined fields are
   * skipped. A function patch is computed from the skill's entry as the file holds it at the moment of writing.
   */
  updateSkill(
    skill: string,
    patch: Partial<SkillConfigEntry> | ((entry: Partial<SkillConfigEntry>) => Partial<SkillConfigEntry>),
  ): ConfigWrite | null {
    return this.edit(`update skills.${skill}`, `skills.${skill}`, (config) => {
      const fields = typeof patch === 'function' ? patch(config.skills[skill] ?? {}) : patch;
      return Object.entries(fields)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]): YamlEdit => ({ op: 'set', path: ['skills', skill, key], value }));
    });
  }

  /** Puts keys of `skills.<skill>` back as they were: `values` set, `absent` removed; other keys stay as they are now. */
  restoreSkillKeys(skill: string, values: Record<string, unknown>, absent: readonly string[]): void {
    const present = this.fileSkillEntry(skill) ?? {};
    const edits: YamlEdit[] = [
      ...Object.entries(values).map(([key, value]): YamlEdit => ({ op: 'set', path: ['skills', skill, key], value })),
      ...absent.filter((key) => present[key] !== undefined).map((key): YamlEdit => ({ op: 'unset', path: ['skills', skill, key] })),
    ];
    if (edits.length > 0) this.edit(`restore skills.${skill}`, `skills.${skill}`, edits);
  }

  /** `skills.<skill>` as the user's file has it (no defaults merged in); null when the file or entry is absent. */
  fileSkillEntry(skill: string): Record<string, unknown> | null {
    const text = this.snapshot();
    if (text === null) return null;
    const parsed = readYaml(text, this.file);
    const skills = (parsed.value as { skills?: Record<string, unknown> } | null)?.skills;
    const entry = skills?.[skill];
    return entry && typeof entry === 'object' && !Array.isArray(entry) ? (entry as Record<string, unknown>) : null;
  }

  appendSkillHistory(skill: string, entry: SkillHistoryEntry): void {
    const keyPath = ['skills', skill, 'evolution_history'];
    this.edit(`add to ${pathToString(keyPath)}`, pathToString(keyPath), [{ op: 'append', path: keyPath, value: entry }]);
  }

  /** The user file's exact text, or null when it does not exist. */
  snapshot(): string | null {
    try {
      return readTextIfExists(this.file);
    } catch (error) {
      throw new UserError(`Could not read ${this.file}: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * Atomically puts back a snapshot (null = the file did not exist), then reloads. With `ifCurrent`, only when
   * the file still holds exactly that text (checked under the lock); returns whether it wrote.
   */
  restore(text: string | null, ifCurrent?: string | null): boolean {
    const written = withLock(
      lockFile(path.dirname(this.file), 'config'),
      { waitMs: CONFIG_LOCK_WAIT_MS, busy: () => new UserError(`another process keeps ${this.file} locked`, { code: 'busy' }) },
      () => {
        if (ifCurrent !== undefined && this.snapshot() !== ifCurrent) return false;
        if (text === null) fs.rmSync(this.file, { force: true });
        else writeFileAtomic(this.file, text);
        return true;
      },
    );
    this.load();
    return written;
  }

  /** Called after the configuration in effect changes (not on the first load). Returns an unsubscribe function. */
  onChange(listener: ConfigListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Forgets cached state (configuration, issues, defaults); listeners stay subscribed. */
  reset(): void {
    this.defaultsCache = null;
    this.current = null;
    this.currentIssues = [];
    this.lastGood.forget();
  }

  /**
   * Read, edit and write under the data folder's config lock, so writers in other processes never drop each
   * other's keys: each edit applies to the file as it is at that moment. `edits` may be computed from the
   * configuration that file holds.
   */
  private edit(action: string, key: string, edits: YamlEdit[] | ((config: TinyArmsConfig) => YamlEdit[])): ConfigWrite | null {
    return withLock(
      lockFile(path.dirname(this.file), 'config'),
      {
        waitMs: CONFIG_LOCK_WAIT_MS,
        busy: () => new UserError(`Cannot ${action}: another process keeps ${this.file} locked`, { code: 'busy' }),
      },
      () => this.editLocked(action, key, edits),
    );
  }

  /** Returns the text it started from and the text it wrote, or null when nothing changed. */
  private editLocked(action: string, key: string, editsOrFn: YamlEdit[] | ((config: TinyArmsConfig) => YamlEdit[])): ConfigWrite | null {
    const before = this.snapshot();
    if (before !== null) {
      const { issues } = this.evaluate(before);
      if (issues.length > 0) {
        throw new UserError(`Cannot ${action}: ${this.file} has errors, fix them first: ${formatIssue(issues[0])}${more(issues)}`, {
          code: 'config_invalid',
        });
      }
    }
    const start = before ?? NEW_CONFIG_HEADER;
    let edits: YamlEdit[];
    if (typeof editsOrFn === 'function') {
      const current = before === null ? this.defaults() : this.evaluate(before).config;
      edits = editsOrFn(current ?? this.config);
      if (edits.length === 0) return null;
    } else {
      edits = editsOrFn;
    }
    let text: string;
    try {
      text = edits.reduce(applyEdit, start);
    } catch (error) {
      throw usageError(`Cannot ${action}: ${(error as Error).message}`, 'config_invalid_value');
    }
    if (text === start) return null;
    const evaluated = this.evaluate(text);
    const { config } = evaluated;
    const issues = config ? this.checkWrittenPaths(edits) : evaluated.issues;
    if (!config || issues.length > 0) {
      const first = issues[0];
      const detail = first.path === key ? first.message : `${first.path} ${first.message}`;
      throw usageError(`Cannot ${action}: ${detail}${more(issues)}; ${this.file} was not changed`, 'config_invalid_value');
    }
    try {
      writeFileAtomic(this.file, text);
    } catch (error) {
      throw new UserError(`Could not write ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    this.accept(config, 'file', text);
    return { before, after: text };
  }

  /** A write may only set paths that name existing files and folders (a load does not check: see CheckContext). */
  private checkWrittenPaths(edits: readonly YamlEdit[]): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    for (const edit of edits) {
      if (edit.op === 'unset') continue;
      const at = ruleAt(SCHEMA, edit.path);
      // An append adds one item to the list at the path.
      const rule = edit.op === 'append' ? at?.items : at;
      if (rule) checkRule(rule, edit.value, edit.path, { file: this.file, locate: () => null, partial: true, issues, checkFiles: true });
    }
    return issues;
  }

  private evaluate(text: string): { config: TinyArmsConfig | null; issues: ConfigIssue[] } {
    const parsed = readYaml(text, this.file);
    if (parsed.issues.length > 0) return { config: null, issues: parsed.issues };
    const own = validateConfig(parsed.value, { file: this.file, locate: parsed.locate });
    if (own.length > 0) return { config: null, issues: byLine(own) };
    const merged = mergeConfig(SCHEMA, this.defaults(), parsed.value);
    const issues = validateConfig(merged, { file: this.file, locate: parsed.locate, partial: false });
    return issues.length > 0 ? { config: null, issues: byLine(issues) } : { config: merged as TinyArmsConfig, issues };
  }

  private accept(config: TinyArmsConfig, source: ConfigSource, text: string | null = null): void {
    const changed = this.current !== null && !isDeepStrictEqual(this.current.config, config);
    const frozen = changed || !this.current ? deepFreeze(config) : this.current.config;
    this.current = { config: frozen, source };
    this.currentIssues = [];
    // Without a user file the defaults are the last good configuration, so the stored copy goes.
    this.lastGood.save(source === 'defaults' ? null : frozen, source === 'file' ? text : null);
    if (changed) this.notify(frozen);
  }

  private defaults(): TinyArmsConfig {
    this.defaultsCache ??= loadDefaults(this.defaultsFile);
    return this.defaultsCache;
  }

  private notify(config: TinyArmsConfig): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(config);
      } catch (error) {
        // One failing subscriber must not undo a completed write or starve the others.
        process.emitWarning(error instanceof Error ? error : String(error), 'ConfigListenerError');
      }
    }
  }

  private ensureLoaded(): { config: TinyArmsConfig; source: ConfigSource } {
    if (!this.current) this.load();
    return this.current!;
  }

  private result(): ConfigLoadResult {
    return { config: this.current!.config, issues: this.currentIssues, source: this.current!.source };
  }
}

const byLine = (issues: ConfigIssue[]): ConfigIssue[] => [...issues].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));

const more = (issues: ConfigIssue[]): string =>
  issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
