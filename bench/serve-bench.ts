// `npm run bench:serve -- [--votes 50] [--keep] [--model toy|shaped-smollm2] [--model-only]`
// Browser mode's footprint and responsiveness, measured on child processes running `tinyarms serve`:
//  - idle RSS with the engine loaded and the model not loaded, for the CLI compiled from TypeScript through tsx at run
//    time (how bin/tinyarms.mjs ran before it cached a bundle) and for the same code bundled with esbuild on plain Node;
//  - the time from a vote (HTTP POST) to the updated state arriving over server-sent events, median of N;
//  - with the model loaded for tasks (POST /api/tasks/run: file-naming tasks, some of them 3-arm vote rounds):
//    per-task latency and the process's peak RSS, for the shaped SmolLM2-360M and the toy side by side.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { Engine } from '../main/engine/engine';
import { APP_ROOT } from '../main/engine/data-paths';
import type { AppStateView, TinyArmsApi } from '../contract/api';
import { createHttpApi } from '../contract/http-client';
import { flag, has } from './args';
import { benchModels, chosenModel } from './bench-model';
import { modelTasks } from './serve-model';
import { idleRss, mb, median, startServe, type Served } from './serve-process';

const VOTES = Number(flag('votes') ?? 50);
const KEEP = has('keep');
const RSS_TARGET_MB = 100;
if (!(Number.isInteger(VOTES) && VOTES > 0)) throw new Error('--votes must be a positive integer');

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** A data folder with one A/B session and `rounds` open vote rounds; looks pushed past the bench's votes. */
function seedDataDir(rounds: number): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-serve-bench-'));
  // No look (and so no conclusion) inside the bench: every vote is an ordinary one.
  fs.writeFileSync(
    path.join(dataDir, 'config.yaml'),
    `prompt_evolution:\n  ab_testing:\n    votes_required: ${rounds + 100}\n    min_votes: ${rounds + 50}\n    boundary_from_vote: ${rounds + 50}\n    max_duration_days: 365\n`,
  );
  const engine = Engine.open({ dataDir });
  try {
    const variants = ['A', 'B', 'C'].map((l) => ({ prompt: `Variant ${l}: name this file.\n\nFile: {{input}}` }));
    const session = engine.sessions.create({ skill: 'file-naming', variants, reason: 'manual' });
    for (let i = 0; i < rounds; i += 1) {
      engine.sessions.openRound(session.id, {
        taskId: `bench-${i}`,
        input: `Screenshot-${i}.png`,
        outputs: { A: `hero-section-${i}.png`, B: `website-header-${i}.png`, C: `hero-mobile-${i}.png` },
      });
    }
  } finally {
    engine.close();
  }
  return dataDir;
}

/** The CLI bundled into one file on plain Node; each module keeps its own import.meta.url, so files are found. */
async function bundleCli(): Promise<string> {
  const dir = path.join(APP_ROOT, '.tmp', 'bench');
  fs.mkdirSync(dir, { recursive: true });
  const entry = path.join(dir, 'entry.ts');
  fs.writeFileSync(
    entry,
    `import { runCli } from '../../main/shells/cli/index';\nprocess.exitCode = await runCli(process.argv.slice(2));\n`,
  );
  const outdir = path.join(dir, 'cli');
  fs.rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { 'tinyarms-cli': entry },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // Lazy imports stay lazy (node-llama-cpp loads only when a model is needed), as in the Electron build.
    splitting: true,
    logLevel: 'error',
    plugins: [
      {
        name: 'keep-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (args) => ({
            contents: (await fs.promises.readFile(args.path, 'utf8')).replaceAll(
              'import.meta.url',
              JSON.stringify(pathToFileURL(args.path).href),
            ),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  return path.join(outdir, 'tinyarms-cli.mjs');
}

async function voteLatency(served: Served, votes: number): Promise<{ toState: number[]; post: number[] }> {
  const api: TinyArmsApi = createHttpApi(served.origin, served.token);
  let latest: AppStateView | null = null;
  let wake: (() => void) | null = null;
  const off = api.onState((state) => {
    latest = state;
    wake?.();
  });
  const stateWhere = (test: (s: AppStateView) => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (latest && test(latest)) {
          wake = null;
          resolve();
        }
      };
      wake = check;
      check();
    });
  await stateWhere(() => true);
  const toState: number[] = [];
  const post: number[] = [];
  for (let i = 0; i < votes; i += 1) {
    const taskId = `bench-${i}`;
    const start = performance.now();
    const arrived = stateWhere((s) => !s.pendingVotes.some((r) => r.taskId === taskId));
    await api.vote(taskId, '1');
    post.push(performance.now() - start);
    await arrived;
    toState.push(performance.now() - start);
  }
  off();
  return { toState, post };
}

