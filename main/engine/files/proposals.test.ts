import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempEngine, VARIANTS, type TempEngine } from '../../test-support/temp-engine';
import { UserError } from '../util/errors';
import { standInNamer, type StandInPick } from './stand-in-namer';
import type { FileProposals, ProposalEvent } from './proposals';
import { utf8Bytes } from './sanitize';
import { jpegBytes, pdfBytes, pngBytes, sandbox, type Sandbox } from './test-fixtures';

let t: TempEngine;
let box: Sandbox;
let proposals: FileProposals;
const events: ProposalEvent[] = [];

const use = (pick?: StandInPick, options: { maxNameBytes?: number } = {}) => {
  t.engine.setSkillRunner(standInNamer(pick));
  proposals = t.engine.fileProposals(options);
  proposals.onChange((e) => events.push(e));
  return proposals;
};

beforeEach(() => {
  t = tempEngine();
  box = sandbox();
  events.length = 0;
  use();
});
afterEach(async () => {
  await proposals.close();
  expect(box.surroundingsIntact()).toBe(true);
  box.cleanup();
  t.cleanup();
});

const task = (id: string) => t.engine.tasks.get(id);
const read = (name: string) => fs.readFileSync(path.join(box.folder, name));

describe('proposals on real files', () => {
  it('names a PNG, a JPEG photo, a PDF and a text file from what they contain, and accepting renames them', async () => {
    const png = await proposals.propose(box.write('Screenshot 2026-03-02 at 09.41.12.png', pngBytes(1170, 2532)));
    const jpg = await proposals.propose(
      box.write('IMG_4521.JPG', jpegBytes(64, 48, { make: 'Apple', model: 'iPhone 13', dateTimeOriginal: '2024:07:14 18:22:05' })),
    );
    const pdf = await proposals.propose(box.write('scan0001.pdf', pdfBytes({ pages: 2, title: 'Lease agreement 2026' })));
    const txt = await proposals.propose(box.write('Untitled 3.txt', 'Grocery list: eggs, milk, coffee\n'));

    expect(png).toMatchObject({
      kind: 'single',
      status: 'pending',
      proposed: 'screenshot-2026-03-02-at-1170x2532.png',
      promptVersion: 1,
      variant: null,
    });
    expect(png!.input).toMatch(/^Screenshot 2026-03-02 at 09\.41\.12\.png — PNG image, 1170×2532, /);
    expect(jpg!.input).toContain('Photo taken 2024-07-14 18:22 with Apple iPhone 13');
    expect(jpg!.proposed).toBe('img-4521-64x48.JPG');
    expect(pdf!.proposed).toBe('lease-agreement-2026.pdf');
    expect(txt!.proposed).toBe('grocery-list-eggs-milk-coffee.txt');
    expect(proposals.list().map((p) => p.id)).toEqual([png!.id, jpg!.id, pdf!.id, txt!.id]);
    expect(events.filter((e) => e.type === 'added')).toHaveLength(4);

    const pngBefore = read('Screenshot 2026-03-02 at 09.41.12.png');
    for (const p of [png!, jpg!, pdf!, txt!]) {
      const decision = proposals.accept(p.id);
      expect(decision.proposal).toMatchObject({ status: 'renamed', outcome: 'accepted', finalName: p.proposed });
      expect(decision.rename).toMatchObject({ from_name: p.name, to_name: p.proposed, task_id: p.taskId });
      expect(task(p.taskId)).toMatchObject({
        skill: 'file-naming',
        outcome: 'accepted',
        output: p.proposed,
        source: 'watch',
        input: p.input,
      });
    }
    expect(box.files()).toEqual([
      'grocery-list-eggs-milk-coffee.txt',
      'img-4521-64x48.JPG',
      'lease-agreement-2026.pdf',
      'screenshot-2026-03-02-at-1170x2532.png',
    ]);
    expect(read('screenshot-2026-03-02-at-1170x2532.png').equals(pngBefore)).toBe(true);
    expect(proposals.list()).toEqual([]);
    expect(t.engine.stats('file-naming').accuracy).toMatchObject({ samples: 4, successes: 4 });
  });

  it("edit renames to the user's name and records it as the expected output", async () => {
    const p = (await proposals.propose(box.write('IMG_1.png', pngBytes(4, 4))))!;
    const decision = proposals.edit(p.id, 'Beach sunset, Lisbon.jpg');
    expect(decision.proposal).toMatchObject({ status: 'renamed', outcome: 'edited', finalName: 'Beach sunset, Lisbon.png' });
    expect(decision.notes).toEqual(['Adjusted your name: kept the extension .png instead of .jpg']);
    expect(task(p.taskId)).toMatchObject({ outcome: 'edited', output: 'img-1-4x4.png', final_output: 'Beach sunset, Lisbon.png' });
    expect(box.files()).toEqual(['Beach sunset, Lisbon.png']);
    expect(() => proposals.edit(p.id, 'again')).toThrow(/already decided/);
  });

  it('an unusable edit is refused and the proposal stays pending', async () => {
    const p = (await proposals.propose(box.write('IMG_1.png', pngBytes(4, 4))))!;
    expect(() => proposals.edit(p.id, '../..')).toThrow(/not a usable file name/);
    expect(proposals.get(p.id)!.status).toBe('pending');
    expect(box.files()).toEqual(['IMG_1.png']);
  });

  it('skip records nothing; dismiss records a rejection; neither touches the file', async () => {
    const a = (await proposals.propose(box.write('a.png', pngBytes(2, 2))))!;
    const b = (await proposals.propose(box.write('b.png', pngBytes(3, 3))))!;
    expect(proposals.skip(a.id).proposal).toMatchObject({ status: 'skipped', outcome: null });
    // The model ran, so its task is in the log; skipping gives it no verdict, so it counts nowhere.
    expect(task(a.taskId)).toMatchObject({ outcome: null, output: 'a-2x2.png' });
    expect(proposals.dismiss(b.id).proposal).toMatchObject({ status: 'dismissed', outcome: 'rejected' });
    expect(task(b.taskId)).toMatchObject({ outcome: 'rejected', output: 'b-3x3.png' });
    expect(box.files()).toEqual(['a.png', 'b.png']);
    expect(proposals.history().map((p) => p.status)).toEqual(['dismissed', 'skipped']);
  });

  it('a file the user renamed or changed before accepting is left alone with a note; nothing is lost', async () => {
    const renamed = (await proposals.propose(box.write('Screenshot 1.png', pngBytes(5, 5))))!;
    const changed = (await proposals.propose(box.write('notes.txt', 'first draft')))!;
    fs.renameSync(path.join(box.folder, 'Screenshot 1.png'), path.join(box.folder, 'my own name.png'));
    fs.appendFileSync(path.join(box.folder, 'notes.txt'), ' and more');

    const first = proposals.accept(renamed.id);
    expect(first.proposal).toMatchObject({ status: 'stale', outcome: null });
    expect(first.notes[0]).toMatch(/Screenshot 1\.png is no longer in .* \(renamed, moved or deleted\); nothing was changed/);
    const second = proposals.edit(changed.id, 'meeting notes');
    expect(second.proposal.status).toBe('stale');
    expect(second.notes[0]).toMatch(/notes\.txt changed since the proposal/);
    expect(task(renamed.taskId)!.outcome).toBeNull();
    expect(task(changed.taskId)!.outcome).toBeNull();
    expect(box.files()).toEqual(['my own name.png', 'notes.txt']);
    expect(fs.readFileSync(path.join(box.folder, 'notes.txt'), 'utf8')).toBe('first draft and more');
  });

  it('collisions get -2 and -3, never an overwrite', async () => {
    use(() => 'receipt.pdf');
    box.write('receipt.pdf', 'existing');
    const a = (await proposals.propose(box.write('scan1.pdf', pdfBytes({ pages: 1 }))))!;
    const b = (await proposals.propose(box.write('scan2.pdf', pdfBytes({ pages: 2 }))))!;
    expect(proposals.accept(a.id).proposal.finalName).toBe('receipt-2.pdf');
    const second = proposals.accept(b.id);
    expect(second.proposal.finalName).toBe('receipt-3.pdf');
    expect(second.notes).toEqual(['receipt.pdf was taken, so the file is now receipt-3.pdf']);
    // The model's name was right; the counter is not the model's doing.
    expect(task(b.taskId)).toMatchObject({ outcome: 'accepted', output: 'receipt.pdf' });
    expect(box.files()).toEqual(['receipt-2.pdf', 'receipt-3.pdf', 'receipt.pdf']);
    expect(fs.readFileSync(path.join(box.folder, 'receipt.pdf'), 'utf8')).toBe('existing');
  });

  it('undo puts the last renames back', async () => {
    const a = (await proposals.propose(box.write('a.png', pngBytes(2, 2))))!;
    const b = (await proposals.propose(box.write('b.png', pngBytes(3, 3))))!;
    proposals.accept(a.id);
    t.clock.advance(1000);
    proposals.edit(b.id, 'bee');
    expect(box.files()).toEqual(['a-2x2.png', 'bee.png']);
    const results = proposals.undoLast(2);
    expect(results.map((r) => r.undone)).toEqual([true, true]);
    expect(box.files()).toEqual(['a.png', 'b.png']);
    expect(events.at(-1)).toMatchObject({ type: 'undone' });
    // Files tinyArms renamed, or put back, are not proposed again.
    expect(await proposals.propose(path.join(box.folder, 'a.png'))).toBeNull();
  });

  it('proposes a file once, even when asked twice at the same time, and never a file it renamed', async () => {
    const file = box.write('IMG_2.png', pngBytes(6, 6));
    const [one, two] = await Promise.all([proposals.propose(file), proposals.propose(file)]);
    expect(one!.id).toBe(two!.id);
    expect((await proposals.propose(file))!.id).toBe(one!.id);
    proposals.accept(one!.id);
    expect(await proposals.propose(path.join(box.folder, 'img-2-6x6.png'))).toBeNull();
    expect(events.filter((e) => e.type === 'added')).toHaveLength(1);
  });

  it('without a model it says how to get one and proposes nothing', async () => {
    t.engine.setSkillRunner(null);
    proposals = t.engine.fileProposals();
    proposals.onChange((e) => events.push(e));
    await expect(proposals.propose(box.write('a.png', pngBytes(2, 2)))).rejects.toThrow(
      /model SmolLM2-360M-Instruct \(Q4_K_M\) is not installed: .*put it at .*models.*\.gguf, run `tinyarms model pull/,
    );
    expect(events).toEqual([expect.objectContaining({ type: 'error', message: expect.stringMatching(/is not installed/) })]);
    expect(proposals.list()).toEqual([]);
    await expect(proposals.propose(path.join(box.folder, 'missing.png'))).rejects.toThrow(/missing\.png does not exist/);
  });

  it('refuses symlinks and folders without touching them', async () => {
    fs.symlinkSync(path.join(box.root, 'outside', 'passwd'), path.join(box.folder, 'link.png'));
    fs.mkdirSync(path.join(box.folder, 'album.png'));
    await expect(proposals.propose(path.join(box.folder, 'link.png'))).rejects.toThrow(/symbolic link/);
    await expect(proposals.propose(path.join(box.folder, 'album.png'))).rejects.toThrow(/not a regular file/);
    expect(events).toEqual([]);
    expect(box.files()).toEqual(['album.png', 'link.png']);
    fs.rmSync(path.join(box.folder, 'link.png'));
    fs.rmdirSync(path.join(box.folder, 'album.png'));
  });

  it('listeners unsubscribe', async () => {
    const seen: string[] = [];
    const off = proposals.onChange((e) => seen.push(e.type));
    const p = (await proposals.propose(box.write('a.png', pngBytes(2, 2))))!;
    off();
    proposals.skip(p.id);
    expect(seen).toEqual(['added']);
  });
});

describe('hostile model outputs', () => {
  const HOSTILE: [string, string | null][] = [
    ['../../etc/passwd', 'etc-passwd.png'],
    ['/etc/passwd', 'etc-passwd.png'],
    ['CON', 'CON-file.png'],
    ['x'.repeat(300), `${'x'.repeat(251)}.png`],
    ['🌅🏖️ beach day 🌊', '🌅🏖️ beach day 🌊.png'],
    ['', null],
    ['...', null],
    // The answer is parsed like any skill output first: a file name is its first line.
    ['line one\nline two', 'line one.png'],
    ['sunset.jpg', 'sunset.png'],
    ['.hidden', 'hidden.png'],
    ['notes.exe', 'notes.exe.png'],
  ];

  it.each(HOSTILE)('%j becomes %j and stays in the folder', async (output, expected) => {
    use(() => output);
    const p = (await proposals.propose(box.write('IMG_0001.png', pngBytes(3, 2))))!;
    expect(p.proposed).toBe(expected);
    if (expected === null) {
      expect(p.note).toMatch(/not a usable file name/);
      expect(() => proposals.accept(p.id)).toThrow(/no usable name: edit it or skip it/);
      const edited = proposals.edit(p.id, 'my name');
      expect(edited.proposal.finalName).toBe('my name.png');
      expect(task(p.taskId)).toMatchObject({ outcome: 'edited', output: '(no usable name)', final_output: 'my name.png' });
      expect(box.files()).toEqual(['my name.png']);
    } else {
      expect(utf8Bytes(expected)).toBeLessThanOrEqual(255);
      proposals.accept(p.id);
      expect(box.files()).toEqual([expected]);
    }
  });

  it('honours a lower name limit', async () => {
    use(() => 'a-very-long-descriptive-name-for-a-screenshot', { maxNameBytes: 20 });
    const p = (await proposals.propose(box.write('IMG_0001.png', pngBytes(3, 2))))!;
    expect(p.proposed).toBe('a-very-long-desc.png');
    expect(p.note).toMatch(/shortened to 20 bytes/);
  });
});

describe('A/B sessions', () => {
  const startSession = (showProbability: number) => {
    t.engine.ctx.config.set(['prompt_evolution', 'ab_testing', 'show_probability'], showProbability);
    return t.engine.sessions.create({ skill: 'file-naming', variants: VARIANTS.map((prompt) => ({ prompt })), reason: 'manual' });
  };

  it('serves an allocated arm and credits its feedback to that arm', async () => {
    const session = startSession(0);
    const p = (await proposals.propose(box.write('IMG_7.png', pngBytes(2, 2))))!;
    expect(p.kind).toBe('single');
    expect(p.variant).toMatch(/^[ABC]$/);
    expect(p.proposed).toBe(`img-7-2x2-${p.variant!.toLowerCase()}.png`);
    proposals.accept(p.id);
    const arm = t.engine.sessions.variant(session.id, p.variant!);
    expect(arm).toMatchObject({ served: 1, accepted: 1 });
  });

  it("opens a vote round with every arm's name; the pick is voted, renamed and accepted", async () => {
    const session = startSession(1);
    const p = (await proposals.propose(box.write('IMG_8.png', pngBytes(2, 2))))!;
    expect(p.kind).toBe('vote');
    expect(p.options.map((o) => o.name).sort()).toEqual(['img-8-2x2-a.png', 'img-8-2x2-b.png', 'img-8-2x2-c.png']);
    expect(t.engine.sessions.round(p.taskId).status).toBe('open');
    expect(() => proposals.accept(p.id)).toThrow(/pick one of the options 1, 2, 3/);

    const pick = p.options.find((o) => o.name === 'img-8-2x2-b.png')!;
    const decision = proposals.accept(p.id, { option: pick.label });
    expect(decision.proposal).toMatchObject({ status: 'renamed', finalName: 'img-8-2x2-b.png', outcome: 'accepted' });
    expect(t.engine.sessions.round(p.taskId)).toMatchObject({ status: 'picked', picked: pick.label });
    expect(t.engine.sessions.variant(session.id, 'B')).toMatchObject({ votes: 1, served: 1, accepted: 1 });
    expect(box.files()).toEqual(['img-8-2x2-b.png']);
  });

  it('a vote proposal made before an arm lost no longer offers that arm', async () => {
    const session = startSession(1);
    const p = (await proposals.propose(box.write('IMG_9.png', pngBytes(2, 2))))!;
    const labelOf = (name: string) => p.options.find((o) => o.name === name)!.label;
    // Four picks each for A and C elsewhere: B's P(best) falls to 0.0091, below drop_below (0.01).
    const outputs = { A: 'a.png', B: 'b.png', C: 'c.png' };
    for (let i = 0; i < 8; i += 1) {
      const round = t.engine.sessions.openRound(session.id, { taskId: `other-${i}`, input: 'x.png', outputs });
      t.engine.vote(`other-${i}`, round.options.find((o) => o.output === (i % 2 ? 'c.png' : 'a.png'))!.label);
    }
    const now = proposals.list()[0];
    expect(now.options.map((o) => [o.label, o.name])).toEqual(
      p.options.filter((o) => o.name !== 'img-9-2x2-b.png').map((o) => [o.label, o.name]),
    );
    expect(proposals.require(p.id).options).toHaveLength(2);
    expect(() => proposals.accept(p.id, { option: labelOf('img-9-2x2-b.png') })).toThrow(/has options \d, \d/);
    expect(box.files()).toEqual(['IMG_9.png']);
    proposals.accept(p.id, { option: labelOf('img-9-2x2-c.png') });
    expect(box.files()).toEqual(['img-9-2x2-c.png']);
    expect(t.engine.sessions.results(session.id).arms.map((a) => [a.votes, a.inTest])).toEqual([
      [4, true],
      [0, false],
      [5, true],
    ]);
  });

  it("says in words when a name's prompt lost between the proposal's last read and the vote, and the file keeps its name", async () => {
    startSession(1);
    const p = (await proposals.propose(box.write('IMG_7.png', pngBytes(2, 2))))!;
    // The race itself: another process's votes make the arm lose after this proposal was read. Only the vote's own
    // transaction can see it (lost-arms.test.ts); here the vote refuses as it then does.
    t.engine.sessions.voteInTransaction = () => {
      throw new UserError("option 2 of task 'task_x' has left the A/B test (it has clearly lost); choose 1, 3, none or skip", {
        exitCode: 2,
        code: 'option_withdrawn',
      });
    };
    expect(() => proposals.accept(p.id, { option: p.options[1].label })).toThrow(
      expect.objectContaining({
        message: 'That name has just left the test, and the file keeps its name: pick one of the names shown now.',
        code: 'option_withdrawn',
      }),
    );
    expect(box.files()).toEqual(['IMG_7.png']);
    expect(proposals.list()[0].status).toBe('pending');
  });

  it('an edit without a pick votes "none"; skip and stale close the round without counting', async () => {
    startSession(1);
    const a = (await proposals.propose(box.write('a.png', pngBytes(2, 2))))!;
    const b = (await proposals.propose(box.write('b.png', pngBytes(3, 3))))!;
    const c = (await proposals.propose(box.write('c.png', pngBytes(4, 4))))!;
    expect(proposals.edit(a.id, 'mine').proposal.finalName).toBe('mine.png');
    expect(t.engine.sessions.round(a.taskId).status).toBe('none');
    proposals.skip(b.id);
    expect(t.engine.sessions.round(b.taskId).status).toBe('skipped');
    fs.rmSync(path.join(box.folder, 'c.png'));
    expect(proposals.checkFiles({ path: path.join(box.folder, 'c.png') }).map((p) => p.id)).toEqual([c.id]);
    expect(t.engine.sessions.round(c.taskId).status).toBe('skipped');
    expect(box.files()).toEqual(['b.png', 'mine.png']);
  });

  it('an arm whose answer is unusable is shown as such and cannot be accepted, only edited from', async () => {
    startSession(1);
    use((_input, { variant }) => (variant === 'B' ? '../..' : `name-${variant}`));
    const p = (await proposals.propose(box.write('IMG_5.png', pngBytes(2, 2))))!;
    const bad = p.options.find((o) => o.name === null)!;
    expect(bad.text).toBe('(no usable name)');
    expect(() => proposals.accept(p.id, { option: bad.label })).toThrow(/not a usable file name: edit instead/);
    expect(() => proposals.accept(p.id, { option: '9' })).toThrow(/has options 1, 2, 3/);
    const decision = proposals.edit(p.id, 'fixed', { option: bad.label });
    expect(decision.proposal).toMatchObject({ status: 'renamed', outcome: 'edited', finalName: 'fixed.png' });
    expect(t.engine.tasks.get(p.taskId)).toMatchObject({ output: '(no usable name)', final_output: 'fixed.png' });
    expect(box.files()).toEqual(['fixed.png']);
  });

  it('a rename still happens when the session ended meanwhile; the arm that served it keeps its feedback', async () => {
    const session = startSession(0);
    const p = (await proposals.propose(box.write('IMG_9.png', pngBytes(2, 2))))!;
    t.engine.sessions.cancel(session.id);
    const decision = proposals.accept(p.id);
    expect(decision.proposal.status).toBe('renamed');
    expect(decision.rename!.task_id).toBe(p.taskId);
    expect(t.engine.sessions.variant(session.id, p.variant!)).toMatchObject({ served: 1, accepted: 1 });
    expect(box.files()).toEqual([p.proposed]);
  });
});
