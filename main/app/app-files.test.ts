import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SkillRunner } from '../engine/serving/types';
import { pngBytes, sandbox, type Sandbox } from '../engine/files/test-fixtures';
import { eventually } from '../test-support/eventually';
import { tempEngine, VARIANTS, type TempEngine } from '../test-support/temp-engine';
import type { AppStateView, ProposalView } from '../../contract/api';
import { AppService } from './app-service';
import { browserShellOps, dispatch, withWindowOps } from './dispatch';

// The app's side of file naming on a real engine, real files and a real folder watch; the model is a
// deterministic stand-in (a SkillRunner) so the names are known.

let t: TempEngine;
let box: Sandbox;
let app: AppService;
let last: AppStateView | null;
const logs: string[] = [];

/** Names a file from the description's first word, per arm when an A/B arm runs it. */
const runner: SkillRunner = {
  async run(_skill, prompt, input) {
    const word = input.split(/[\s.—]+/)[0].toLowerCase();
    const arm = /Variant ([ABC])/.exec(prompt)?.[1];
    return arm ? `${word}-arm-${arm.toLowerCase()}` : `named-${word}`;
  },
};

function service(options: { runner?: SkillRunner | null; watch?: boolean } = {}): AppService {
  t.engine.setSkillRunner(options.runner === undefined ? runner : options.runner);
  const s = new AppService({
    engine: t.engine,
    watchIntervalMs: 0,
    watchFiles: options.watch ?? true,
    fileWatch: { folders: [box.folder], settleMs: 40 },
    timers: { setTimeout: () => 0, clearTimeout: () => {} },
    log: (line) => logs.push(line),
  });
  s.onState((state) => (last = state));
  return s;
}

async function started(options: Parameters<typeof service>[0] = {}): Promise<AppService> {
  const s = service(options);
  s.start();
  await s.filesReady();
  return s;
}

const pending = (): ProposalView[] => (last ?? app.refresh()).proposals.filter((p) => p.status === 'pending');
const accuracy = () => app.refresh().skills.find((s) => s.skill === 'file-naming')!;

beforeEach(() => {
  t = tempEngine();
  box = sandbox();
  last = null;
  logs.length = 0;
});

afterEach(async () => {
  await app?.stop();
  expect(box.surroundingsIntact()).toBe(true);
  box.cleanup();
  t.cleanup();
});

