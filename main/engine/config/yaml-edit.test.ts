import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyEdit } from './yaml-edit';

const USER_FILE = [
  '# My tinyArms settings',
  '',
  'prompt_evolution:',
  '  triggers:',
  '    accuracy_threshold: 0.80   # below this, evolve',
  '    sample_size: 20            # tasks needed',
  '',
  '',
  '  ab_testing: { votes_required: 40 }   # flow style',
  '',
  '# my skills',
  'skills:',
  '  file-naming:',
  '    prompt_template: "skills/file-naming.md"  # quoted on purpose',
  '    evolution_history:',
  '    -   version: 1',
  '        reason: first',
  '  # end of skills',
  'watch:',
  '  folders: []',
  '',
].join('\n');

describe('applyEdit', () => {
  it('replaces one value and leaves every other byte alone', () => {
    const out = applyEdit(USER_FILE, { op: 'set', path: ['prompt_evolution', 'triggers', 'accuracy_threshold'], value: 0.75 });
    expect(out).toBe(USER_FILE.replace('accuracy_threshold: 0.80   #', 'accuracy_threshold: 0.75   #'));
  });

  it('keeps the quoting style of a replaced string', () => {
    const out = applyEdit(USER_FILE, { op: 'set', path: ['skills', 'file-naming', 'prompt_template'], value: 'skills/v2.md' });
    expect(out).toBe(USER_FILE.replace('"skills/file-naming.md"', '"skills/v2.md"'));
  });

  it('adds a new key after the last key of its mapping', () => {
    const out = applyEdit(USER_FILE, { op: 'set', path: ['skills', 'file-naming', 'prompt_version'], value: 2 });
    expect(out).toBe(USER_FILE.replace('        reason: first\n', '        reason: first\n    prompt_version: 2\n'));
  });

  it('creates missing parents as block mappings', () => {
    const out = applyEdit(USER_FILE, { op: 'set', path: ['app', 'notifications'], value: false });
    expect(out).toBe(`${USER_FILE}app:\n  notifications: false\n`);
    const skill = applyEdit(USER_FILE, { op: 'set', path: ['skills', 'code-review', 'enabled'], value: true });
    expect(skill).toContain('        reason: first\n  code-review:\n    enabled: true\n  # end of skills\n');
  });

  it('appends a list item in the style of the existing items', () => {
    const out = applyEdit(USER_FILE, {
      op: 'append',
      path: ['skills', 'file-naming', 'evolution_history'],
      value: { version: 2, active_since: '2024-11-10', accuracy: 0.91 },
    });
    expect(out).toBe(
      USER_FILE.replace(
        '        reason: first\n',
        '        reason: first\n    - version: 2\n      active_since: 2024-11-10\n      accuracy: 0.91\n',
      ),
    );
    expect(parse(out).skills['file-naming'].evolution_history[1].active_since).toBe('2024-11-10');
  });

  it('turns an empty value ({} or nothing) into a block mapping', () => {
    const text = '# defaults copy\nskills: {}   # per skill\napp:\n';
    const out = applyEdit(text, { op: 'set', path: ['skills', 'file-naming', 'prompt_version'], value: 2 });
    expect(out).toBe('# defaults copy\nskills:   # per skill\n  file-naming:\n    prompt_version: 2\napp:\n');
    const app = applyEdit(text, { op: 'set', path: ['app', 'tray_title'], value: false });
    expect(app).toBe('# defaults copy\nskills: {}   # per skill\napp:\n  tray_title: false\n');
  });

  it('writes multi-line strings as indented block scalars, keeping the comment on the key line', () => {
    const text = 'skills:\n  a:\n    prompt_template: old  # mine\n    enabled: true\n';
    const out = applyEdit(text, { op: 'set', path: ['skills', 'a', 'prompt_template'], value: 'Line one\n\nLine two' });
    expect(out).toBe('skills:\n  a:\n    prompt_template: |-  # mine\n      Line one\n\n      Line two\n    enabled: true\n');
    expect(parse(out).skills.a.prompt_template).toBe('Line one\n\nLine two');
    const quoted = applyEdit(USER_FILE, { op: 'set', path: ['skills', 'file-naming', 'prompt_template'], value: 'a\nb' });
    expect(quoted).toBe(USER_FILE.replace('"skills/file-naming.md"', '"a\\nb"'));
  });

  it('removes a key or list item by deleting its lines', () => {
    const removed = applyEdit(USER_FILE, { op: 'unset', path: ['prompt_evolution', 'triggers', 'sample_size'] });
    expect(removed).toBe(USER_FILE.replace('    sample_size: 20            # tasks needed\n', ''));
    const item = applyEdit(USER_FILE, { op: 'unset', path: ['skills', 'file-naming', 'evolution_history', 0] });
    expect(parse(item).skills['file-naming'].evolution_history).toEqual([]);
    expect(applyEdit(USER_FILE, { op: 'unset', path: ['app', 'tray_title'] })).toBe(USER_FILE);
  });

  it('sets a whole mapping or list as the smallest set of line changes', () => {
    // What promotion does: rewrite the history with the last entry closed and a new one appended.
    const out = applyEdit(USER_FILE, {
      op: 'set',
      path: ['skills', 'file-naming', 'evolution_history'],
      value: [
        { version: 1, active_period: '2024-09-15 to 2024-11-10', reason: 'first' },
        { version: 2, active_since: '2024-11-10' },
      ],
    });
    expect(out).toBe(
      USER_FILE.replace(
        '        reason: first\n',
        '        reason: first\n        active_period: 2024-09-15 to 2024-11-10\n    - version: 2\n      active_since: 2024-11-10\n',
      ),
    );
  });

  it('falls back to re-printing (comments kept) when the layout cannot be spliced', () => {
    const out = applyEdit(USER_FILE, { op: 'set', path: ['prompt_evolution', 'ab_testing', 'min_votes'], value: 5 });
    expect(parse(out).prompt_evolution.ab_testing).toEqual({ votes_required: 40, min_votes: 5 });
    expect(out).toContain('ab_testing: { votes_required: 40, min_votes: 5 } # flow style');
    expect(out).toContain('accuracy_threshold: 0.80 # below this, evolve');
    expect(out).toContain('# my skills\nskills:');
  });

  it('keeps CRLF line endings', () => {
    const text = 'app:\r\n  tray_title: true\r\n';
    expect(applyEdit(text, { op: 'set', path: ['app', 'notifications'], value: false })).toBe(
      'app:\r\n  tray_title: true\r\n  notifications: false\r\n',
    );
  });

  it('writes into a file that has only comments', () => {
    const out = applyEdit('# header\n', { op: 'set', path: ['watch', 'folders'], value: ['~/Desktop'] });
    expect(out).toBe('# header\nwatch:\n  folders:\n    - ~/Desktop\n');
  });
});
