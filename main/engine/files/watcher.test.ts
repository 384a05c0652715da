import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempEngine, type TempEngine } from '../../test-support/temp-engine';
import { defaultWatchFolders, resolveWatchFolders } from './default-folders';
import { standInNamer } from './stand-in-namer';
import type { FileProposals, ProposalEvent } from './proposals';
import { eventually } from '../../test-support/eventually';
import { pngBytes, sandbox, type Sandbox } from './test-fixtures';
import { startFileWatch, type FileWatch } from './watch-service';
import { FolderWatcher, isIgnoredName, type NewFile } from './watcher';

// Real chokidar on a temp folder with a short settle time. Waits are generous; no test asserts a duration.
const SETTLE = { settleMs: 150, pollMs: 25 };

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => {
  expect(box.surroundingsIntact()).toBe(true);
  box.cleanup();
});

describe('FolderWatcher', () => {
  let watcher: FolderWatcher;
  afterEach(() => watcher.close());

  it('reports new settled files once, not files present at start, hidden or partial files, or renames of known files', async () => {
    box.write('old.png', pngBytes(2, 2));
    watcher = new FolderWatcher([box.folder], SETTLE);
    const seen: NewFile[] = [];
    watcher.onFile((file) => seen.push(file));
    await watcher.start();

    fs.renameSync(path.join(box.folder, 'old.png'), path.join(box.folder, 'old renamed by the user.png'));
    box.write('.Screenshot in progress.png', 'x');
    box.write('movie.mp4.crdownload', 'x');
    fs.mkdirSync(path.join(box.folder, 'sub'));
    fs.writeFileSync(path.join(box.folder, 'sub', 'deep.png'), 'x');
    box.write('new.png', pngBytes(3, 3));
    await eventually(() => seen.length > 0, 20_000, 'the new file');
    // Anything else would have arrived by the time a later file has settled.
    box.write('marker.txt', 'marker');
    await eventually(() => seen.some((f) => f.name === 'marker.txt'), 20_000, 'the marker');
    expect(seen.map((f) => f.name)).toEqual(['new.png', 'marker.txt']);
    expect(seen[0]).toMatchObject({ folder: box.folder, path: path.join(box.folder, 'new.png') });
    fs.rmSync(path.join(box.folder, 'sub'), { recursive: true });
    expect(box.files()).toEqual([
      '.Screenshot in progress.png',
      'marker.txt',
      'movie.mp4.crdownload',
      'new.png',
      'old renamed by the user.png',
    ]);
  });

  it('names an empty file once something is written to it', async () => {
    watcher = new FolderWatcher([box.folder], SETTLE);
    const seen: NewFile[] = [];
    watcher.onFile((file) => seen.push(file));
    await watcher.start();
    box.write('draft.txt', '');
    box.write('marker.txt', 'm');
    await eventually(() => seen.some((f) => f.name === 'marker.txt'), 20_000, 'the marker');
    expect(seen.map((f) => f.name)).toEqual(['marker.txt']);
    fs.appendFileSync(path.join(box.folder, 'draft.txt'), 'now with words');
    await eventually(() => seen.some((f) => f.name === 'draft.txt'), 20_000, 'the written file');
    expect(seen.find((f) => f.name === 'draft.txt')!.identity.size).toBe(14);
  });

  it('ignores what should be ignored', () => {
    expect(['.DS_Store', '.Screenshot 1.png', 'a.part', 'a.download', '~$report.docx', 'x.tmp', 'notes.txt~'].every(isIgnoredName)).toBe(
      true,
    );
    expect(['Screenshot 1.png', 'report.docx', 'part.png'].some(isIgnoredName)).toBe(false);
  });
});

