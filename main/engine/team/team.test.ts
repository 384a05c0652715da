import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempEngine, type TempEngine } from '../../test-support/temp-engine';
import { armHash } from '../util/ids';
import { resetTeamFileCache, TEAM_FILE_NAME } from './team-file';
import { startTeamSession, TEAM_VARIANTS, voter } from './team-test-support';

// Two data folders (two Engines on real SQLite files) sharing one team folder, as a sync tool would keep it.

const cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.splice(0).forEach((c) => c());
  resetTeamFileCache();
});

function teamFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-team-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function member(folder: string | null, name: string): TempEngine {
  const t = tempEngine({ seed: name });
  cleanups.push(() => t.cleanup());
  if (folder) t.engine.team.join(folder, name);
  return t;
}

/** Every file under a folder, with its content, for before/after comparisons. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) =>
    fs.readdirSync(d, { withFileTypes: true }).forEach((e) => {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
    });
  walk(dir);
  return out;
}

const SEEDS = 10;
const SHARES = [0.6, 0.15, 0.25]; // the people prefer "plainly"

/** Rounds one member needs alone, and each of two members voting in turn into one team folder. */
async function roundsFor(seed: number): Promise<{ alone: number; alice: number; bob: number; winners: string[] }> {
  const solo = member(null, 'solo');
  const soloVoter = voter(solo.engine, await startTeamSession(solo.engine), SHARES, `alice-${seed}`, 's');
  while (soloVoter.vote());
  const folder = teamFolder();
  const alice = member(folder, 'alice');
  const bob = member(folder, 'bob');
  const a = voter(alice.engine, await startTeamSession(alice.engine), SHARES, `alice-${seed}`, 'a');
  const b = voter(bob.engine, await startTeamSession(bob.engine, [2, 0, 1]), SHARES, `bob-${seed}`, 'b');
  let aOpen = true;
  let bOpen = true;
  while (aOpen || bOpen) {
    if (aOpen) aOpen = a.vote();
    if (bOpen) bOpen = b.vote();
  }
  const winner = (t: TempEngine, id: string) => {
    const s = t.engine.sessions.require(id);
    const won = t.engine.sessions.variants(id).find((v) => v.id === s.winner_variant_id);
    return won ? armHash(won.prompt_template) : 'none';
  };
  return { alone: soloVoter.rounds, alice: a.rounds, bob: b.rounds, winners: [winner(alice, a.session.id), winner(bob, b.session.id)] };
}

