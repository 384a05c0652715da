import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempEngine, type TempEngine } from '../../test-support/temp-engine';
import { RenameLog } from './rename-log';
import { identityOf, safeRename } from './safe-rename';
import { sandbox, type Sandbox } from './test-fixtures';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => {
  expect(box.surroundingsIntact()).toBe(true);
  box.cleanup();
});

const read = (name: string) => fs.readFileSync(path.join(box.folder, name), 'utf8');

describe('safeRename', () => {
  it('renames in place and adds -2, -3 instead of overwriting', () => {
    box.write('a.png', 'A');
    box.write('b.png', 'B');
    box.write('taken.png', 'T');
    box.write('taken-2.png', 'T2');
    expect(safeRename({ folder: box.folder, from: 'a.png', to: 'taken.png' }).to).toBe('taken-3.png');
    expect(safeRename({ folder: box.folder, from: 'b.png', to: 'fresh.png' }).to).toBe('fresh.png');
    expect(box.files()).toEqual(['fresh.png', 'taken-2.png', 'taken-3.png', 'taken.png']);
    expect([read('taken.png'), read('taken-2.png'), read('taken-3.png'), read('fresh.png')]).toEqual(['T', 'T2', 'A', 'B']);
  });

  it('refuses rather than overwrite when counters are off', () => {
    box.write('a.png', 'A');
    box.write('b.png', 'B');
    expect(() => safeRename({ folder: box.folder, from: 'a.png', to: 'b.png', counter: false })).toThrow(/already exists/);
    expect(box.files()).toEqual(['a.png', 'b.png']);
    expect(read('b.png')).toBe('B');
  });

  it('refuses names with a path, symlinks, folders, and a file that changed', () => {
    box.write('a.png', 'A');
    for (const to of ['../a.png', '../outside/passwd', 'x/y.png', '..', '.', '']) {
      expect(() => safeRename({ folder: box.folder, from: 'a.png', to }), to).toThrow(/must not contain a path/);
    }
    expect(() => safeRename({ folder: box.folder, from: '../outside/passwd', to: 'p' })).toThrow(/must not contain a path/);
    fs.symlinkSync(path.join(box.root, 'outside', 'passwd'), path.join(box.folder, 'link.png'));
    expect(() => safeRename({ folder: box.folder, from: 'link.png', to: 'owned.png' })).toThrow(/symbolic link/);
    fs.mkdirSync(path.join(box.folder, 'sub'));
    expect(() => safeRename({ folder: box.folder, from: 'sub', to: 'sub2' })).toThrow(/not a regular file/);
    const before = identityOf(fs.statSync(path.join(box.folder, 'a.png')));
    fs.appendFileSync(path.join(box.folder, 'a.png'), 'more');
    expect(() => safeRename({ folder: box.folder, from: 'a.png', to: 'b.png', expect: before })).toThrow(/changed since the proposal/);
    expect(() => safeRename({ folder: box.folder, from: 'gone.png', to: 'b.png' })).toThrow(/no longer in/);
    expect(box.files()).toEqual(['a.png', 'link.png', 'sub']);
    fs.rmSync(path.join(box.folder, 'link.png'));
    fs.rmSync(path.join(box.folder, 'sub'), { recursive: true });
  });

  it('renames a case-only change', () => {
    box.write('photo.png', 'P');
    expect(safeRename({ folder: box.folder, from: 'photo.png', to: 'Photo.png' }).to).toBe('Photo.png');
    expect(box.files()).toEqual(['Photo.png']);
  });
});

describe('RenameLog', () => {
  let t: TempEngine;
  beforeEach(() => {
    t = tempEngine();
  });
  afterEach(() => t.cleanup());

  const logRename = (log: RenameLog, from: string, to: string) => {
    const result = safeRename({ folder: box.folder, from, to });
    return log.record({ folder: result.folder, from, to: result.to, taskId: null, identity: result.identity });
  };

  it('undoes the last renames newest first and knows the files it renamed', () => {
    const log = new RenameLog(t.engine.ctx);
    box.write('IMG_1.png', '1');
    box.write('IMG_2.png', '2');
    const first = logRename(log, 'IMG_1.png', 'beach.png');
    t.clock.advance(1000);
    logRename(log, 'IMG_2.png', 'dog.png');
    const beach = identityOf(fs.statSync(path.join(box.folder, 'beach.png')));
    expect(log.isOurs(box.folder, 'beach.png', beach)).toBe(true);
    expect(log.isOurs(box.folder, 'IMG_1.png', beach)).toBe(false);

    const results = log.undoLast(2);
    expect(results.map((r) => r.note)).toEqual(['Restored IMG_2.png (was dog.png)', 'Restored IMG_1.png (was beach.png)']);
    expect(box.files()).toEqual(['IMG_1.png', 'IMG_2.png']);
    expect(read('IMG_1.png')).toBe('1');
    // The restored file is ours too, so the watcher does not propose it again.
    expect(log.isOurs(box.folder, 'IMG_1.png', beach)).toBe(true);
    expect(log.undo(first.id).note).toMatch(/already put back/);
    expect(log.undoLast(5)).toEqual([]);
  });

  it('refuses to undo when the file vanished, changed, or the old name is taken', () => {
    const log = new RenameLog(t.engine.ctx);
    box.write('a.png', 'A');
    box.write('b.png', 'B');
    box.write('c.png', 'C');
    const gone = logRename(log, 'a.png', 'a2.png');
    const changed = logRename(log, 'b.png', 'b2.png');
    const taken = logRename(log, 'c.png', 'c2.png');
    fs.rmSync(path.join(box.folder, 'a2.png'));
    fs.appendFileSync(path.join(box.folder, 'b2.png'), ' edited');
    box.write('c.png', 'new C');

    expect(log.undo(gone.id)).toMatchObject({ undone: false, note: expect.stringMatching(/a2\.png is no longer/) });
    expect(log.undo(changed.id)).toMatchObject({ undone: false, note: expect.stringMatching(/b2\.png changed/) });
    expect(log.undo(taken.id)).toMatchObject({ undone: false, note: expect.stringMatching(/old name c\.png is now taken/) });
    expect(box.files()).toEqual(['b2.png', 'c.png', 'c2.png']);
    expect([read('b2.png'), read('c.png'), read('c2.png')]).toEqual(['B edited', 'new C', 'C']);
    expect(log.recent().map((r) => r.undone_at)).toEqual([null, null, null]);
  });
});
