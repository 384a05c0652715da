import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { isUserError, type UserError } from '../util/errors';
import { ConfigStore, NEW_CONFIG_HEADER } from './config-store';

let dataDir: string;
let store: ConfigStore;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-config-write-'));
  store = new ConfigStore({ dataDir });
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const read = () => fs.readFileSync(store.file, 'utf8');
const caught = (fn: () => void): UserError => {
  try {
    fn();
  } catch (error) {
    if (isUserError(error)) return error;
    throw error;
  }
  throw new Error('expected a UserError');
};

const USER_FILE = `# my settings
prompt_evolution:
  triggers:
    accuracy_threshold: 0.80   # I like it strict
    sample_size: 20            # default

# skills I tuned by hand
skills:
  file-naming:
    prompt_template: skills/file-naming.md
    prompt_version: 1   # first one
app:
  notifications: false
`;

describe('ConfigStore writes', () => {
  it('set() changes one value and keeps comments, spacing and key order around it', () => {
    fs.writeFileSync(store.file, USER_FILE);
    store.set(['prompt_evolution', 'triggers', 'accuracy_threshold'], 0.75);
    expect(read()).toBe(USER_FILE.replace('accuracy_threshold: 0.80   #', 'accuracy_threshold: 0.75   #'));
    expect(store.config.prompt_evolution.triggers.accuracy_threshold).toBe(0.75);
    expect(store.source).toBe('file');
  });

  it('updateSkill() writes several fields at once and appendSkillHistory() adds a list item', () => {
    fs.writeFileSync(store.file, USER_FILE);
    store.updateSkill('file-naming', {
      prompt_template: 'skills/file-naming-v2.md',
      prompt_version: 2,
      evolved_at: '2024-11-10T08:00:00Z',
      previous_accuracy: 0.78,
      current_accuracy: undefined,
    });
    store.appendSkillHistory('file-naming', { version: 1, active_period: '2024-09-15 to 2024-11-10', accuracy: 0.78 });
    store.appendSkillHistory('file-naming', { version: 2, active_since: '2024-11-10', source: 'SmolLM2 evolution (variant C)' });
    expect(read()).toBe(
      USER_FILE.replace(
        '    prompt_template: skills/file-naming.md\n    prompt_version: 1   # first one\n',
        [
          '    prompt_template: skills/file-naming-v2.md',
          '    prompt_version: 2   # first one',
          '    evolved_at: 2024-11-10T08:00:00Z',
          '    previous_accuracy: 0.78',
          '    evolution_history:',
          '      - version: 1',
          '        active_period: 2024-09-15 to 2024-11-10',
          '        accuracy: 0.78',
          '      - version: 2',
          '        active_since: 2024-11-10',
          '        source: SmolLM2 evolution (variant C)',
          '',
        ].join('\n'),
      ),
    );
    expect(store.config.skills['file-naming'].evolution_history).toHaveLength(2);
    expect(store.config.skills['file-naming'].evolved_at).toBe('2024-11-10T08:00:00Z');
  });

  it('replacing a whole history list (as promotion does) only touches the changed lines', () => {
    fs.writeFileSync(store.file, USER_FILE);
    store.appendSkillHistory('file-naming', { version: 1, active_since: '2024-09-15' });
    const before = read();
    const history = [
      { version: 1, active_period: '2024-09-15 to 2024-11-10', accuracy: 0.78, reason: 'Accuracy drop' },
      { version: 2, active_since: '2024-11-10', accuracy: 0.91 },
    ];
    store.updateSkill('file-naming', { prompt_version: 2, evolution_history: history });
    expect(read()).toBe(
      before
        .replace('prompt_version: 1   # first one', 'prompt_version: 2   # first one')
        .replace(
          '      - version: 1\n        active_since: 2024-09-15\n',
          [
            '      - version: 1',
            '        active_period: 2024-09-15 to 2024-11-10',
            '        accuracy: 0.78',
            '        reason: Accuracy drop',
            '      - version: 2',
            '        active_since: 2024-11-10',
            '        accuracy: 0.91',
            '',
          ].join('\n'),
        ),
    );
    expect(store.config.skills['file-naming'].evolution_history).toEqual(history);
  });

  it('creates config.yaml with a short header and only the keys being set', () => {
    store.updateSkill('code-review', { enabled: false });
    expect(read()).toBe(`${NEW_CONFIG_HEADER}skills:\n  code-review:\n    enabled: false\n`);
    expect(store.config.skills['code-review']).toEqual({ enabled: false });
  });

  it('refuses invalid values, naming the key, and leaves the file unchanged', () => {
    fs.writeFileSync(store.file, USER_FILE);
    const range = caught(() => store.set(['prompt_evolution', 'triggers', 'accuracy_threshold'], 1.5));
    expect(range.message).toBe(
      `Cannot set prompt_evolution.triggers.accuracy_threshold: must be a number between 0 and 1 (got 1.5); ${store.file} was not changed`,
    );
    expect(range.exitCode).toBe(2);
    expect(caught(() => store.set(['app', 'sound'], true)).message).toMatch(/^Cannot set app\.sound: is not a known setting/);
    expect(caught(() => store.updateSkill('file-naming', { current_accuracy: 91 })).message).toMatch(
      /^Cannot update skills\.file-naming: skills\.file-naming\.current_accuracy must be a number between 0 and 1 or null \(got 91\)/,
    );
    expect(caught(() => store.updateSkill('File Naming', { enabled: true })).message).toContain('kebab-case');
    expect(caught(() => store.set(['prompt_evolution', 'ab_testing', 'votes_required'], 4)).message).toContain(
      'must be at least prompt_evolution.ab_testing.min_votes (5) (got 4)',
    );
    expect(read()).toBe(USER_FILE);
  });

  it('refuses to write while the user file has errors, and does not touch it', () => {
    const broken = USER_FILE.replace('sample_size: 20', 'sample_size: twenty');
    fs.writeFileSync(store.file, broken);
    const error = caught(() => store.set(['app', 'notifications'], true));
    expect(error.code).toBe('config_invalid');
    expect(error.message).toBe(
      `Cannot set app.notifications: ${store.file} has errors, fix them first: ` +
        `${store.file}:5: prompt_evolution.triggers.sample_size must be a whole number >= 1 (got "twenty")`,
    );
    fs.writeFileSync(store.file, 'app: [\n');
    expect(caught(() => store.appendSkillHistory('x', { version: 1 })).code).toBe('config_invalid');
    expect(read()).toBe('app: [\n');
  });

  it('writes atomically: no temp files are left behind', () => {
    fs.writeFileSync(store.file, USER_FILE);
    store.set(['app', 'tray_title'], false);
    store.updateSkill('file-naming', { current_accuracy: 0.9 });
    store.unset(['app', 'tray_title']);
    // locks/ holds the lock files other processes wait on; nothing else appears beside config.yaml.
    expect(fs.readdirSync(dataDir).sort()).toEqual(['.config-last-good.json', '.config-last-good.yaml', 'config.yaml', 'locks']);
    expect(parse(read()).app).toEqual({ notifications: false });
  });

  it('snapshot() and restore() round-trip the exact text, including a missing file', () => {
    expect(store.snapshot()).toBeNull();
    fs.writeFileSync(store.file, USER_FILE);
    const before = store.snapshot();
    expect(before).toBe(USER_FILE);
    store.set(['prompt_evolution', 'triggers', 'sample_size'], 30);
    expect(store.config.prompt_evolution.triggers.sample_size).toBe(30);
    store.restore(before);
    expect(read()).toBe(USER_FILE);
    expect(store.config.prompt_evolution.triggers.sample_size).toBe(20);
    store.restore(null);
    expect(fs.existsSync(store.file)).toBe(false);
    expect(store.source).toBe('defaults');
  });

  it('tells listeners about writes; an unsubscribed listener hears nothing more', () => {
    store.load();
    const listener = vi.fn();
    const unsubscribe = store.onChange(listener);
    store.set(['app', 'launch_at_login'], true);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0][0].app.launch_at_login).toBe(true);
    unsubscribe();
    store.set(['app', 'launch_at_login'], false);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('sees edits the user made since the last load instead of overwriting them', () => {
    fs.writeFileSync(store.file, USER_FILE);
    store.load();
    fs.writeFileSync(store.file, USER_FILE.replace('notifications: false', 'notifications: true'));
    store.set(['app', 'tray_title'], false);
    expect(parse(read()).app).toEqual({ notifications: true, tray_title: false });
  });
});
