// `npm run bench:cli -- [--rounds 15]`
// How long `tinyarms` takes to start and finish, beside bare `node -e 0` on the same machine in the same run:
// median wall time of each command over interleaved rounds (so a busy moment hits every row alike).
// Rows: the CLI as shipped (bin/tinyarms.mjs running the cached bundle), the same commands from the TypeScript
// sources through tsx (how bin/tinyarms.mjs ran before: TINYARMS_CLI_FROM_SOURCE=1), and `npx tinyarms` as the
// README calls it. Plus the one-time cost of rebuilding the bundle after a source change.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, quantile } from 'simple-statistics';
import { APP_ROOT } from '../main/engine/data-paths';
import { Engine } from '../main/engine/engine';
import { flag } from './args';

const ROUNDS = Number(flag('rounds') ?? 15);
if (!(Number.isInteger(ROUNDS) && ROUNDS >= 3)) throw new Error('--rounds must be a whole number ≥ 3');
const BIN = path.join(APP_ROOT, 'bin', 'tinyarms.mjs');
const TARGETS: Record<string, number> = { version: 2, record: 4 };

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-cli-bench-'));
const engine = Engine.open({ dataDir, seed: 'bench' });
for (let i = 0; i < 60; i++) {
  const verdict = i % 4 ? { outcome: 'accepted' as const } : { outcome: 'edited' as const, finalOutput: `beach-${i}.png` };
  engine.recordTask({ skill: 'file-naming', input: `IMG_${i}.png`, output: `photo-${i}.png` }, verdict);
}
engine.close();

interface Case {
  key: string;
  label: string;
  command: string;
  args: () => string[];
  env?: NodeJS.ProcessEnv;
  rounds?: number;
}

let taskNo = 0;
const record = () => [
  '--data-dir',
  dataDir,
  'task',
  'record',
  'file-naming',
  '--input',
  `IMG_b${++taskNo}.png`,
  '--output',
  'beach.png',
  '--outcome',
  'accepted',
];
const stats = () => ['--data-dir', dataDir, 'prompt', 'stats'];
const FROM_SOURCE = { TINYARMS_CLI_FROM_SOURCE: '1' };
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const cases: Case[] = [
  { key: 'node', label: '`node -e 0`', command: process.execPath, args: () => ['-e', '0'] },
  { key: 'version', label: '`tinyarms --version`', command: process.execPath, args: () => [BIN, '--version'] },
  { key: 'record', label: '`tinyarms task record …`', command: process.execPath, args: () => [BIN, ...record()] },
  { key: 'stats', label: '`tinyarms prompt stats`', command: process.execPath, args: () => [BIN, ...stats()] },
  // `--data-dir` keeps the source row off bin's --version shortcut: it measures the whole CLI as it started before.
  {
    key: 'src-version',
    label: '`--version`, TypeScript via tsx (before)',
    command: process.execPath,
    args: () => [BIN, '--data-dir', dataDir, '--version'],
    env: FROM_SOURCE,
  },
  {
    key: 'src-record',
    label: '`task record`, TypeScript via tsx (before)',
    command: process.execPath,
    args: () => [BIN, ...record()],
    env: FROM_SOURCE,
  },
  {
    key: 'npx-record',
    label: '`npx tinyarms task record …`',
    command: NPX,
    args: () => ['--no-install', 'tinyarms', ...record()],
    rounds: Math.min(ROUNDS, 7),
  },
];

function time(c: Case): number {
  const started = performance.now();
  const result = spawnSync(c.command, c.args(), { cwd: APP_ROOT, env: { ...process.env, ...c.env }, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${c.label} failed (${result.status}): ${result.stderr}`);
  return ms;
}

// The bundle is built on the first call after a change; time that once, then warm every row up.
fs.rmSync(path.join(APP_ROOT, '.cache', 'cli', 'manifest.json'), { force: true });
const rebuild = time(cases[2]);
for (const c of cases) time(c);

const samples = new Map<string, number[]>(cases.map((c) => [c.key, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) if (round < (c.rounds ?? ROUNDS)) samples.get(c.key)!.push(time(c));
}

const med = (key: string) => median(samples.get(key)!);
const base = med('node');
const ms = (x: number) => `${Math.round(x)} ms`;
const machine = `${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}, Node ${process.version}`;
console.log(`tinyarms start-up: median of ${ROUNDS} interleaved rounds (npx: ${Math.min(ROUNDS, 7)}), ${machine}\n`);
console.log('| command | median | p90 | × `node -e 0` | target |');
console.log('|---|---|---|---|---|');
for (const c of cases) {
  const xs = samples.get(c.key)!;
  const ratio = median(xs) / base;
  const target = TARGETS[c.key];
  const verdict = target === undefined ? '' : `≤ ${target}× ${ratio <= target ? 'ok' : 'MISSED'}`;
  const times = c.key === 'node' ? '1.0×' : `${ratio.toFixed(1)}×`;
  console.log(`| ${c.label} | ${ms(median(xs))} | ${ms(quantile(xs, 0.9))} | ${times} | ${verdict} |`);
}
console.log(
  `| first \`task record\` after a source change (bundle rebuilt) | ${ms(rebuild)} | | ${(rebuild / base).toFixed(1)}× | once a change |`,
);
fs.rmSync(dataDir, { recursive: true, force: true });
