import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine';
import { requireFixtureModel } from '../../engine/llm/test-fixture';
import { loadedModel, loadedReact, tinyarms } from '../../test-support/cli-process';
import { examplesOf } from './help';
import { buildProgram } from './index';
import type { CliIo } from './output';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-flow-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const run = (...args: string[]) => tinyarms(['--data-dir', dataDir, ...args]);
const traced = (...args: string[]) => tinyarms(['--data-dir', dataDir, ...args], { trace: true });

function withEngine<T>(fn: (engine: Engine) => T): T {
  const engine = Engine.open({ dataDir, seed: 'flow' });
  try {
    return fn(engine);
  } finally {
    engine.close();
  }
}

const recordFailures = (n: number) =>
  withEngine((engine) => {
    for (let i = 0; i < n; i++) {
      engine.recordTask(
        { skill: 'file-naming', input: `IMG_${i}.png | photo`, output: `image-${i}.png` },
        { outcome: 'edited', finalOutput: `beach-sunset-${i}.png` },
      );
    }
  });

const variantFiles = () =>
  ['A', 'B', 'C'].map((letter) => {
    const file = path.join(dataDir, `variant-${letter}.md`);
    fs.writeFileSync(file, `Variant ${letter}.\n\nFile: {{input}}\n`);
    return file;
  });

describe('what commands load', () => {
  it('task record, prompt stats and skills never load node-llama-cpp or React', () => {
    for (const args of [['task', 'record', 'file-naming', '--input', 'a.png', '--output', 'b.png'], ['prompt', 'stats'], ['skills']]) {
      const result = traced(...args);
      expect(result.code, result.err).toBe(0);
      expect(result.imports.length, 'the trace hook recorded the imports').toBeGreaterThan(5);
      expect(loadedModel(result.imports), args.join(' ')).toBe(false);
      expect(loadedReact(result.imports), args.join(' ')).toBe(false);
    }
  });
});

describe('models', () => {
  it('model use records the choice; task run then runs on it without --model', () => {
    expect(run('task', 'run', 'file-naming', '--input', 'IMG_1.png').err).toMatch(
      /^tinyarms: model SmolLM2-360M-Instruct \(Q4_K_M\) is not installed/,
    );
    const use = run('model', 'use', requireFixtureModel());
    expect(use.code, use.err).toBe(0);
    expect(use.out).toContain('Checked: the exact file the catalog pins (size and SHA-256).');
    expect(fs.readFileSync(path.join(dataDir, 'config.yaml'), 'utf8')).toContain(`model_path: ${requireFixtureModel()}`);
    const task = run('task', 'run', 'file-naming', '--input', 'IMG_1.png', '--no-vote');
    expect(task.code, task.err).toBe(0);
    expect(task.out).toMatch(/^Task task_\w+ \(file-naming, v1\): /);
    expect(run('model', 'list').out).toMatch(/^stories260K .*← in use$/m);
  });

  it("a file named like the catalog's SmolLM2 that is not the pinned file is named, not used", () => {
    recordFailures(5);
    const fake = path.join(dataDir, 'models', 'SmolLM2-360M-Instruct-Q4_K_M.gguf');
    fs.mkdirSync(path.dirname(fake), { recursive: true });
    fs.copyFileSync(requireFixtureModel(), fake);
    const evolve = run('prompt', 'evolve', 'file-naming', '--yes');
    expect(evolve.code).toBe(1);
    expect(evolve.err.trim()).toBe(
      `tinyarms: model file ${fake} is not SmolLM2-360M-Instruct (Q4_K_M): it has 1185376 bytes, the catalog pins 270590880 bytes; delete it and run \`tinyarms model pull smollm2-360m-instruct-q4_k_m\``,
    );
    expect(run('model', 'use', fake).err).toMatch(/is not SmolLM2-360M-Instruct \(Q4_K_M\)/);
    expect(run('model', 'list').out).toMatch(/^smollm2-360m-instruct-q4_k_m +270\.6 MB +no /m);
  });
});

describe('check before work', () => {
  it('monitor run --no-evolve reports a triggered skill, starts nothing and loads no model', () => {
    expect(run('model', 'use', requireFixtureModel()).code).toBe(0);
    recordFailures(20);
    const result = traced('monitor', 'run', '--no-evolve');
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^file-naming\s+triggered\s+0% over 20 tasks is below 80%$/m);
    expect(result.out).toMatch(/^file-naming: evolution triggered, not started — not started \(--no-evolve\)$/m);
    expect(loadedModel(result.imports)).toBe(false);
    withEngine((engine) => expect(engine.sessions.list({ skill: 'file-naming' })).toEqual([]));
  });

  it('prompt evolve refuses at once on an active A/B session, before any model is loaded', () => {
    expect(run('model', 'use', requireFixtureModel()).code).toBe(0);
    recordFailures(12);
    const [a, b] = variantFiles();
    expect(run('prompt', 'create', 'file-naming', '--variant-a', a, '--variant-b', b).code).toBe(0);
    const result = traced('prompt', 'evolve', 'file-naming', '--yes');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^tinyarms: file-naming already has an A\/B test running \(started \d{4}-\d\d-\d\d\): finish it with `tinyarms vote`/,
    );
    expect(loadedModel(result.imports)).toBe(false);
    withEngine((engine) => expect(engine.ctx.db.prepare('SELECT COUNT(*) AS n FROM evolution_runs').get()).toEqual({ n: 0 }));
  });
});

