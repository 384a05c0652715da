import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempEngine, type TempEngine } from '../test-support/temp-engine';
import { resetTeamFileCache } from '../engine/team/team-file';
import { startTeamSession, voter } from '../engine/team/team-test-support';
import type { AppStateView } from '../../contract/api';
import { AppService } from './app-service';

// Bob's app and Alice's engine, two data folders sharing one team folder (real SQLite, real files).

let folder: string;
let alice: TempEngine;
let bob: TempEngine;
let app: AppService;
let pushes: AppStateView[];

beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-team-'));
  alice = tempEngine({ seed: 'alice' });
  alice.engine.team.join(folder, 'alice');
  bob = tempEngine({ seed: 'bob' });
  pushes = [];
  app = new AppService({ engine: bob.engine, watchIntervalMs: 0, log: () => {} });
  app.onState((state) => pushes.push(state));
});
afterEach(async () => {
  await app.stop();
  alice.cleanup();
  bob.cleanup();
  fs.rmSync(folder, { recursive: true, force: true });
  resetTeamFileCache();
});

const naming = (state: AppStateView) => state.skills.find((s) => s.skill === 'file-naming')!;

describe('the team in the app', () => {
  it('joins from Preferences, says why a name is refused, and leaves', async () => {
    expect((await app.getState()).team).toMatchObject({ folder: null, member: null, teammates: [] });
    await expect(app.joinTeam(folder, 'bob smith')).rejects.toThrow("'bob smith' is not a member name (letters, digits, - _ .)");
    await expect(app.joinTeam(path.join(folder, 'nope'), 'bob')).rejects.toThrow(/nope is not a folder/);
    await app.joinTeam(folder, 'bob');
    const team = pushes.at(-1)!.team;
    expect(team).toMatchObject({ folder, member: 'bob', shareProblem: null, problem: null, skipped: [] });
    expect(team.teammates.map((m) => m.member)).toEqual(['alice']);
    expect(fs.existsSync(path.join(folder, 'bob', 'share.json'))).toBe(true);
    await app.leaveTeam();
    expect(pushes.at(-1)!.team).toMatchObject({ folder: null, member: null, teammates: [] });
    expect(fs.existsSync(path.join(folder, 'bob', 'share.json'))).toBe(true); // what was shared stays
  });

  it("offers Alice's running test in the popover; joining it starts the same test and pools both people's votes", async () => {
    const sa = await startTeamSession(alice.engine);
    const a = voter(alice.engine, sa, [1, 0, 0], 'a', 'a');
    for (let i = 0; i < 2; i += 1) a.vote();
    await app.joinTeam(folder, 'bob');
    const state = await app.getState();
    expect(naming(state).teamOffer).toEqual({
      kind: 'test',
      key: `test:alice:${sa.id}`,
      member: 'alice',
      text: 'alice is testing 3 prompts.',
    });
    expect(state.team.teammates[0].tests).toEqual([{ skill: 'file-naming', arms: 3, votes: 2, canJoin: true, joined: false, note: null }]);

    await app.joinTeammateTest('alice', 'file-naming');
    const after = pushes.at(-1)!;
    expect(naming(after)).toMatchObject({ teamOffer: null, state: { kind: 'testing' } });
    expect(after.team.teammates[0].tests[0]).toMatchObject({ canJoin: false, joined: true });
    const session = bob.engine.sessions.active('file-naming')!;
    expect(bob.engine.sessions.results(session.id).team!.members).toEqual([{ member: 'alice', picks: 2 }]);
    // Bob's file says so at once: Alice's side sees him in the same test before he has voted.
    const aliceSees = JSON.parse(fs.readFileSync(path.join(folder, 'bob', 'share.json'), 'utf8'));
    expect(aliceSees.sessions.map((s: { skill: string; status: string }) => [s.skill, s.status])).toEqual([['file-naming', 'active']]);
    await expect(app.joinTeammateTest('alice', 'file-naming')).rejects.toThrow(/already has an A\/B test running/);
  });

  it("offers a teammate's better version, starts a test of it against the current prompt, then no longer offers it", async () => {
    await startTeamSession(alice.engine);
    alice.engine.promoteByHand('file-naming', 'B');
    alice.engine.team.publish();
    await app.joinTeam(folder, 'bob');
    expect(naming(await app.getState()).teamOffer).toEqual({
      kind: 'version',
      key: expect.stringMatching(/^version:alice:file-naming:/),
      member: 'alice',
      text: 'alice runs version 2.',
    });
    await app.testTeammateVersion('alice', 'file-naming');
    const session = bob.engine.sessions.active('file-naming')!;
    expect(bob.engine.sessions.variants(session.id).map((v) => v.source)).toEqual(['current', 'manual']);
    bob.engine.sessions.cancel(session.id);
    const state = await app.getState();
    expect(naming(state).teamOffer).toBeNull(); // tested once: the popover does not ask again
    expect(state.team.teammates[0].versions[0]).toMatchObject({ canTest: true, note: 'You tested this version before.' });
  });

  it('answers "Not now": the popover stops offering it, Preferences still lists it', async () => {
    await startTeamSession(alice.engine);
    alice.engine.team.publish();
    await app.joinTeam(folder, 'bob');
    const offer = naming(await app.getState()).teamOffer!;
    await app.dismissTeamOffer(offer.key);
    const after = pushes.at(-1)!;
    expect(naming(after).teamOffer).toBeNull();
    expect(after.team.teammates[0].tests[0]).toMatchObject({ canJoin: true });
    await expect(app.dismissTeamOffer('nothing')).rejects.toThrow("'nothing' is not a team offer");
  });

  it("pushes the state when a teammate's file changes in the folder", async () => {
    await app.joinTeam(folder, 'bob');
    app.pollExternalChanges();
    const before = pushes.length;
    await startTeamSession(alice.engine);
    alice.engine.team.publish();
    app.pollExternalChanges();
    expect(pushes.length).toBe(before + 1);
    expect(pushes.at(-1)!.team.teammates[0].tests).toHaveLength(1);
  });

  it('shows a half-synced file as skipped, with its reason, and offers nothing from it', async () => {
    await app.joinTeam(folder, 'bob');
    fs.mkdirSync(path.join(folder, 'cleo'));
    fs.writeFileSync(path.join(folder, 'cleo', 'share.json'), '{"format": "tinyarms-team", "vers');
    const state = await app.getState();
    expect(state.team.teammates.map((m) => m.member)).toEqual(['alice']);
    expect(state.team.skipped).toEqual([
      { member: 'cleo', file: path.join(folder, 'cleo', 'share.json'), reason: 'not complete JSON (half-synced or edited by hand)' },
    ]);
  });
});