describe('file proposals in the app', () => {
  it('a new file in a watched folder becomes a proposal in the state; Accept renames it and counts as accepted', async () => {
    app = await started();
    box.write('Screenshot 1.png', pngBytes(4, 4));
    const [proposal] = await eventually(() => pending().length === 1 && pending(), 20_000, 'a proposal');
    expect(proposal).toMatchObject({
      kind: 'name',
      name: 'Screenshot 1.png',
      proposed: 'named-screenshot.png',
      folder: box.folder,
      options: [],
    });
    expect(proposal.path).toBe(path.join(box.folder, 'Screenshot 1.png'));

    const decision = await app.acceptProposal(proposal.id);
    expect(decision.proposal).toMatchObject({ status: 'renamed', finalName: 'named-screenshot.png' });
    expect(box.files()).toEqual(['named-screenshot.png']);
    expect(last!.proposals).toEqual([]);
    expect(last!.lastRename).toMatchObject({ from: 'Screenshot 1.png', to: 'named-screenshot.png', folder: box.folder });
    expect(accuracy()).toMatchObject({ samples: 1, accuracy: 1 });
    // The renamed file is tinyArms' own: it is not proposed again.
    expect(await app.files.proposals.propose(path.join(box.folder, 'named-screenshot.png'))).toBeNull();
  });

  it('Edit renames to the user’s name (made safe, extension kept) and counts as edited; Skip records nothing', async () => {
    app = await started({ watch: false });
    const a = await app.files.proposals.propose(box.write('IMG_1.png', pngBytes(2, 2)));
    const b = await app.files.proposals.propose(box.write('IMG_2.png', pngBytes(3, 3)));
    const edited = await app.editProposal(a!.id, 'beach/sunset');
    expect(edited.proposal.finalName).toMatch(/^beach.sunset\.png$/);
    expect(edited.notes.join(' ')).toMatch(/Adjusted your name/);
    await app.skipProposal(b!.id);
    expect(box.files()).toEqual(['IMG_2.png', edited.proposal.finalName!]);
    expect(accuracy()).toMatchObject({ samples: 1, accuracy: 0 });
    expect(t.engine.tasks.get(b!.taskId)!.outcome).toBeNull();
  });

  it('Dismiss leaves the file and counts as rejected; Undo puts the last rename back', async () => {
    app = await started({ watch: false });
    const a = await app.files.proposals.propose(box.write('a.png', pngBytes(2, 2)));
    const b = await app.files.proposals.propose(box.write('b.png', pngBytes(3, 3)));
    await app.acceptProposal(a!.id);
    await app.dismissProposal(b!.id);
    expect(t.engine.tasks.get(b!.taskId)).toMatchObject({ outcome: 'rejected' });
    expect(box.files()).toEqual(['b.png', 'named-a.png']);
    expect(await app.undoRenames(1)).toEqual(['Restored a.png (was named-a.png)']);
    expect(box.files()).toEqual(['a.png', 'b.png']);
    expect(app.refresh().lastRename).toBeNull();
    expect(await app.undoRenames(1)).toEqual(['Nothing to undo.']);
  });

  it('a file that changed since its proposal is left alone; the stale proposal shows its note until dismissed', async () => {
    app = await started({ watch: false });
    const p = await app.files.proposals.propose(box.write('c.png', pngBytes(2, 2)));
    fs.rmSync(path.join(box.folder, 'c.png'));
    const decision = await app.acceptProposal(p!.id);
    expect(decision.proposal.status).toBe('stale');
    const [stale] = app.refresh().proposals;
    expect(stale).toMatchObject({ id: p!.id, status: 'stale', note: expect.stringMatching(/c\.png/) });
    await app.dismissProposal(p!.id);
    expect(app.refresh().proposals).toEqual([]);
    expect(box.files()).toEqual([]);
  });

  it('during an A/B session a proposal is a vote with the arms’ names; picking one renames to it and votes', async () => {
    const session = t.engine.sessions.create({ skill: 'file-naming', variants: VARIANTS.map((prompt) => ({ prompt })), reason: 'manual' });
    t.engine.ctx.config.set(['prompt_evolution', 'ab_testing', 'show_probability'], 1);
    app = await started({ watch: false });
    const p = await app.files.proposals.propose(box.write('photo.png', pngBytes(2, 2)));
    const [view] = app.refresh().proposals;
    expect(view.kind).toBe('vote');
    expect(view.options.map((o) => o.name).sort()).toEqual(['photo-arm-a.png', 'photo-arm-b.png', 'photo-arm-c.png']);
    // The round is the popover's to ask, with the file: not a "Vote now" round of its own.
    expect(app.refresh().pendingVotes).toEqual([]);
    expect(await app.getRound()).toBeNull();
    const option = view.options.find((o) => o.name === 'photo-arm-b.png')!;
    await expect(app.acceptProposal(p!.id)).rejects.toThrow(/is a vote: pick one of the options/);
    await app.acceptProposal(p!.id, option.label);
    expect(box.files()).toEqual(['photo-arm-b.png']);
    expect(t.engine.sessions.results(session.id).arms.find((a) => a.letter === 'B')!.votes).toBe(1);
  });

  it('without a model nothing is watched and the state says why; serving a task refuses with one line', async () => {
    app = await started({ runner: null });
    // No model yet is the first run, which the popover explains; the watch line says why nothing is named.
    expect(app.refresh().model.error).toBeNull();
    expect(app.refresh().watch.problem).toBe('New files get names once tinyArms has a model.');
    expect(app.files.modelError()).toMatch(/^model .* is not installed: .*; new files are not named$/);
    await expect(t.engine.serveTask({ skill: 'file-naming', input: 'x.png' })).rejects.toMatchObject({ code: 'no_model' });
    await expect(app.files.proposals.propose(box.write('d.png', pngBytes(2, 2)))).rejects.toMatchObject({ code: 'no_model' });
    expect(app.refresh().proposals).toEqual([]);
    expect(box.files()).toEqual(['d.png']);
  });

  it('the methods go through dispatch with their payload checks', async () => {
    app = await started({ watch: false });
    const target = withWindowOps(app, browserShellOps);
    expect(await dispatch(target, 'acceptProposal', ['../x'])).toMatchObject({ ok: false, code: 'bad_payload' });
    expect(await dispatch(target, 'editProposal', ['fp_1', ''])).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^editProposal: name must be/),
    });
    expect(await dispatch(target, 'undoRenames', [0])).toMatchObject({ ok: false, code: 'bad_payload' });
    expect(await dispatch(target, 'skipProposal', ['fp_nope'])).toEqual({
      ok: false,
      error: "unknown proposal 'fp_nope'",
      code: 'unknown_proposal',
    });
    expect(await dispatch(target, 'undoRenames', [1])).toEqual({ ok: true, value: ['Nothing to undo.'] });
  });
});
