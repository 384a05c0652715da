import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test-support/run-cli';
import { Engine } from '../../engine/engine';
import { resetLlamaForTests } from '../../engine/llm/llama-instance';
import { requireFixtureModel } from '../../engine/llm/test-fixture';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-model-cli-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));
afterAll(() => resetLlamaForTests());

const run = (...args: string[]) => runCliCaptured(dataDir, args);

const SMALL = `  evolution:
    population_size: 4
    generations: 2
    evaluation_samples: 2
    final_evaluation_samples: 3
    max_tokens: 8
    threads: 1
    context_size: 1024
    seed: 3
`;

function writeConfig(modelPath: string | null): void {
  fs.writeFileSync(
    path.join(dataDir, 'config.yaml'),
    `prompt_evolution:\n  smollm2:\n    model_path: ${modelPath === null ? 'null' : JSON.stringify(modelPath)}\n${SMALL}`,
  );
}

function recordFailures(n: number): void {
  const engine = Engine.open({ dataDir, seed: 'cli' });
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

const truncatedModel = (): string => {
  const file = path.join(dataDir, 'broken.gguf');
  fs.writeFileSync(file, fs.readFileSync(requireFixtureModel()).subarray(0, 1000));
  return file;
};

const MISSING = () => path.join(dataDir, 'models', 'SmolLM2-360M-Instruct-Q4_K_M.gguf');

describe('tinyarms model', () => {
  it('info loads the configured model and says what it is and where it came from', async () => {
    writeConfig(requireFixtureModel());
    const human = await run('model', 'info');
    expect(human.code).toBe(0);
    expect(human.out).toContain(`File: ${requireFixtureModel()} (chosen with \`tinyarms model use\`, --model or model_path)`);
    expect(human.out).toMatch(/Model: stories260K \(llama, chat wrapper Llama2ChatWrapper, trained context 2048\)/);
    // Three sequences for tasks (an A/B round's arms); an evolution has four, on a CPU whose contexts run one thread
    // each one context per sequence (runtime-defaults.ts), e.g. "3 sequences in 2 context(s) (4 in 4 while an evolution runs)".
    expect(human.out).toMatch(/Runtime: 1024 tokens × 3 sequences in \d+ context\(s\) \(4 in \d+ while an evolution runs\), \d+ thread/);
    const json = JSON.parse((await run('--json', 'model', 'info', '--model', requireFixtureModel())).out);
    expect(json).toMatchObject({
      path: requireFixtureModel(),
      source: 'config',
      catalogId: 'stories260K',
      verified: true,
      id: '270cba1bd5109f42',
      contextSize: 1024,
    });
  });

  it('info without a model says where to put one; a truncated file is one clear error', async () => {
    const missing = await run('model', 'info');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(`put it at ${MISSING()}`);
    expect(missing.err).toContain('tinyarms model pull');
    const broken = truncatedModel();
    const bad = await run('model', 'info', '--model', broken);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      new RegExp(`^tinyarms: model file ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a valid GGUF \\(.+\\)$`),
    );
  });

  it('pull offline fails with one line naming the URL and where to put the file; test-only models have no download', async () => {
    const offline = await run('model', 'pull', '--endpoint', 'http://127.0.0.1:9/');
    expect(offline.code).toBe(1);
    expect(offline.err.split('\n').filter((l) => l.startsWith('tinyarms:'))).toHaveLength(1);
    expect(offline.err).toMatch(/cannot download .* if offline, download https:\/\/huggingface\.co\/\S+ yourself and put it at /);
    expect(offline.err).toContain(MISSING());
    expect((await run('model', 'pull', 'stories260K')).err).toMatch(/test-only/);
  });
});