describe('state shown is current', () => {
  it('after a promotion, stats no longer show the old trigger; review flags stay visible; a closed session takes no votes', () => {
    recordFailures(20);
    expect(run('monitor', 'run', '--no-evolve').out).toMatch(/file-naming\s+triggered/);
    expect(run('prompt', 'stats', 'file-naming').out).toMatch(/^Status: Needs a better prompt: /m);
    const files = variantFiles();
    expect(run('prompt', 'create', 'file-naming', '--variant-a', files[0], '--variant-b', files[1], '--variant-c', files[2]).code).toBe(0);
    expect(
      run(
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
      ).code,
    ).toBe(0);
    expect(run('prompt', 'stats', 'file-naming').out).toMatch(
      /^Status: Testing \(no votes yet[^)]*\): When tinyArms asks which result is better, your vote counts here\.$/m,
    );
    expect(run('prompt', 'promote', 'file-naming', 'C').code).toBe(0);
    const stats = run('prompt', 'stats', 'file-naming').out;
    expect(stats).toMatch(/^Status: Promoted: Version 2 is in use; 0 results of 20 reviewed since\.$/m);
    expect(stats).not.toMatch(/Needs a better prompt/);
    expect(run('skills').out).toMatch(/^file-naming\s+.*\bv2\s+Promoted$/m);
    const show = run('vote', 'show', 't1');
    expect(show.out).not.toMatch(/vote cast/);
    expect(show.out).toMatch(/A\/B session ses_\w+ is completed, so it takes no more votes/);

    withEngine((engine) => {
      engine.sessions.create({
        skill: 'file-naming',
        reason: 'manual',
        needsReview: true,
        variants: [{ prompt: 'One {{input}}' }, { prompt: 'Two {{input}}' }],
      });
    });
    expect(run('prompt', 'stats', 'file-naming').out).toMatch(/^Review: its best variant scored below the rollback threshold/m);
    expect(run('prompt', 'results', 'file-naming').out).toMatch(/^Flagged for review: /m);
    expect(run('skills').out).toMatch(/^file-naming .*\(flagged for review\)$/m);
    expect(JSON.parse(run('--json', 'prompt', 'stats', 'file-naming').out).session.needsReview).toBe(true);
  });

  it('an undo that cannot put a file back fails with 1', () => {
    expect(run('model', 'use', requireFixtureModel()).code).toBe(0);
    const inbox = path.join(dataDir, 'inbox');
    fs.mkdirSync(inbox);
    fs.writeFileSync(path.join(inbox, 'IMG_0001.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    const [proposal] = JSON.parse(run('--json', 'files', 'propose', path.join(inbox, 'IMG_0001.png')).out);
    expect(run('files', 'edit', proposal.id, 'harbour-at-dusk').code).toBe(0);
    fs.rmSync(path.join(inbox, 'harbour-at-dusk.png'));
    const undo = run('undo');
    expect(undo.code).toBe(1);
    expect(undo.out).toMatch(/^Cannot undo: harbour-at-dusk\.png is no longer in /m);
    expect(undo.err.trim()).toMatch(/^tinyarms: harbour-at-dusk\.png is no longer in .* \(moved or deleted\)$/);
  });
});

describe('the demo', () => {
  it('ends today, and the commands it suggests show its numbers', () => {
    const demoDir = path.join(dataDir, 'demo');
    const demo = tinyarms(['--data-dir', demoDir, 'demo']);
    expect(demo.code, demo.err).toBe(0);
    const suggested = demo.out.split('\n').filter((l) => l.trim().startsWith('npx tinyarms'));
    expect(suggested).toHaveLength(3);
    for (const line of suggested) {
      const args = [...line.matchAll(/"([^"]+)"|(\S+)/g)].map((m) => m[1] ?? m[2]).slice(2);
      const result = tinyarms(args);
      expect(result.code, line).toBe(0);
      expect(result.out, line).toMatch(/\d+%/);
      expect(result.out, line).not.toMatch(/n\/a|0\/0 tasks/);
    }
  });
});

/** Words of one example line, as a shell would split it (quotes; a pipe or comment ends the command). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\|)|(#.*)|(\S+)/g)) {
    if (m[3] || m[4]) break;
    words.push(m[1] ?? m[2] ?? m[5]);
  }
  return words;
}

describe('help examples', () => {
  it('every example parses to the command whose help shows it', async () => {
    const quiet: CliIo = { out: () => {}, err: () => {}, json: false, color: { out: false, err: false } };
    const all = (
      await buildProgram(
        [],
        () => quiet,
        () => {},
      )
    ).program;
    const commands: Command[] = [];
    const walk = (c: Command) => c.commands.forEach((sub) => (commands.push(sub), walk(sub)));
    walk(all);
    const fullName = (c: Command): string => (c.parent ? `${fullName(c.parent)} ${c.name()}` : c.name());
    let checked = 0;
    for (const owner of [all, ...commands]) {
      for (const example of examplesOf(owner)) {
        const { program } = await buildProgram(
          [],
          () => quiet,
          () => {},
        );
        let ran: string | null = null;
        const stub = (c: Command) => c.commands.forEach((sub) => (sub.action(() => void (ran = fullName(sub))), stub(sub)));
        stub(program);
        await program.parseAsync(shellWords(example).slice(1), { from: 'user' });
        expect(ran, example).toBe(owner.parent ? fullName(owner) : ran);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});
