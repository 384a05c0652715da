import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigStore, NEW_CONFIG_HEADER } from './config-store';
import { CONFIG_SCHEMA, validateConfig, type TinyArmsConfig } from './schema';
import { plainExpectation, ruleAt, type Rule } from './schema-rules';

// The rules Preferences and config.yaml share: relations in words, paths that must exist on write, and the
// way back from a broken file.

let dataDir: string;
let store: ConfigStore;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-config-rules-'));
  store = new ConfigStore({ dataDir });
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const merged = (change: (c: TinyArmsConfig) => void): TinyArmsConfig => {
  const config = structuredClone(store.config) as TinyArmsConfig;
  change(config);
  return config;
};

describe('relations between keys', () => {
  it('refuses a roll-back threshold at or above the evolve threshold, with plain words', () => {
    const issues = validateConfig(
      merged((c) => (c.prompt_evolution.learning.rollback_threshold = 0.8)),
      { file: 'x', partial: false },
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'prompt_evolution.learning.rollback_threshold',
        message: 'must be below prompt_evolution.triggers.accuracy_threshold (0.8) (got 0.8)',
        plain: 'Must be below 80%, the accuracy below which a skill is evolved.',
      }),
    ]);
    expect(() => store.set(['prompt_evolution', 'learning', 'rollback_threshold'], 0.95)).toThrow(
      /must be below prompt_evolution\.triggers\.accuracy_threshold/,
    );
    expect(() => store.set(['prompt_evolution', 'triggers', 'accuracy_threshold'], 0.6)).toThrow(
      /must be above prompt_evolution\.learning\.rollback_threshold \(0\.7\)/,
    );
  });

  it('says a range in the units people see', () => {
    const rule = (...p: string[]) => ruleAt(CONFIG_SCHEMA as Rule, p)!;
    expect(plainExpectation(rule('prompt_evolution', 'triggers', 'accuracy_threshold'))).toBe('Enter a value from 0% to 100%.');
    expect(plainExpectation(rule('prompt_evolution', 'ab_testing', 'votes_required'))).toBe('Enter a whole number of 2 or more.');
    expect(plainExpectation(rule('prompt_evolution', 'ab_testing', 'decision_confidence'))).toBe('Enter a number from 0.5 to 1.');
  });
});

describe('paths that must exist', () => {
  it('refuses to write a model file or a watched folder that is not there; a file that has one still loads', () => {
    expect(() => store.set(['prompt_evolution', 'smollm2', 'model_path'], '/nowhere/model.gguf')).toThrow(
      /there is nothing at \/nowhere\/model\.gguf/,
    );
    expect(() => store.set(['prompt_evolution', 'smollm2', 'model_path'], dataDir)).toThrow(/is a folder, not a file/);
    expect(() => store.set(['watch', 'folders'], ['/nowhere/folder'])).toThrow(/there is nothing at \/nowhere\/folder/);
    const model = path.join(dataDir, 'm.gguf');
    fs.writeFileSync(model, 'GGUF');
    store.set(['prompt_evolution', 'smollm2', 'model_path'], model);
    store.set(['watch', 'folders'], [dataDir]);
    expect(store.config.watch.folders).toEqual([dataDir]);
    // The model file goes away: loading still works; whoever uses the model says it is missing.
    fs.rmSync(model);
    expect(store.load().issues).toEqual([]);
    // An unrelated write is not refused because of it.
    store.set(['prompt_evolution', 'triggers', 'sample_size'], 30);
  });
});

describe('restore defaults and the last good file', () => {
  it('unsetMany takes keys out of the file in one write, keeping the rest', () => {
    fs.writeFileSync(
      store.file,
      '# mine\nprompt_evolution:\n  triggers:\n    sample_size: 30   # keep\n    cooldown_hours: 2\napp:\n  notifications: false\n',
    );
    store.load();
    store.unsetMany([
      ['prompt_evolution', 'triggers', 'cooldown_hours'],
      ['app', 'notifications'],
    ]);
    const text = fs.readFileSync(store.file, 'utf8');
    expect(text).toMatch(/sample_size: 30 +# keep/);
    expect(text).not.toContain('cooldown_hours');
    expect(store.config.app.notifications).toBe(true);
  });

  it('puts the last good text back over a broken file, keeping the broken one beside it', () => {
    const good = '# mine\nprompt_evolution:\n  triggers:\n    sample_size: 30   # keep\n';
    fs.writeFileSync(store.file, good);
    store.load();
    fs.writeFileSync(store.file, 'prompt_evolution:\n  triggers:\n    sample_size: thirty\n');
    expect(store.load().issues).toHaveLength(1);
    const { restored, brokenCopy } = store.restoreLastGood();
    expect(restored).toBe('text');
    expect(fs.readFileSync(store.file, 'utf8')).toBe(good);
    expect(fs.readFileSync(brokenCopy, 'utf8')).toContain('sample_size: thirty');
    expect(store.issues).toEqual([]);
    expect(() => store.restoreLastGood()).toThrow(/has no errors/);
  });

  it('starts over with the defaults when the file was never good', () => {
    fs.writeFileSync(store.file, 'app: [\n');
    expect(store.load().issues).toHaveLength(1);
    expect(store.restoreLastGood().restored).toBe('defaults');
    expect(fs.readFileSync(store.file, 'utf8')).toBe(NEW_CONFIG_HEADER);
  });
});
