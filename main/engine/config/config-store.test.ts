import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigStore, formatIssue, LAST_GOOD_FILE_NAME } from './config-store';

let dataDir: string;
let store: ConfigStore;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-config-'));
  store = new ConfigStore({ dataDir });
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const writeUserFile = (text: string) => fs.writeFileSync(store.file, text);
const lastGoodPath = () => path.join(dataDir, LAST_GOOD_FILE_NAME);

describe('ConfigStore.load', () => {
  it('uses the shipped defaults when there is no config.yaml, without writing anything', () => {
    const { config, issues, source } = store.load();
    expect(source).toBe('defaults');
    expect(issues).toEqual([]);
    expect(config.prompt_evolution.triggers.accuracy_threshold).toBe(0.8);
    expect(config.prompt_evolution.evolution.tournaments_per_generation).toBeNull();
    expect(config.skills).toEqual({});
    expect(config.watch.folders).toEqual([]);
    expect(fs.readdirSync(dataDir)).toEqual([]);
    expect(store.file).toBe(path.join(dataDir, 'config.yaml'));
  });

  it('deep-merges the user file over the defaults; lists replace', () => {
    writeUserFile(
      [
        'prompt_evolution:',
        '  triggers:',
        '    accuracy_threshold: 0.85',
        '  smollm2:',
        '    model_path: /models/smol.gguf',
        'skills:',
        '  file-naming:',
        '    prompt_version: 2',
        'watch:',
        '  folders: [~/Desktop]',
      ].join('\n'),
    );
    const { config, issues, source } = store.load();
    expect(issues).toEqual([]);
    expect(source).toBe('file');
    expect(config.prompt_evolution.triggers).toEqual({
      accuracy_threshold: 0.85,
      sample_size: 20,
      cooldown_hours: 168,
      window_days: 7,
      check_interval_hours: 24,
    });
    expect(config.prompt_evolution.smollm2.model_path).toBe('/models/smol.gguf');
    expect(config.prompt_evolution.smollm2.quantization).toBe('Q4_K_M');
    expect(config.skills).toEqual({ 'file-naming': { prompt_version: 2 } });
    expect(config.watch.folders).toEqual(['~/Desktop']);
    expect(Object.isFrozen(config.prompt_evolution.triggers)).toBe(true);
  });

  it.each([
    ['an unknown key', 'app:\n  tray_title: true\n  sound: on\n', 'app.sound is not a known setting', 3],
    ['a wrong type', '\nprompt_evolution:\n  enabled: "true"\n', 'prompt_evolution.enabled must be true or false (got "true")', 3],
    [
      'an out-of-range value',
      'prompt_evolution:\n  ab_testing:\n    show_probability: 2\n',
      'prompt_evolution.ab_testing.show_probability must be a number between 0 and 1 (got 2)',
      3,
    ],
    ['a YAML syntax error', 'app:\n  tray_title: true\n tray: [\n', 'YAML syntax error:', 3],
    [
      'an unknown key inside a skill entry',
      'skills:\n  file-naming:\n    prompt_version: 2\n    accuracy: 0.9\n',
      'skills.file-naming.accuracy is not a known setting',
      4,
    ],
  ])('reports %s with file, key path and line', (_kind, text, message, line) => {
    writeUserFile(text);
    const { issues, source } = store.load();
    expect(source).toBe('defaults');
    expect(issues.length).toBeGreaterThan(0);
    expect(formatIssue(issues[0])).toContain(`${store.file}:${line}: ${message}`);
  });

  it('keeps the last good configuration when the file breaks, and never touches the file', () => {
    writeUserFile('prompt_evolution:\n  triggers:\n    accuracy_threshold: 0.85\n');
    expect(store.load().source).toBe('file');
    const broken = 'prompt_evolution:\n  triggers:\n    accuracy_threshold: 1.5   # oops\n';
    writeUserFile(broken);
    const listener = vi.fn();
    store.onChange(listener);
    const { config, issues, source } = store.load();
    expect(source).toBe('last-good');
    expect(config.prompt_evolution.triggers.accuracy_threshold).toBe(0.85);
    expect(issues.map(formatIssue)).toEqual([
      `${store.file}:3: prompt_evolution.triggers.accuracy_threshold must be a number between 0 and 1 (got 1.5)`,
    ]);
    expect(store.config.prompt_evolution.triggers.accuracy_threshold).toBe(0.85);
    expect(store.issues).toBe(issues);
    expect(listener).not.toHaveBeenCalled();
    expect(fs.readFileSync(store.file, 'utf8')).toBe(broken);
  });

  it('lets a fresh process fall back to the persisted last good configuration', () => {
    writeUserFile('app:\n  notifications: false\n');
    store.load();
    const saved = JSON.parse(fs.readFileSync(lastGoodPath(), 'utf8'));
    expect(saved.app.notifications).toBe(false);
    writeUserFile('app:\n  notifications: maybe\n');
    const fresh = new ConfigStore({ dataDir });
    const { config, issues, source } = fresh.load();
    expect(source).toBe('last-good');
    expect(config.app.notifications).toBe(false);
    expect(formatIssue(issues[0])).toBe(`${fresh.file}:2: app.notifications must be true or false (got "maybe")`);
    expect(fs.readFileSync(store.file, 'utf8')).toBe('app:\n  notifications: maybe\n');
  });

  it('falls back to the defaults when there is no usable last good copy', () => {
    fs.writeFileSync(lastGoodPath(), '{ not json');
    writeUserFile('app: [\n');
    const { config, source, issues } = store.load();
    expect(source).toBe('defaults');
    expect(config.app.notifications).toBe(true);
    expect(issues[0].line).toBe(2);
  });

  it('reports an unreadable config.yaml instead of throwing', () => {
    fs.mkdirSync(store.file);
    const { source, issues } = store.load();
    expect(source).toBe('defaults');
    expect(formatIssue(issues[0])).toBe(`${store.file}: could not be read (EISDIR)`);
  });

  it('notifies listeners when a reload changes the configuration, until unsubscribed', () => {
    store.load();
    const listener = vi.fn();
    const unsubscribe = store.onChange(listener);
    writeUserFile('app:\n  tray_title: false\n');
    store.load();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0][0].app.tray_title).toBe(false);
    store.load();
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
    writeUserFile('app:\n  tray_title: true\n');
    store.load();
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('reset() forgets cached state so the next access reads the disk again', () => {
    expect(store.config.app.tray_title).toBe(true);
    writeUserFile('app:\n  tray_title: false\n');
    expect(store.config.app.tray_title).toBe(true);
    store.reset();
    expect(store.config.app.tray_title).toBe(false);
  });

  it('throws (a bug, not a user error) when the shipped defaults are invalid', () => {
    const defaultsFile = path.join(dataDir, 'bad-defaults.yaml');
    fs.writeFileSync(defaultsFile, 'prompt_evolution:\n  enabled: true\n');
    expect(() => new ConfigStore({ dataDir, defaultsFile }).load()).toThrow(/Shipped config defaults are invalid/);
  });
});