describe('startFileWatch + proposals', () => {
  let t: TempEngine;
  let proposals: FileProposals;
  let watch: FileWatch;
  const events: ProposalEvent[] = [];
  beforeEach(async () => {
    t = tempEngine();
    events.length = 0;
    t.engine.setSkillRunner(standInNamer());
    proposals = t.engine.fileProposals();
    proposals.onChange((e) => events.push(e));
  });
  afterEach(async () => {
    await watch?.close();
    await proposals.close();
    t.cleanup();
  });

  const added = () => events.filter((e) => e.type === 'added').length;

  it('a burst of 50 screenshots: every file gets exactly one proposal, none is lost, renamed files are not proposed again', async () => {
    box.write('already here.png', pngBytes(2, 2));
    watch = await startFileWatch(t.engine.ctx.config.config.watch, proposals, { folders: [box.folder], ...SETTLE });
    expect(watch.folders).toEqual([box.folder]);
    const names = Array.from({ length: 50 }, (_, i) => `Screenshot 2026-03-02 at 10.${String(i).padStart(2, '0')}.00.png`);
    names.forEach((name, i) => box.write(name, pngBytes(10 + i, 20)));

    await eventually(() => proposals.list().length === 50, 60_000, '50 proposals');
    box.write('marker.txt', 'marker');
    await eventually(() => proposals.list().length === 51, 30_000, 'the marker proposal');
    const pending = proposals.list();
    expect(new Set(pending.map((p) => p.name))).toEqual(new Set([...names, 'marker.txt']));
    expect(added()).toBe(51);

    const decisions = pending.filter((p) => p.name !== 'marker.txt').map((p) => proposals.accept(p.id));
    expect(decisions.every((d) => d.proposal.status === 'renamed')).toBe(true);
    const finals = decisions.map((d) => d.proposal.finalName!);
    expect(new Set(finals).size).toBe(50);

    // The renames show up as new names in the folder; none of them may come back as a proposal.
    box.write('marker 2.txt', 'marker two');
    await eventually(() => proposals.list().some((p) => p.name === 'marker 2.txt'), 30_000, 'the second marker');
    expect(
      proposals
        .list()
        .map((p) => p.name)
        .sort(),
    ).toEqual(['marker 2.txt', 'marker.txt']);
    expect(added()).toBe(52);
    expect(box.files()).toEqual(['already here.png', 'marker 2.txt', 'marker.txt', ...finals].sort());
  });

  it('a pending file the user deletes or renames becomes stale; the file is untouched', async () => {
    watch = await startFileWatch(t.engine.ctx.config.config.watch, proposals, { folders: [box.folder], ...SETTLE });
    box.write('Screenshot A.png', pngBytes(3, 3));
    const proposal = await eventually(() => proposals.list()[0], 20_000, 'a proposal');
    fs.renameSync(path.join(box.folder, 'Screenshot A.png'), path.join(box.folder, 'kept by me.png'));
    await eventually(() => proposals.get(proposal.id)!.status === 'stale', 20_000, 'the stale mark');
    expect(proposals.get(proposal.id)!.note).toMatch(/no longer in/);
    box.write('marker.txt', 'm');
    await eventually(() => proposals.list().some((p) => p.name === 'marker.txt'), 20_000, 'the marker');
    // The user's rename is not a new file.
    expect(proposals.list().map((p) => p.name)).toEqual(['marker.txt']);
    expect(box.files()).toEqual(['kept by me.png', 'marker.txt']);
  });

  it('a file that grows again after it was proposed (still being written) is proposed again once it settles', async () => {
    watch = await startFileWatch(t.engine.ctx.config.config.watch, proposals, { folders: [box.folder], ...SETTLE });
    const file = box.write('export.txt', 'first half');
    const first = await eventually(() => proposals.list()[0], 20_000, 'the first proposal');
    fs.appendFileSync(file, ' and the second half');
    await eventually(() => proposals.get(first.id)!.status === 'stale', 20_000, 'the first proposal going stale');
    const second = await eventually(() => proposals.list()[0], 20_000, 'the second proposal');
    expect(second.id).not.toBe(first.id);
    expect(second.input).toContain('and the second half');
    expect(proposals.get(first.id)!.note).toMatch(/still being written/);
    expect(proposals.accept(second.id).proposal.status).toBe('renamed');
  });

  it('watch.enabled false watches nothing; missing folders are reported', async () => {
    t.engine.ctx.config.set(['watch', 'enabled'], false);
    watch = await startFileWatch(t.engine.ctx.config.config.watch, proposals);
    expect(watch.folders).toEqual([]);
    t.engine.ctx.config.set(['watch', 'enabled'], true);
    // A folder that went away after it was set (a write would refuse it): the watch skips it and says why.
    fs.writeFileSync(t.engine.ctx.config.file, `watch:\n  folders: [${JSON.stringify(path.join(box.root, 'nope'))}]\n`);
    t.engine.ctx.config.load();
    const other = await startFileWatch(t.engine.ctx.config.config.watch, proposals);
    expect(other.skipped).toEqual([{ folder: path.join(box.root, 'nope'), reason: 'not a folder (or does not exist)' }]);
    await other.close();
  });
});

describe('default folders', () => {
  it('uses the macOS screenshot location, else the Desktop; ~/Pictures/Screenshots on Linux', () => {
    expect(defaultWatchFolders({ platform: 'darwin', home: '/Users/me', screenshotLocation: () => '~/Screenshots' })).toEqual([
      '/Users/me/Screenshots',
    ]);
    expect(defaultWatchFolders({ platform: 'darwin', home: '/Users/me', screenshotLocation: () => null })).toEqual(['/Users/me/Desktop']);
    expect(defaultWatchFolders({ platform: 'linux', home: '/home/me' })).toEqual(['/home/me/Pictures/Screenshots']);
    expect(defaultWatchFolders({ platform: 'win32', home: 'C:\\Users\\me' })).toEqual([]);
    expect(resolveWatchFolders(['~/Desktop', '/tmp/x', '~/Desktop'], { home: '/home/me' })).toEqual(['/home/me/Desktop', '/tmp/x']);
  });
});
