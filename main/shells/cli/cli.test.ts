import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../engine';
import { runCliCaptured } from '../../test-support/run-cli';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-cli-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const run = (...args: string[]) => runCliCaptured(dataDir, args);

const writeVariant = (name: string, text: string) => {
  const file = path.join(dataDir, '..', `${path.basename(dataDir)}-${name}.md`);
  fs.writeFileSync(file, text);
  return file;
};

describe('tinyarms CLI', () => {
  it('records tasks and prints stats like the design', async () => {
    for (let i = 0; i < 4; i += 1) {
      const verdict = i ? ['--outcome', 'accepted'] : ['--outcome', 'edited', '--final', 'dog.png'];
      expect((await run('task', 'record', 'file-naming', '--input', `IMG_${i}.png`, '--output', 'cat.png', ...verdict)).code).toBe(0);
    }
    const stats = await run('prompt', 'stats', 'file-naming');
    expect(stats.out).toMatch(
      /Skill: file-naming\nCurrent accuracy: 75%\nPrompt version: 1 \(active since \d{4}-\d\d-\d\d\)\nRecent failures: 1\/4 tasks \(25%\)/,
    );
    const json = await run('--json', 'prompt', 'stats', 'file-naming');
    expect(JSON.parse(json.out)).toMatchObject({ skill: 'file-naming', version: 1, accuracy: 0.75, samples: 4, successes: 3 });
  });

  it('walks create → vote → results → promote → history → rollback', async () => {
    const files = ['a', 'b', 'c'].map((l) => writeVariant(l, `Variant ${l} prompt.\n\nFile: {{input}}\n`));
    const created = await run('prompt', 'create', 'file-naming', '--variant-a', files[0], '--variant-b', files[1], '--variant-c', files[2]);
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/Created A\/B session ses_\w+ for file-naming/);

    const opened = await run(
      '--json',
      'vote',
      'open',
      'file-naming',
      '--input',
      'IMG_1.png',
      '--task-id',
      't1',
      '--output',
      'A=a.png',
      '--output',
      'B=b.png',
      '--output',
      'C=c.png',
    );
    const round = JSON.parse(opened.out);
    const label = round.options.find((o: { output: string }) => o.output === 'c.png').label;
    const cast = await run('vote', 'cast', 't1', label);
    expect(cast.out).toMatch(/Recorded: option \d\./);
    expect((await run('vote', 'cast', 't1', label)).out).toMatch(/already recorded; nothing changed/);

    const results = await run('prompt', 'results', 'file-naming');
    expect(results.out).toMatch(/Variant C: {2}1 votes/);
    expect(results.out).toMatch(/Votes: 1\/50 counted/);

    expect((await run('prompt', 'promote', 'file-naming', 'C')).out).toMatch(/version 1 → 2/);
    const history = await run('prompt', 'history', 'file-naming');
    expect(history.out).toMatch(/v1 .*initial/);
    expect(history.out).toMatch(/v2 .*promotion.*← current/);
    expect((await run('prompt', 'rollback', 'file-naming')).out).toMatch(/version 2 → 1/);
  });

  it('prompt history says where a promoted version’s idea came from (cross-skill learning)', async () => {
    const engine = Engine.open({ dataDir });
    try {
      const base = engine.prompts.active('file-naming').prompt;
      const change = 'added an output rule: "Reply with only the name."';
      const learnedFrom = { skill: 'audio-actions', version: 3, change };
      await engine.evolve('file-naming', {
        variants: [
          {
            prompt: base.replace('File: {{input}}', 'Reply with only the name.\nFile: {{input}}'),
            source: 'smollm2',
            provenance: { base, entries: [], learnedFrom },
          },
          { prompt: `Other.\n{{input}}`, source: 'smollm2' },
        ],
      });
      engine.promoteByHand('file-naming', 'A');
    } finally {
      engine.close();
    }
    const history = await run('prompt', 'history', 'file-naming');
    expect(history.out).toMatch(/v2 .*← current\n\s+learned from audio-actions v3 \(added an output rule: "Reply with only the name\."\)/);
    const json = JSON.parse((await run('--json', 'prompt', 'history', 'file-naming')).out);
    expect(json.versions.map((v: { learnedFrom: string | null }) => v.learnedFrom)).toEqual([
      null,
      expect.stringMatching(/^learned from audio-actions v3/),
    ]);
  });

  it('prints the P(best) the decision rule used, and an arm that has left the test', async () => {
    const files = ['a', 'b', 'c'].map((l) => writeVariant(l, `Variant ${l} prompt.\n\nFile: {{input}}\n`));
    await run('prompt', 'create', 'file-naming', '--variant-a', files[0], '--variant-b', files[1], '--variant-c', files[2]);
    const open = async (id: string) =>
      JSON.parse(
        (
          await run(
            '--json',
            'vote',
            'open',
            'file-naming',
            '--input',
            `${id}.png`,
            '--task-id',
            id,
            '--output',
            'A=a.png',
            '--output',
            'B=b.png',
            '--output',
            'C=c.png',
          )
        ).out,
      );
    for (let i = 0; i < 4; i += 1) {
      for (const output of ['a.png', 'c.png']) {
        const round = await open(`${output[0]}${i}`);
        await run('vote', 'cast', `${output[0]}${i}`, round.options.find((o: { output: string }) => o.output === output).label);
      }
    }
    const next = await open('next');
    expect(next.options.map((o: { output: string }) => o.output).sort()).toEqual(['a.png', 'c.png']);
    const results = await run('prompt', 'results', 'file-naming');
    expect(results.out).toMatch(/Variant B: {2}0 votes {2}P\(best\)\s+0% .*out of the test/);
    const json = JSON.parse((await run('--json', 'prompt', 'results', 'file-naming')).out);
    const a = json.arms[0];
    expect(results.out).toContain(`Variant A:  4 votes  P(best) ${String(Math.round(a.pBest * 100)).padStart(3)}%`);
    expect(json.arms[1]).toMatchObject({ pBest: 0, expectedLoss: null, inTest: false });
  });

  it('gives one clear line and exit 2 for bad input, and loses nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['prompt', 'stats', 'file-nameing'], /unknown skill 'file-nameing'/],
      [['prompt', 'results', 'ses_nope'], /unknown A\/B session 'ses_nope'/],
      [
        ['prompt', 'create', 'file-naming', '--variant-a', '/nope/a.md', '--variant-b', '/nope/b.md'],
        /cannot read variant file \/nope\/a\.md: no such file/,
      ],
      [
        ['task', 'record', 'file-naming', '--input', 'x', '--output', 'y', '--outcome', 'maybe'],
        /outcome must be one of accepted, edited, rejected/,
      ],
      [['task', 'feedback', 'task_x', 'accepted'], /unknown task 'task_x'/],
      [['vote', 'cast', 'task_x', '1'], /no vote round for task 'task_x'/],
      [['prompt', 'rollback', 'file-naming', '--to', 'two'], /--to must be a positive whole number/],
      [['prompt', 'promote', 'file-naming', 'C'], /has no A\/B session to promote from/],
      [['prompt', 'nonsense'], /unknown command 'nonsense'/],
    ];
    for (const [args, message] of cases) {
      const result = await run(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err, args.join(' ')).toMatch(message);
      expect(result.err).not.toMatch(/\n\s+at /);
    }
  });

  it('prompt evolve without variant files or a model says where to put the model', async () => {
    const result = await run('prompt', 'evolve', 'file-naming', '--variants', '3');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /model SmolLM2-360M-Instruct \(Q4_K_M\) is not installed: .* put it at .*SmolLM2-360M-Instruct-Q4_K_M\.gguf/,
    );
  });

  it('refuses a variant file without the {{input}} placeholder, naming the file', async () => {
    const bad = writeVariant('bad', 'Rename the file.');
    const good = writeVariant('good', 'Name: {{input}}');
    const result = await run('prompt', 'create', 'file-naming', '--variant-a', bad, '--variant-b', good);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`${bad}: the prompt has no {{input}} placeholder`);
  });

  it('keeps working on a broken config.yaml: warns with file, line and key, uses the last good settings, never rewrites it', async () => {
    const file = path.join(dataDir, 'config.yaml');
    const broken = '# mine\nprompt_evolution:\n  triggers:\n    accuracy_threshold: 1.5\n';
    fs.writeFileSync(file, broken);
    const result = await run('monitor', 'run', '--skill', 'file-naming');
    expect(result.code).toBe(0);
    expect(result.err).toContain(`warning: ${file}:4: prompt_evolution.triggers.accuracy_threshold`);
    expect(result.out).toMatch(/of 20 tasks needed/);
    expect(fs.readFileSync(file, 'utf8')).toBe(broken);
  });

  it('monitor run prints a verdict and its reason for every skill', async () => {
    const result = await run('monitor', 'run');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/file-naming\s+too few samples\s+0 of 20 tasks/);
    expect(result.out).toMatch(/code-linting-fast\s+not evolvable/);
  });
});
