import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_ROOT } from '../../engine/data-paths';
import { Engine } from '../../engine/engine';
import { requireFixtureModel } from '../../engine/llm/test-fixture';
import { shell, startTinyarms, tinyarms } from '../../test-support/cli-process';

// The command line as people and scripts meet it: real processes of bin/tinyarms.mjs, their exit codes and streams.

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-proc-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const run = (...args: string[]) => tinyarms(['--data-dir', dataDir, ...args]);
const VERSION = JSON.parse(fs.readFileSync(path.join(APP_ROOT, 'package.json'), 'utf8')).version;

function recordFailures(n: number, config = ''): void {
  if (config) fs.writeFileSync(path.join(dataDir, 'config.yaml'), config);
  const engine = Engine.open({ dataDir, seed: 'proc' });
  try {
    for (let i = 0; i < n; i++) {
      engine.recordTask(
        { skill: 'file-naming', input: `IMG_${i}.png | photo | text in image: 'beach ${i}'`, output: `image-${i}.png` },
        { outcome: 'edited', finalOutput: `beach-sunset-${i}.png` },
      );
    }
  } finally {
    engine.close();
  }
}

/** Each failure is one `tinyarms:` line on stderr (after any warnings), never a stack trace. */
const oneLine = (err: string): string => {
  expect(err).not.toMatch(/\n\s+at /);
  const lines = err.trim().split('\n');
  expect(
    lines.every((l) => l.startsWith('tinyarms:')),
    err,
  ).toBe(true);
  return lines.at(-1)!;
};

describe('exit codes', () => {
  it('0 ok; 2 bad usage or missing input, with one tinyarms: line', () => {
    expect(run('skills').code).toBe(0);
    const file = path.join(dataDir, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const cases: [string[], RegExp][] = [
      [['prompt', 'stats', 'file-nameing'], /unknown skill 'file-nameing' \(did you mean file-naming\?\)/],
      [['promt', 'stats'], /unknown command 'promt' \(did you mean prompt\?\)/],
      [['prompt', 'stats', '--bogus'], /unknown option '--bogus'/],
      [['task', 'feedback'], /missing required argument 'task-id'/],
      [['monitor', 'history', '--limit', 'abc'], /--limit must be a positive whole number \(got 'abc'\)/],
      [['files', 'history', '--limit', 'abc'], /--limit must be a positive whole number/],
      [
        ['task', 'record', 'file-naming', '--input', 'a', '--output', 'b', '--outcome', 'accepted', '--final', 'c'],
        /--final goes with edited/,
      ],
      [
        ['prompt', 'create', 'file-naming', '--variant-a', '/nope/a.md', '--variant-b', '/nope/b.md'],
        /cannot read variant file \/nope\/a\.md: no such file/,
      ],
      [['prompt', 'evolve', 'file-naming', '--model', '/nope/model.gguf'], /the model file \/nope\/model\.gguf does not exist/],
      [['files', 'watch', path.join(dataDir, 'nowhere')], /nothing to watch/],
      [['demo', '--model', '/nope/model.gguf'], /the model file \/nope\/model\.gguf does not exist/],
    ];
    for (const [args, message] of cases) {
      const result = run(...args);
      expect(result.code, `${args.join(' ')}\n${result.err}`).toBe(2);
      expect(oneLine(result.err), args.join(' ')).toMatch(message);
      expect(result.out, args.join(' ')).toBe('');
    }
    const notFolder = tinyarms(['--data-dir', file, 'skills']);
    expect(notFolder.code).toBe(2);
    expect(oneLine(notFolder.err)).toMatch(/the data folder .* is a file, not a folder/);
  });

  it('1 when the operation fails: no model installed, a port in use, identical arms', async () => {
    recordFailures(5);
    const noModel = run('prompt', 'evolve', 'file-naming');
    expect(noModel.code).toBe(1);
    expect(oneLine(noModel.err)).toMatch(/model SmolLM2-360M-Instruct \(Q4_K_M\) is not installed: .* put it at /);
    const a = path.join(dataDir, 'a.md');
    fs.writeFileSync(a, 'Name: {{input}}\n');
    const same = run('prompt', 'create', 'file-naming', '--variant-a', a, '--variant-b', a);
    expect(same.code).toBe(2);
    expect(oneLine(same.err)).toMatch(/variant B is the same prompt as variant A/);
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((busy.address() as net.AddressInfo).port);
      const serve = run('serve', '--port', port);
      expect(serve.code).toBe(1);
      expect(oneLine(serve.err)).toBe(
        `tinyarms: 127.0.0.1:${port} is already in use (another tinyarms serve?); choose another --port, or leave it out for a free one`,
      );
    } finally {
      busy.close();
    }
  });

  it('130 on Ctrl-C during an evolution, after the checkpoint, which the next run resumes', async () => {
    recordFailures(
      12,
      `prompt_evolution:\n  evolution:\n    population_size: 4\n    generations: 200\n    evaluation_samples: 2\n    final_evaluation_samples: 3\n    max_tokens: 8\n    threads: 1\n    context_size: 1024\n    seed: 3\n`,
    );
    const evolve = startTinyarms(['--data-dir', dataDir, 'prompt', 'evolve', 'file-naming', '--model', requireFixtureModel(), '--yes']);
    await evolve.waitFor(/generation 1 done/);
    evolve.child.kill('SIGINT');
    const { code } = await evolve.exited;
    expect(code, evolve.err()).toBe(130);
    expect(evolve.err()).toMatch(/^tinyarms: interrupted after generation \d+; the checkpoint is kept: run the same command to resume$/m);
    const engine = Engine.open({ dataDir });
    try {
      const row = engine.ctx.db.prepare(`SELECT status FROM evolution_runs`).get() as { status: string };
      expect(row.status).toBe('cancelled');
      expect(engine.sessions.list({ skill: 'file-naming' })).toEqual([]);
    } finally {
      engine.close();
    }
  }, 120_000);
});