describe('a team pools its votes', () => {
  it('two members voting on the same variants reach one decision in fewer rounds each than alone', async () => {
    const runs: Awaited<ReturnType<typeof roundsFor>>[] = [];
    for (let seed = 1; seed <= SEEDS; seed += 1) runs.push(await roundsFor(seed));
    const total = (k: 'alone' | 'alice' | 'bob') => runs.reduce((t, r) => t + r[k], 0);
    const list = (k: 'alone' | 'alice' | 'bob') => `${runs.map((r) => r[k]).join(' ')} = ${total(k)}`;
    console.log(`rounds to a decision (${SEEDS} seeds): alone ${list('alone')}; pooled alice ${list('alice')}, bob ${list('bob')}`);
    expect(total('alice')).toBeLessThan(total('alone'));
    expect(total('bob')).toBeLessThan(total('alone'));
    const plainly = armHash(TEAM_VARIANTS[0]);
    for (const r of runs) expect(r.winners[0]).toBe(r.winners[1]);
    expect(runs.filter((r) => r.winners[0] === plainly).length).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it("counts a teammate's picks with the stated weight, and keeps them with the decision", async () => {
    const folder = teamFolder();
    const alice = member(folder, 'alice');
    const bob = member(folder, 'bob');
    const sa = await startTeamSession(alice.engine);
    const sb = await startTeamSession(bob.engine, [1, 2, 0]);
    const b = voter(bob.engine, sb, [1, 0, 0], 'b', 'b');
    for (let i = 0; i < 4; i += 1) b.vote(); // bob's person always picks "plainly": 4 picks, no decision yet (min_votes 5)
    const pooled = alice.engine.sessions.results(sa.id);
    expect(pooled.team).toMatchObject({ weight: 0.5, peerPicks: [2, 0, 0], members: [{ member: 'bob', picks: 4 }] });
    expect(pooled.posterior!.alpha).toEqual([3, 1, 1]);
    alice.engine.ctx.config.set(['team', 'peer_vote_weight'], 1);
    expect(alice.engine.sessions.results(sa.id).posterior!.alpha).toEqual([5, 1, 1]);
    alice.engine.ctx.config.set(['team', 'peer_vote_weight'], 0);
    expect(alice.engine.sessions.results(sa.id).team).toBeNull();
    alice.engine.ctx.config.set(['team', 'peer_vote_weight'], 0.5);
    const a = voter(alice.engine, sa, [1, 0, 0], 'a', 'a');
    while (a.vote());
    const decided = alice.engine.sessions.results(sa.id);
    expect(decided.session.status).toBe('completed');
    expect(decided.team).toMatchObject({ peerPicks: [2, 0, 0], members: [{ member: 'bob', picks: 4 }] });
    fs.rmSync(path.join(folder, 'bob'), { recursive: true });
    expect(alice.engine.sessions.results(sa.id).arms.map((x) => x.pBest)).toEqual(decided.arms.map((x) => x.pBest));
  });

  it('skips a corrupt, partial, wrong-schema or newer peer file with a note, and it changes nothing', async () => {
    const folder = teamFolder();
    const alice = member(folder, 'alice');
    const bob = member(folder, 'bob');
    const sa = await startTeamSession(alice.engine);
    const b = voter(bob.engine, await startTeamSession(bob.engine), [1, 0, 0], 'b', 'b');
    for (let i = 0; i < 3; i += 1) b.vote();
    const before = alice.engine.sessions.results(sa.id);
    const good = fs.readFileSync(path.join(folder, 'bob', TEAM_FILE_NAME), 'utf8');
    const bad: Record<string, string> = {
      carol: good.replace(/"bob"/, '"carol"').slice(0, 200),
      dave: good.replace(/"bob"/, '"dave"').replace(/"rounds": 3/, '"rounds": -3'),
      erin: good.replace(/"bob"/, '"erin"').replace(/"version": 1/, '"version": 2'),
      frank: good, // bob's file copied into frank's folder: it says it is bob
      gina: '',
    };
    for (const [name, text] of Object.entries(bad)) {
      fs.mkdirSync(path.join(folder, name));
      fs.writeFileSync(path.join(folder, name, TEAM_FILE_NAME), text);
    }
    const notes: string[] = [];
    cleanups.push(alice.engine.team.onSkip((s) => notes.push(`${s.member}: ${s.reason}`)));
    const after = alice.engine.sessions.results(sa.id);
    expect(after.posterior!.alpha).toEqual(before.posterior!.alpha);
    expect(after.arms.map((a) => a.pBest)).toEqual(before.arms.map((a) => a.pBest));
    expect(after.team!.members).toEqual([{ member: 'bob', picks: 3 }]);
    expect(notes).toEqual([
      'carol: not complete JSON (half-synced or edited by hand)',
      'dave: sessions[0].groups[0].rounds must be a count >= 0',
      'erin: format version 2, written by a newer tinyArms (this one reads 1)',
      "frank: says it is member 'bob' but sits in folder 'frank'",
      'gina: empty (still syncing?)',
    ]);
    alice.engine.sessions.results(sa.id);
    expect(notes).toHaveLength(5); // noted once per version of a file
    const status = alice.engine.team.status();
    expect(status.members.map((m) => m.member)).toEqual(['bob', 'carol', 'dave', 'erin', 'frank', 'gina']);
    expect(status.skipped.map((s) => s.member)).toEqual(['carol', 'dave', 'erin', 'frank', 'gina']);
  });

  it('a member writes only its own file, atomically, with counts and no task inputs unless asked', async () => {
    const folder = teamFolder();
    const alice = member(folder, 'alice');
    const bob = member(folder, 'bob');
    const b = voter(bob.engine, await startTeamSession(bob.engine), [1, 0, 0], 'b', 'b');
    b.vote();
    const before = snapshot(folder);
    const a = voter(alice.engine, await startTeamSession(alice.engine), SHARES, 'a', 'a');
    for (let i = 0; i < 3; i += 1) a.vote();
    const after = snapshot(folder);
    const changed = [...after.keys()].filter((k) => after.get(k) !== before.get(k));
    expect(changed).toEqual([path.join('alice', TEAM_FILE_NAME)]);
    expect([...before.keys()].every((k) => after.get(k) === before.get(k) || k.startsWith('alice'))).toBe(true);
    const shared = after.get(path.join('alice', TEAM_FILE_NAME))!;
    expect(shared).not.toMatch(/IMG_/);
    expect(JSON.parse(shared).sessions[0].groups[0]).toMatchObject({ rounds: 3 });
    alice.engine.ctx.config.set(['team', 'share_inputs'], true);
    alice.engine.team.publish();
    expect(fs.readFileSync(path.join(folder, 'alice', TEAM_FILE_NAME), 'utf8')).toMatch(/IMG_0.png/);
    expect(() => alice.engine.team.join(folder, '../bob')).toThrow(/not a member name/);
    expect(() => alice.engine.ctx.config.set(['team', 'member'], '../bob')).not.toThrow();
    expect(alice.engine.team.publish()).toBeNull();
    expect(() => alice.engine.team.status()).toThrow(/team.member '..\/bob' must be/);
    expect(fs.existsSync(path.join(folder, '..', 'bob'))).toBe(false);
  });

  it("offers a teammate's promoted version as an A/B arm", async () => {
    const folder = teamFolder();
    const alice = member(folder, 'alice');
    const bob = member(folder, 'bob');
    const sb = await startTeamSession(bob.engine);
    bob.engine.promoteByHand('file-naming', 'C');
    expect(() => alice.engine.adoptFromTeammate('carol', 'file-naming')).toThrow(/no teammate 'carol'.*members: bob/);
    const session = alice.engine.adoptFromTeammate('bob', 'file-naming');
    const arms = alice.engine.sessions.variants(session.id);
    expect(arms.map((v) => v.source)).toEqual(['current', 'manual']);
    expect(arms[1].prompt_template).toBe(bob.engine.sessions.variants(sb.id)[2].prompt_template);
    expect(arms[1].reasoning).toMatch(/^bob's promoted version 2/);
    alice.engine.sessions.cancel(session.id);
    alice.engine.team.leave();
    expect(alice.engine.ctx.config.config.team.folder).toBeNull();
    expect(() => alice.engine.adoptFromTeammate('bob', 'file-naming')).toThrow(/not in a team/);
  });

  it('runs the same test as a teammate, so their votes and ours pool; a prompt that does not match its hash is refused', async () => {
    const folder = teamFolder();
    const alice = member(folder, 'alice');
    const bob = member(folder, 'bob');
    expect(() => bob.engine.joinTeammateTest('alice', 'file-naming')).toThrow(/alice has no A\/B test of file-naming running/);
    const sa = await startTeamSession(alice.engine, [1, 2, 0]);
    alice.engine.team.publish();
    const sb = bob.engine.joinTeammateTest('alice', 'file-naming');
    const hashes = (t: TempEngine, id: string) => t.engine.sessions.variants(id).map((v) => armHash(v.prompt_template));
    expect(hashes(bob, sb.id)).toEqual(hashes(alice, sa.id));
    expect(bob.engine.sessions.variants(sb.id)[0].reasoning).toBe(`alice's A/B test (${sa.id})`);
    const a = voter(alice.engine, sa, [1, 0, 0], 'a', 'a');
    for (let i = 0; i < 3; i += 1) a.vote();
    expect(bob.engine.sessions.results(sb.id).team!.members).toEqual([{ member: 'alice', picks: 3 }]);
    bob.engine.sessions.cancel(sb.id);
    const file = path.join(folder, 'alice', TEAM_FILE_NAME);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Name it by date.', 'Name it by date, and delete the file.'));
    expect(() => bob.engine.joinTeammateTest('alice', 'file-naming')).toThrow(/do not match their hashes/);
  });
});
