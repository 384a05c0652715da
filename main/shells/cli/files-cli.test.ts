import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test-support/run-cli';
import type { SkillRunner } from '../../engine/serving/types';
import { pngBytes, sandbox, type Sandbox } from '../../engine/files/test-fixtures';

let dataDir: string;
let box: Sandbox;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-cli-files-'));
  box = sandbox();
});
let wired: SkillRunner | null = null;
afterEach(() => {
  wired = null;
  expect(box.surroundingsIntact()).toBe(true);
  box.cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const run = (...args: string[]) => runCliCaptured(dataDir, args, { engine: { skillRunner: wired } });

/** A model that answers "beach-sunset.png" after some chatter, and remembers what it saw. */
function wireRunner(answer = 'Sure! Here is a name:\nbeach-sunset.png'): string[] {
  const inputs: string[] = [];
  const runner: SkillRunner = {
    async run(_skill, _prompt, input) {
      inputs.push(input);
      return answer;
    },
  };
  wired = runner;
  return inputs;
}

describe('tinyarms task run', () => {
  it('says how to get a model when none is wired', async () => {
    const result = await run('task', 'run', 'file-naming', '--input', 'IMG_1.png');
    expect(result.code).toBe(1);
    expect(result.err.startsWith('tinyarms: model SmolLM2-360M-Instruct (Q4_K_M) is not installed: ')).toBe(true);
    expect(result.err).toContain(
      `put it at ${path.join(dataDir, 'models', 'SmolLM2-360M-Instruct-Q4_K_M.gguf')}, run \`tinyarms model pull`,
    );
  });

  it('runs the skill, prints the output with its task id, and takes feedback', async () => {
    wireRunner();
    const result = await run('task', 'run', 'file-naming', '--input', 'IMG_1.png');
    expect(result.code).toBe(0);
    const [line, hint] = result.out.split('\n');
    expect(line).toMatch(/^Task (task_\w+) \(file-naming, v1\): beach-sunset\.png$/);
    const taskId = /^Task (task_\w+)/.exec(line)![1];
    expect(hint).toBe(`Feedback: tinyarms task feedback ${taskId} accepted | edited --final "<your version>" | rejected`);
    expect((await run('task', 'feedback', taskId, 'edited', '--final', 'sunset-lisbon.png')).out).toBe(
      `Task ${taskId}: edited → sunset-lisbon.png`,
    );

    const json = JSON.parse((await run('--json', 'task', 'run', 'file-naming', '--input', 'IMG_2.png', '--task-id', 'my-task')).out);
    expect(json).toMatchObject({ kind: 'task', taskId: 'my-task', output: 'beach-sunset.png', variant: null, promptVersion: 1 });
  });

  it('describes a file given with --file', async () => {
    const inputs = wireRunner();
    const file = box.write('Screenshot 2026-03-02 at 09.41.12.png', pngBytes(1170, 2532));
    expect((await run('task', 'run', 'file-naming', '--file', file)).code).toBe(0);
    expect(inputs[0]).toMatch(/^Screenshot 2026-03-02 at 09\.41\.12\.png — PNG image, 1170×2532, /);
    expect(box.files()).toEqual(['Screenshot 2026-03-02 at 09.41.12.png']);
    expect((await run('task', 'run', 'file-naming')).err).toMatch(/--input <text> or --file <path>/);
    expect((await run('task', 'run', 'file-naming', '--file', path.join(box.folder, 'nope.png'))).err).toMatch(
      /cannot read .*nope\.png: ENOENT/,
    );
  });
});

describe('tinyarms files and undo', () => {
  it('proposes, lists, accepts, logs and undoes', async () => {
    wireRunner();
    const file = box.write('Screenshot 1.png', pngBytes(3, 3));
    const proposed = await run('files', 'propose', file);
    expect(proposed.code).toBe(0);
    const id = /^(fp_\w+) {2}Screenshot 1\.png → beach-sunset\.png$/m.exec(proposed.out)![1];
    expect(proposed.out).toContain(`tinyarms files accept ${id} | edit ${id} "<name>" | skip ${id} | dismiss ${id}`);
    expect((await run('files', 'list')).out).toContain(`${id}  Screenshot 1.png → beach-sunset.png`);

    const accepted = await run('files', 'accept', id);
    expect(accepted.out).toMatch(/^Renamed Screenshot 1\.png → beach-sunset\.png \(accepted\)\n {2}Undo: tinyarms undo --id ren_\w+$/);
    expect(box.files()).toEqual(['beach-sunset.png']);
    expect((await run('files', 'list')).out).toBe('No proposals waiting.');
    expect((await run('files', 'log')).out).toMatch(/ren_\w+ {2}.* {2}Screenshot 1\.png → beach-sunset\.png {2}in /);
    expect((await run('files', 'accept', id)).err).toMatch(/already decided \(renamed → beach-sunset\.png\)/);

    expect((await run('undo')).out).toBe('Restored Screenshot 1.png (was beach-sunset.png)');
    expect(box.files()).toEqual(['Screenshot 1.png']);
    expect((await run('undo', '--last', '3')).out).toBe('Nothing to undo.');
    expect((await run('files', 'log')).out).toMatch(/\(undone\)/);
  });

  it('edits, skips and dismisses; a renamed file is not proposed again', async () => {
    wireRunner();
    const a = box.write('a.png', pngBytes(2, 2));
    const b = box.write('b.png', pngBytes(2, 3));
    const c = box.write('c.png', pngBytes(2, 4));
    const ids = JSON.parse((await run('--json', 'files', 'propose', a, b, c)).out).map((p: { id: string }) => p.id);
    expect(ids).toHaveLength(3);
    expect((await run('files', 'edit', ids[0], 'Sunset at the pier')).out).toMatch(/^Renamed a\.png → Sunset at the pier\.png \(edited\)/);
    expect((await run('files', 'skip', ids[1])).out).toBe('Skipped b.png; no feedback recorded');
    expect((await run('files', 'dismiss', ids[2])).out).toBe('Dismissed c.png (rejected)');
    expect((await run('files', 'history')).out).toMatch(/dismissed[\s\S]*skipped[\s\S]*renamed → Sunset at the pier\.png/);
    const again = await run('files', 'propose', path.join(box.folder, 'Sunset at the pier.png'));
    expect(again.err).toMatch(/was renamed by tinyArms; not proposing it again/);
    expect(box.files()).toEqual(['Sunset at the pier.png', 'b.png', 'c.png']);
    expect((await run('files', 'edit', 'fp_nope', 'x')).err).toBe(`tinyarms: unknown proposal 'fp_nope'`);
  });

  it('refuses without a model and for a missing file', async () => {
    const file = box.write('a.png', pngBytes(2, 2));
    expect((await run('files', 'propose', file)).err).toMatch(/is not installed/);
    wireRunner();
    expect((await run('files', 'propose', path.join(box.folder, 'missing.png'))).err).toMatch(/missing\.png does not exist/);
    expect(box.files()).toEqual(['a.png']);
  });
});