/** Idle RSS and vote latency, tsx vs bundled; true when an idle RSS meets its target. */
async function votes(dataDirs: string[]): Promise<boolean> {
  const shippedDir = seedDataDir(VOTES);
  const bundledDir = seedDataDir(VOTES);
  dataDirs.push(shippedDir, bundledDir);
  const bundled = await bundleCli();

  // bin/tinyarms.mjs now runs a cached bundle; TINYARMS_CLI_FROM_SOURCE keeps the TypeScript-through-tsx row for comparison.
  const shipped = await startServe(path.join(APP_ROOT, 'bin', 'tinyarms.mjs'), shippedDir, { TINYARMS_CLI_FROM_SOURCE: '1' });
  const shippedRss = await idleRss(shipped);
  const latency = await voteLatency(shipped, VOTES);
  await shipped.stop();

  const plain = await startServe(bundled, bundledDir);
  const bundledRss = await idleRss(plain);
  const plainLatency = await voteLatency(plain, VOTES);
  await plain.stop();

  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const rows: [string, string, string][] = [
    [
      'idle RSS, `tinyarms serve`, TypeScript via tsx (before)',
      mb(shippedRss),
      `≤ ${RSS_TARGET_MB} MB ${shippedRss <= RSS_TARGET_MB ? 'ok' : 'OVER'}`,
    ],
    [
      'idle RSS, same CLI bundled (esbuild, plain node; as shipped now)',
      mb(bundledRss),
      `≤ ${RSS_TARGET_MB} MB ${bundledRss <= RSS_TARGET_MB ? 'ok' : 'OVER'}`,
    ],
    [`vote POST → state over SSE, median of ${VOTES} (tsx)`, ms(median(latency.toState)), ''],
    [`vote POST → state over SSE, p90 (tsx)`, ms(quantile(latency.toState, 0.9)), ''],
    [`vote POST round trip, median (tsx)`, ms(median(latency.post)), ''],
    [`vote POST → state over SSE, median of ${VOTES} (bundled)`, ms(median(plainLatency.toState)), ''],
    [`vote POST → state over SSE, p90 (bundled)`, ms(quantile(plainLatency.toState, 0.9)), ''],
  ];
  const width = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length), ['metric', 'value', 'target'][c].length));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(width[c])).join(' | ')} |`;
  console.log(`tinyArms browser mode — Node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} CPUs`);
  console.log(line(['metric', 'value', 'target']));
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  return shippedRss <= RSS_TARGET_MB || bundledRss <= RSS_TARGET_MB;
}

const dataDirs: string[] = [];
try {
  const ok = has('model-only') ? true : await votes(dataDirs);
  if (has('model')) {
    console.log('\nWith the model loaded for tasks (POST /api/tasks/run: file-naming tasks, then an A/B test of 3 arms):');
    for (const model of benchModels(chosenModel())) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-serve-model-'));
      dataDirs.push(dir);
      for (const [metric, value] of await modelTasks(model, dir)) console.log(`| ${metric} | ${value} |`);
    }
  }
  process.exitCode = ok ? 0 : 1;
} finally {
  if (!KEEP) for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
}
