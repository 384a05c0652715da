import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test-support/run-cli';
import { runCli } from './index';
import type { CliIo } from './output';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-gold-cli-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const run = (...args: string[]) => runCliCaptured(dataDir, args);

/** The CLI as at a terminal: `answer` is what the person types at the confirmation. */
async function atTerminal(answer: boolean, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const asked: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    json: false,
    color: { out: false, err: false },
    confirm: async (q) => (asked.push(q), answer),
  };
  const code = await runCli(['--data-dir', dataDir, ...args], { io });
  return { code, out: out.join('\n'), err: err.join('\n'), asked };
}

async function promoteTwice() {
  for (const n of [2, 3]) {
    const files = ['a', 'b'].map((l) => {
      const file = path.join(dataDir, `${l}${n}.md`);
      fs.writeFileSync(file, `Variant ${l} ${n} prompt.\n\nFile: {{input}}\n`);
      return file;
    });
    expect((await run('prompt', 'create', 'file-naming', '--variant-a', files[0], '--variant-b', files[1])).code).toBe(0);
    expect((await run('prompt', 'promote', 'file-naming', 'B')).code).toBe(0);
  }
}

describe('tinyarms prompt pin / unpin / gold', () => {
  it('pins a task with feedback, lists it above the shipped examples, and unpins it', async () => {
    await run(
      'task',
      'record',
      'file-naming',
      '--input',
      'IMG_7.png',
      '--output',
      'cat.png',
      '--outcome',
      'edited',
      '--final',
      'dog-park.png',
      '--task-id',
      't7',
    );
    expect((await run('prompt', 'pin', 't7')).out).toBe('Pinned task t7 for file-naming: IMG_7.png → dog-park.png');
    expect((await run('prompt', 'pin', 't7')).out).toBe('Task t7 was already pinned for file-naming.');
    const listed = await run('prompt', 'gold', 'file-naming');
    expect(listed.out).toMatch(
      /^Gold examples for file-naming \(20% of every evaluation set; prompt_evolution.gold.share\):\nPinned by you \(1\):\n {2}t7 {2}IMG_7.png → dog-park.png\nShipped \(6\):\n/,
    );
    const json = JSON.parse((await run('--json', 'prompt', 'gold', 'file-naming')).out);
    expect(json).toMatchObject({ skill: 'file-naming', share: 0.2, pinned: [{ id: 't7', source: 'pinned', expected: 'dog-park.png' }] });
    expect(json.shipped).toHaveLength(6);
    expect((await run('prompt', 'unpin', 't7')).out).toBe('Unpinned task t7 (file-naming).');
    expect(await run('prompt', 'unpin', 't7')).toMatchObject({ code: 2, err: 'tinyarms: task t7 is not pinned' });
  });

  it('refuses in one line what cannot be pinned', async () => {
    await run('task', 'record', 'file-naming', '--input', 'IMG_8.png', '--output', 'cat.png', '--task-id', 't8');
    const r = await run('prompt', 'pin', 't8');
    expect(r.code).toBe(2);
    expect(r.err).toBe('tinyarms: task t8 has no feedback yet: only a task with a known right output can be pinned');
    expect((await run('prompt', 'pin', 'ghost')).err).toBe("tinyarms: unknown task 'ghost'");
  });
});

describe('tinyarms prompt reset', () => {
  it('asks at a terminal, does nothing when declined, resets when confirmed, and says how to undo', async () => {
    await promoteTwice();
    const declined = await atTerminal(false, 'prompt', 'reset', 'file-naming');
    expect(declined.asked).toEqual(['Reset file-naming from version 3 to its default prompt (version 1)? Every version is kept.']);
    expect(declined).toMatchObject({ code: 1, err: 'tinyarms: reset not made: file-naming still runs version 3' });
    const done = await atTerminal(true, 'prompt', 'reset', 'file-naming');
    expect(done.out).toBe('Reset file-naming: version 3 → 1 (the default prompt)\nUndo: tinyarms prompt rollback file-naming --to 3');
    const history = (await run('prompt', 'history', 'file-naming')).out;
    expect(history).toMatch(/v1 .* rollback — reset to the default prompt from version 3 {2}← current/);
    expect((await run('prompt', 'rollback', 'file-naming', '--to', '3')).code).toBe(0);
  });

  it('--yes skips the question; --json prints the change; refusals are one line', async () => {
    await promoteTwice();
    const yes = await atTerminal(true, '--json', 'prompt', 'reset', 'file-naming', '--yes');
    expect(yes.asked).toEqual([]);
    expect(JSON.parse(yes.out)).toMatchObject({
      change: { action: 'rollback', fromVersion: 3, toVersion: 1 },
      undo: 'tinyarms prompt rollback file-naming --to 3',
    });
    expect(await run('prompt', 'reset', 'file-naming', '--yes')).toMatchObject({
      code: 2,
      err: 'tinyarms: file-naming already runs its default prompt (version 1)',
    });
    expect((await run('prompt', 'reset', 'nope')).code).toBe(2);
  });
});
