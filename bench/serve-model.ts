// bench:serve --model: `tinyarms serve` with the model loaded for tasks, through the one serving path (POST
// /api/tasks/run). File-naming tasks with the shipped prompt (the first one cold: its prefix not yet evaluated, the
// model already loaded by another skill's task), then an A/B test of the three demo variants started by another
// process while the server runs (its state feed sees it and pins the arms' prefixes): single-arm tasks and 3-arm vote
// rounds on the same prompts. Latency per task, the server's CPU-seconds per task (/proc), the machine's other load,
// and the process's RSS and peak RSS.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Engine } from '../main/engine/engine';
import { APP_ROOT } from '../main/engine/data-paths';
import type { BenchModel } from './bench-model';
import { startMeter } from './cpu-meter';
import { idleRss, mb, median, postTask, sleep, startServe, statusMb, type Served } from './serve-process';

const LOADED_TARGET_MB = 650;
const IDLE_TARGET_MB = 100;

interface Failure {
  input: string;
}
const inputs = (
  JSON.parse(fs.readFileSync(path.join(APP_ROOT, 'skills', 'examples', 'file-naming-failures.json'), 'utf8')) as { examples: Failure[] }
).examples.map((f) => f.input);
const demoVariants = fs
  .readFileSync(path.join(APP_ROOT, 'skills', 'examples', 'file-naming-demo-variants.md'), 'utf8')
  .split(/^## Variant /m)
  .slice(1)
  .map((s) => s.slice(1).trim());

/** The child's user + system CPU-seconds (Linux /proc; null elsewhere). */
function childCpuS(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return null;
  }
}

interface Timed {
  ms: number;
  cpuS: number | null;
  othersCores: number | null;
  round: boolean;
}

async function task(served: Served, skill: string, input: string, allowVote = false): Promise<Timed> {
  const pid = served.child.pid!;
  const cpu0 = childCpuS(pid);
  const stop = startMeter();
  const started = performance.now();
  const reply = await postTask(served, { skill, input, allowVote });
  const ms = performance.now() - started;
  if (!reply.json.ok) throw new Error(`tasks/run failed: ${reply.json.error}`);
  const cpu1 = childCpuS(pid);
  const m = stop();
  const cpuS = cpu0 === null || cpu1 === null ? null : cpu1 - cpu0;
  // The meter's "others" counts the child as another process: take its share back out.
  const othersCores = m.othersCores === null || cpuS === null ? m.othersCores : Math.max(0, m.othersCores - cpuS / m.wallS);
  return { ms, cpuS, othersCores, round: Boolean(reply.json.value?.round) };
}

const describe = (xs: Timed[]): string => {
  if (xs.length === 0) return '—';
  const cpu = xs.every((x) => x.cpuS !== null) ? `, ${median(xs.map((x) => x.cpuS!)).toFixed(2)} CPU-s` : '';
  const others = xs.every((x) => x.othersCores !== null) ? `; others ${median(xs.map((x) => x.othersCores!)).toFixed(1)} cores` : '';
  return `${median(xs.map((x) => x.ms)).toFixed(0)} ms${cpu} (median of ${xs.length}${others})`;
};

/** `tinyarms serve` with `model` as its model: tasks, then an A/B test started elsewhere; latency, CPU and RSS. */
export async function modelTasks(model: BenchModel, dataDir: string): Promise<[string, string][]> {
  fs.writeFileSync(
    path.join(dataDir, 'config.yaml'),
    `prompt_evolution:\n  smollm2:\n    model_path: ${JSON.stringify(model.path)}\n  ab_testing:\n    show_probability: 0.5\n` +
      `    votes_required: 500\n    min_votes: 400\n    boundary_from_vote: 400\n    max_duration_days: 365\nwatch:\n  enabled: false\n`,
  );
  const served = await startServe(path.join(APP_ROOT, 'bin', 'tinyarms.mjs'), dataDir);
  try {
    const pid = served.child.pid!;
    const idle = await idleRss(served);
    const load = await task(served, 'audio-actions', 'Call the printer people about the jam, and send Ana the slides by Friday.');
    const shipped: Timed[] = [];
    for (const input of inputs.slice(0, 8)) shipped.push(await task(served, 'file-naming', input));

    const other = Engine.open({ dataDir });
    try {
      other.sessions.create({ skill: 'file-naming', variants: demoVariants.map((prompt) => ({ prompt })), reason: 'manual' });
    } finally {
      other.close();
    }
    await sleep(2500); // the server's state feed looks every 2 s, then pins the arms (evaluated in the background)
    const ab: Timed[] = [];
    for (const input of inputs.slice(20, 44)) ab.push(await task(served, 'file-naming', input, true));
    const arms = ab.filter((t) => !t.round);
    const rounds = ab.filter((t) => t.round);
    const ratio = arms.length && rounds.length ? (median(rounds.map((t) => t.ms)) / median(arms.map((t) => t.ms))).toFixed(2) : '—';
    const rss = `${mb(statusMb(pid, 'VmRSS'))} / ${mb(statusMb(pid, 'VmHWM'))}`;
    const warmRatio = (median(shipped.slice(1).map((t) => t.ms)) / shipped[0].ms).toFixed(2);
    return [
      [`${model.label}: idle RSS before the model loads (target ≤ ${IDLE_TARGET_MB} MB)`, mb(idle)],
      [`${model.label}: first task (audio-actions; loads the model)`, describe([load])],
      [`${model.label}: file-naming, shipped prompt, first task (prefix cold)`, describe(shipped.slice(0, 1))],
      [`${model.label}: file-naming, shipped prompt, next tasks (prefix warm)`, `${describe(shipped.slice(1))}; ${warmRatio}× cold`],
      [`${model.label}: A/B test started by another process: one arm (warm)`, describe(arms)],
      [`${model.label}: A/B vote rounds, 3 arms on one input`, `${describe(rounds)}; ${ratio}× one arm`],
      [`${model.label}: RSS after the tasks / peak (target ≤ ${LOADED_TARGET_MB} MB)`, rss],
    ];
  } finally {
    await served.stop();
  }
}
