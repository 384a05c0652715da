import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_ROOT } from '../../engine/data-paths';
import { Engine } from '../../engine/engine';
import type { EvolutionPlan } from '../../engine/evolution/plan';
import type { EvolutionProgress } from '../../engine/evolution/types';
import { requireFixtureModel } from '../../engine/llm/test-fixture';
import { runInTerminal, tmuxAvailable } from '../../test-support/tmux';
import { EtaEstimator, fitWidth, ProgressView } from './progress-view';

const DRIVER = `node ${path.join(APP_ROOT, 'bin', 'run-ts.mjs')} ${path.join(APP_ROOT, 'main', 'test-support', 'progress-driver.ts')}`;
const BIN = path.join(APP_ROOT, 'bin', 'tinyarms.mjs');

const plan = {
  calls: { initial: 19, total: 1000, maxLlmCalls: 5000 },
  estimatedSeconds: 1000,
  secondsPer: { evaluation: 0.25, mutation: 3 },
  resumeFrom: null,
} as EvolutionPlan;
const progress = (p: Partial<EvolutionProgress>): EvolutionProgress => ({
  skill: 's',
  phase: 'initialising',
  generation: 0,
  generations: 10,
  bestFitness: null,
  meanFitness: null,
  llmCalls: 0,
  maxLlmCalls: 5000,
  tokensPerSecond: null,
  etaSeconds: null,
  message: null,
  ...p,
});

describe('progress display, in memory', () => {
  it('cuts lines to the width with an ellipsis, one column spare', () => {
    expect(fitWidth('abcdef', 80)).toBe('abcdef');
    expect(fitWidth('x'.repeat(50), 40)).toBe(`${'x'.repeat(38)}…`);
    expect([...fitWidth('█'.repeat(50), 40)]).toHaveLength(39);
  });

  it("learns the ETA: the projection first, rescaled by the first calls, then the engine's own, counted down", () => {
    const eta = new EtaEstimator();
    eta.setPlan(plan, 0);
    expect(eta.secondsLeft(10_000)).toBe(990);
    // 4 calls in 2 s: 0.5 s per mutation where the projection assumed 3 s, so the rest runs 6× faster.
    eta.update(progress({ llmCalls: 4 }), 2000);
    expect(eta.secondsLeft(2000)).toBeCloseTo(15 * 0.5 + (1000 - 19 * 3) / 6, 5);
    eta.update(progress({ phase: 'evolving', generation: 1, llmCalls: 100, etaSeconds: 120 }), 50_000);
    expect(eta.secondsLeft(80_000)).toBe(90);
    eta.update(progress({ phase: 'done', etaSeconds: 0 }), 90_000);
    expect(eta.secondsLeft(90_000)).toBeNull();
  });

  it('without a terminal writes plain lines, never a carriage return or an escape sequence', () => {
    const written: string[] = [];
    const view = new ProgressView({ isTTY: false, write: (t) => written.push(t) }, { now: () => 0, every: () => () => {} });
    view.status('loading the model');
    view.update(progress({ message: 'building the first population 4/20', llmCalls: 3 }));
    view.update(progress({ phase: 'done', generation: 10, message: 'best 70% vs current 60%' }));
    expect(written.join('')).not.toMatch(/[\r\x1b]/);
    expect(written).toEqual([
      '[0:00] loading the model\n',
      '[0:00] building the first population 4/20 · 3/5000 calls\n',
      '✔ done in 0:00 · gen 10/10 ██████████ · best — mean — · 0/5000 calls · best 70% vs current 60%\n',
    ]);
  });
});

