import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine';
import { resetTeamFileCache } from '../../engine/team/team-file';
import { shapeProblems } from '../../test-support/json-shape';
import { runCliCaptured } from '../../test-support/run-cli';

let dirs: string[];
const temp = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
beforeEach(() => {
  dirs = [];
});
afterEach(() => {
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  resetTeamFileCache();
});

describe('tinyarms team', () => {
  it('joins, shows the folder, teammates and skipped files (text and --json), adopts, and leaves', async () => {
    const team = temp('tinyarms-team-');
    const alice = temp('tinyarms-alice-');
    const bob = temp('tinyarms-bob-');
    expect((await runCliCaptured(alice, ['team', 'status'])).out).toBe('Not in a team. Join one with: tinyarms team join <shared folder>');
    const joined = await runCliCaptured(alice, ['team', 'join', team, '--member', 'alice']);
    expect(joined).toMatchObject({ code: 0 });
    expect(joined.out).toContain(`Joined the team in ${team} as alice.`);
    expect(fs.readFileSync(path.join(alice, 'config.yaml'), 'utf8')).toMatch(/team:\n\s+folder: .*\n\s+member: alice/);
    expect(fs.existsSync(path.join(team, 'alice', 'share.json'))).toBe(true);
    expect((await runCliCaptured(bob, ['team', 'join', team, '--member', 'bob'])).code).toBe(0);

    // bob promotes a variant by hand; carol's file is half-synced
    const engine = Engine.open({ dataDir: bob, seed: 'bob' });
    try {
      const prompts = ['Plain names.\n\nFile: {{input}}', 'Dated names.\n\nFile: {{input}}'];
      await engine.evolve('file-naming', { variants: prompts.map((prompt) => ({ prompt, source: 'file' as const })) });
      engine.promoteByHand('file-naming', 'B');
    } finally {
      engine.close();
    }
    fs.mkdirSync(path.join(team, 'carol'));
    fs.writeFileSync(path.join(team, 'carol', 'share.json'), '{"format": "tinyarms-team", "ver');

    const status = await runCliCaptured(alice, ['team', 'status']);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/^Team folder: .*\nYou: alice \(a teammate's pick counts 0\.5 of yours; task inputs not shared\)\nShared: /);
    expect(status.out).toMatch(
      /Teammates \(1\):\n {2}bob +0 A\/B session\(s\), 1 promoted version\(s\), written .*\n {4}file-naming: version 2: tinyarms team adopt bob file-naming\n/,
    );
    expect(status.out).toMatch(/Skipped \(1\):\n {2}carol +not complete JSON \(half-synced or edited by hand\) — /);
    const json = await runCliCaptured(alice, ['--json', 'team', 'status']);
    const parsed = JSON.parse(json.out);
    expect(
      shapeProblems(parsed, {
        enabled: 'boolean',
        folder: 'string?',
        member: 'string?',
        weight: 'number',
        shareInputs: 'boolean',
        file: 'string?',
        writeError: 'string?',
        members: [{ member: 'string', writtenAt: 'iso?', promoted: 'number', sessions: 'number' }],
        skipped: [{ member: 'string', file: 'string', reason: 'string' }],
        offers: [
          {
            member: 'string',
            writtenAt: 'iso',
            versions: [
              {
                key: 'string',
                dismissed: 'boolean',
                skill: 'string',
                version: 'number',
                accuracy: 'number?',
                canTest: 'boolean',
                testedBefore: 'boolean',
                note: 'string?',
              },
            ],
            tests: [
              {
                key: 'string',
                dismissed: 'boolean',
                skill: 'string',
                arms: 'number',
                votes: 'number',
                canJoin: 'boolean',
                joined: 'boolean',
                note: 'string?',
              },
            ],
          },
        ],
      }),
    ).toEqual([]);
    expect(parsed.skipped).toHaveLength(1);
    expect(parsed.offers[0].versions).toEqual([expect.objectContaining({ skill: 'file-naming', version: 2, canTest: true, note: null })]);

    const adopted = await runCliCaptured(alice, ['team', 'adopt', 'bob', 'file-naming']);
    expect(adopted.out).toMatch(/^file-naming: started A\/B session ses_\w+ with bob's version as variant B\.$/);
    const unknown = await runCliCaptured(alice, ['team', 'adopt', 'dan', 'file-naming']);
    expect(unknown.code, unknown.err).toBe(2);
    expect(unknown.err).toMatch(/^tinyarms: no teammate 'dan' in .* \(members: bob\)$/);

    const left = await runCliCaptured(alice, ['team', 'leave']);
    expect(left.out).toBe('Left the team: votes are no longer shared or pooled.');
    expect(fs.readFileSync(path.join(alice, 'config.yaml'), 'utf8')).not.toMatch(/folder:/);
  });

  it('refuses a folder that is not there, and a member name that is a path, in one line', async () => {
    const alice = temp('tinyarms-alice-');
    const missing = await runCliCaptured(alice, ['team', 'join', path.join(alice, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^tinyarms: .*nope is not a folder \(make it in your synced drive first\)$/);
    const bad = await runCliCaptured(alice, ['team', 'join', alice, '--member', '../x']);
    expect(bad.err).toBe("tinyarms: '../x' is not a member name (letters, digits, - _ .)");
  });
});