describe('pipes', () => {
  it('a reader that goes away (| head -1, | true) ends the command quietly with 0', () => {
    recordFailures(3);
    for (const reader of ['head -1', 'true', 'head -c 10']) {
      const result = shell(`$TINYARMS --data-dir '${dataDir}' prompt stats | ${reader} >/dev/null; echo "status=\${PIPESTATUS[0]}"`);
      expect(result.out.trim(), reader).toBe('status=0');
      expect(result.err, reader).toBe('');
    }
  });
});

describe('--version and help', () => {
  it('bare tinyarms shows the overview and exits 0', () => {
    const bare = tinyarms([]);
    expect(bare.code).toBe(0);
    expect(bare.out).toMatch(/^tinyArms: local skills whose prompts evolve from your feedback\n\nUSAGE\n {2}tinyarms <command> \[flags\]/);
    expect(tinyarms(['--bogus']).code).toBe(2);
  });

  it('--version prints the package version, as text or JSON', () => {
    expect(tinyarms(['--version'])).toMatchObject({ code: 0, out: `tinyarms ${VERSION}\n`, err: '' });
    expect(tinyarms(['-V']).out).toBe(`tinyarms ${VERSION}\n`);
    expect(JSON.parse(tinyarms(['--json', '--version']).out)).toEqual({ name: 'tinyarms', version: VERSION });
  });

  it("every command's help is gh-style: USAGE, FLAGS, INHERITED FLAGS, EXAMPLES that name the command", () => {
    const commands = [
      ['skills'],
      ['prompt', 'stats'],
      ['prompt', 'results'],
      ['prompt', 'history'],
      ['prompt', 'promote'],
      ['prompt', 'rollback'],
      ['prompt', 'create'],
      ['prompt', 'evolve'],
      ['task', 'record'],
      ['task', 'run'],
      ['task', 'feedback'],
      ['vote', 'list'],
      ['vote', 'show'],
      ['vote', 'open'],
      ['vote', 'cast'],
      ['monitor', 'run'],
      ['monitor', 'history'],
      ['model', 'list'],
      ['model', 'use'],
      ['model', 'info'],
      ['model', 'pull'],
      ['files', 'watch'],
      ['files', 'propose'],
      ['files', 'list'],
      ['files', 'history'],
      ['files', 'accept'],
      ['files', 'edit'],
      ['files', 'skip'],
      ['files', 'dismiss'],
      ['files', 'log'],
      ['undo'],
      ['serve'],
      ['demo'],
    ];
    for (const command of commands) {
      const help = tinyarms([...command, '--help']);
      const name = `tinyarms ${command.join(' ')}`;
      expect(help.code, name).toBe(0);
      expect(help.out, name).toMatch(new RegExp(`^USAGE\\n  ${name}\\b`, 'm'));
      expect(help.out, name).toMatch(/^FLAGS\n/m);
      expect(help.out, name).toMatch(/^INHERITED FLAGS\n {2}--data-dir <path> .*\n {2}--json /m);
      expect(help.out, name).toMatch(new RegExp(`^EXAMPLES\\n {2}\\$ ${name}\\b`, 'm'));
    }
    const root = tinyarms(['--help']);
    expect(root.out).toMatch(/^COMMANDS\n {2}skills: /m);
    expect(root.out).toContain('Exit codes: 0 ok, 1 failed, 2 bad usage or missing input, 130 interrupted.');
  });

  it('colour only on request or a terminal, and never with NO_COLOR', () => {
    const plain = run('prompt', 'stats', 'nope');
    expect(plain.err).not.toMatch(/\x1b\[/);
    const forced = tinyarms(['--data-dir', dataDir, 'prompt', 'stats', 'nope'], { env: { FORCE_COLOR: '1' } });
    expect(forced.err).toMatch(/^\x1b\[31mtinyarms:\x1b\[0m unknown skill/);
    const off = tinyarms(['--data-dir', dataDir, 'prompt', 'stats', 'nope'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(off.err).toMatch(/^tinyarms: unknown skill/);
  });
});

describe('errors under --json', () => {
  it('are {"error": {code, message}} on stdout with the same exit codes, for usage and engine errors alike', () => {
    const cases: [string[], number, string][] = [
      [['prompt', 'stats', 'file-nameing'], 2, 'unknown_skill'],
      [['nonsense'], 2, 'unknown_command'],
      [['prompt', 'stats', '--bogus'], 2, 'unknown_option'],
      [['task', 'feedback', 'task_nope', 'accepted'], 2, 'unknown_task'],
      [['prompt', 'evolve', 'file-naming'], 1, 'no_model'],
      [['prompt'], 2, 'missing_command'],
    ];
    for (const [args, exitCode, code] of cases) {
      const result = run('--json', ...args);
      expect(result.code, args.join(' ')).toBe(exitCode);
      const parsed = JSON.parse(result.out);
      expect(Object.keys(parsed), args.join(' ')).toEqual(['error']);
      expect(parsed.error, args.join(' ')).toMatchObject({ code });
      expect(parsed.error.message, args.join(' ')).toMatch(/^[^\n]+$/);
    }
  });
});