describe.skipIf(!tmuxAvailable() && !process.env.CI)('progress display in a real terminal (tmux)', () => {
  it.each([40, 80, 120])(
    'at %i columns the final screen has the plan, one finished line, and no leftovers of the redraws',
    async (width) => {
      const run = await runInTerminal(DRIVER, { width });
      expect(run.exitCode).toBe(0);
      // The plan lines are ordinary output the terminal wraps; the progress line is never wider than the terminal.
      const progressLines = run.logical.filter((line) => /^[✔✖⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/.test(line));
      expect(progressLines).toHaveLength(1);
      expect([...progressLines[0]].length).toBeLessThan(width);
      expect(run.screen).toMatchSnapshot();
    },
  );

  it('a real evolution at 40 and 120 columns ends with one finished progress line, then the summary on its own line', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-tty-'));
    try {
      fs.writeFileSync(
        path.join(dataDir, 'config.yaml'),
        'prompt_evolution:\n  evolution:\n    population_size: 4\n    generations: 2\n    evaluation_samples: 2\n    final_evaluation_samples: 3\n    max_tokens: 8\n    threads: 1\n    context_size: 1024\n    seed: 3\n',
      );
      const engine = Engine.open({ dataDir });
      for (let i = 0; i < 10; i++)
        engine.recordTask(
          { skill: 'file-naming', input: `IMG_${i}.png`, output: `image-${i}.png` },
          { outcome: 'edited', finalOutput: `beach-${i}.png` },
        );
      engine.close();
      for (const width of [40, 120]) {
        const run = await runInTerminal(
          `node ${BIN} --data-dir ${dataDir} prompt evolve file-naming --model ${requireFixtureModel()} --yes --fresh`,
          { width },
        );
        expect(run.exitCode, run.logical.join('\n')).toBe(0);
        const finished = run.logical.findIndex((line) => line.startsWith('✔ done in '));
        expect(finished, run.logical.join('\n')).toBeGreaterThan(0);
        expect([...run.logical[finished]].length).toBeLessThan(width);
        expect(run.logical[finished + 1]).toMatch(/^Evolution run evo_\w+: 2 generations/);
        expect(run.logical.filter((line) => /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏✔✖]/.test(line))).toHaveLength(1);
        // The next width needs no active session: cancel the one this run started.
        const again = Engine.open({ dataDir });
        for (const s of again.sessions.list({ status: 'active' })) again.sessions.cancel(s.id);
        again.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe.skipIf(!tmuxAvailable() && !process.env.CI)('questions at a terminal (tmux)', () => {
  const setUp = (): string => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-ask-'));
    const engine = Engine.open({ dataDir });
    for (let i = 0; i < 20; i++)
      engine.recordTask(
        { skill: 'file-naming', input: `IMG_${i}.png`, output: `image-${i}.png` },
        { outcome: 'edited', finalOutput: `beach-${i}.png` },
      );
    engine.close();
    return dataDir;
  };

  it('Ctrl-C at "Start the evolution?" exits 130 and starts nothing', async () => {
    const dataDir = setUp();
    try {
      const command = `node ${BIN} --data-dir ${dataDir} prompt evolve file-naming --model ${requireFixtureModel()} --population 4 --generations 1`;
      const run = await runInTerminal(command, { width: 100 }, { when: /Start the evolution\? \[y\/N\]/, keys: ['C-c'] });
      expect(run.exitCode, run.logical.join('\n')).toBe(130);
      expect(run.logical.at(-1)).toBe('tinyarms: interrupted at the question; nothing was started');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('monitor run asks before a triggered evolution; "n" starts nothing and the verdict is printed', async () => {
    const dataDir = setUp();
    try {
      fs.writeFileSync(path.join(dataDir, 'config.yaml'), `prompt_evolution:\n  smollm2:\n    model_path: ${requireFixtureModel()}\n`);
      const run = await runInTerminal(
        `node ${BIN} --data-dir ${dataDir} monitor run --skill file-naming`,
        { width: 120 },
        { when: /Start it now\? \[y\/N\]/, keys: ['n', 'Enter'] },
      );
      expect(run.exitCode, run.logical.join('\n')).toBe(0);
      expect(run.logical[0]).toMatch(/^file-naming\s+triggered\s+0% over 20 tasks is below 80%$/);
      expect(run.logical).toContain('file-naming: evolution triggered, not started — not started (declined at the terminal)');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('progress display without a terminal', () => {
  let output = '';
  beforeAll(() => {
    const [node, ...args] = DRIVER.split(' ');
    output = spawnSync(node, args, { encoding: 'utf8' }).stderr;
  });

  it('prints one plain line per event (no redraws) and ends with a newline', () => {
    expect(output).not.toMatch(/[\r\x1b]/);
    expect(output.endsWith('\n')).toBe(true);
    expect(output).toMatchSnapshot();
  });
});