describe('tinyarms prompt evolve with a model', () => {
  it('without a model it says where to put one, and variant files still work', async () => {
    const result = await run('prompt', 'evolve', 'file-naming', '--variants', '3');
    expect(result.code).toBe(1);
    expect(result.err).toContain(`put it at ${MISSING()}`);
    const files = ['a', 'b'].map((l) => {
      const file = path.join(dataDir, `${l}.md`);
      fs.writeFileSync(file, `Variant ${l}.\n\nFile: {{input}}\n`);
      return file;
    });
    expect((await run('prompt', 'evolve', 'file-naming', '--variant-a', files[0], '--variant-b', files[1])).code).toBe(0);
  });

  it('a truncated model file stops before any run starts', async () => {
    recordFailures(6);
    const result = await run('prompt', 'evolve', 'file-naming', '--model', truncatedModel(), '--yes');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/is not a valid GGUF/);
    const engine = Engine.open({ dataDir });
    try {
      expect(engine.sessions.list({ skill: 'file-naming' })).toEqual([]);
      expect(engine.ctx.db.prepare('SELECT COUNT(*) AS n FROM evolution_runs').get()).toEqual({ n: 0 });
    } finally {
      engine.close();
    }
  });

  it('runs a real evolution: projection and progress on stderr, the A/B session with reasoning on stdout', async () => {
    writeConfig(null);
    recordFailures(12);
    const result = await run(
      'prompt',
      'evolve',
      'file-naming',
      '--model',
      requireFixtureModel(),
      '--variants',
      '2',
      '--generations',
      '2',
      '--population',
      '4',
      '--yes',
    );
    expect(result.code, result.err).toBe(0);
    expect(result.err).toMatch(/Evolving file-naming: population 4, 2 generations × 2 tournaments/);
    expect(result.err).toMatch(/Projected model calls \(upper bound, before cache hits\): \d+ = /);
    // The real model's tokenizer counts the tokens, and the probe prices them in CPU-seconds (it runs on the CPU here).
    expect(result.err).toMatch(/to generate \(the model's tokenizer\)$/m);
    expect(result.err).toMatch(
      /^Projected wall time: ~\d+ (s|min) at this machine's present load.* CPU-seconds over [\d.]+ of \d+ cores; probe: /m,
    );
    expect(result.err).toMatch(/^\[\d:\d\d\] loading the model stories260K\.gguf$/m);
    expect(result.err).toMatch(/^\[\d:\d\d\] building the first population \d\/4 · \d+\/5000 calls/m);
    expect(result.err).toMatch(/^\[\d:\d\d\] generation 1 done · gen 1\/2 .* · \d+\/5000 calls/m);
    expect(result.err).toMatch(/^✔ done in \d:\d\d · gen 2\/2 .* · \d+\/5000 calls · best \d+% vs current \d+% on 3 held-out examples$/m);
    expect(result.out).toMatch(/Evolution run evo_\w+: 2 generations/);
    expect(result.out).toMatch(/Model calls: \d+ uncached \(\d+ evaluations, \d+ mutations\), \d+ cache hits/);
    expect(result.out).toMatch(/Started A\/B session ses_\w+ for file-naming with 2 variants/);
    expect(result.out).toMatch(/ {2}A: .*fitness \d+% on 3 held-out examples/);
  });

  it('prints the run with its projection against what it measured in --json', async () => {
    writeConfig(null);
    recordFailures(12);
    const flags = ['--model', requireFixtureModel(), '--variants', '2', '--generations', '1', '--population', '3', '--yes'];
    const result = await run('--json', 'prompt', 'evolve', 'file-naming', ...flags);
    expect(result.code, result.err).toBe(0);
    const projection = JSON.parse(result.out).evolution.projection;
    expect(projection.estimatedSeconds).toBeGreaterThan(0);
    expect(projection.measuredSeconds).toBeGreaterThan(0);
    expect(projection.cpu.estimatedCpuSeconds).toBeGreaterThan(0);
    expect(projection.cpu.measuredCpuSeconds).toBeGreaterThan(0);
    expect(projection.cpu.cpuCalibration).toBeCloseTo(projection.cpu.measuredCpuSeconds / projection.cpu.estimatedCpuSeconds);
  });
});

describe('tinyarms monitor run with a model installed', () => {
  it('a triggered skill gets an evolved A/B session with --evolve, and is only reported without it', async () => {
    writeConfig(requireFixtureModel());
    recordFailures(20);
    const asked = await run('monitor', 'run', '--skill', 'file-naming');
    expect(asked.code, asked.err).toBe(0);
    expect(asked.out).toMatch(/file-naming\s+triggered/);
    expect(asked.out).toMatch(/file-naming: evolution triggered, not started — not started \(not asked: no terminal/);
    const result = await run('monitor', 'run', '--skill', 'file-naming', '--evolve');
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/file-naming: started A\/B session ses_\w+/);
  });

  it('never loads the model when no evolution starts', async () => {
    // A configured file that cannot load: any attempt to load it would fail the command.
    writeConfig(truncatedModel());
    const result = await run('monitor', 'run');
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/file-naming\s+too few samples/);
  });
});
