// A warm actor process: it loads the CLI and the engine once (tsx compiles them), then waits for jobs from the
// harness. A job names a barrier time; the worker sleeps until then and acts, so several processes start the same
// operation in the same millisecond instead of a second apart. CLI jobs run `runCli` exactly as bin/tinyarms.mjs
// does (a fresh Engine.open per command); engine jobs hold one Engine open across their calls, as the app does.
import { Engine } from '../../main/engine/engine';
import { isUserError } from '../../main/engine/util/errors';
import { runCli } from '../../main/shells/cli/index';
import type { CliIo } from '../../main/shells/cli/output';
import type { CallResult } from './calls';
import type { CliJob, EngineJob, EngineOp, Job, WorkerMessage } from './protocol';

const send = (message: WorkerMessage): void => {
  process.send!(message);
};

async function untilBarrier(at: number): Promise<void> {
  const early = at - Date.now() - 4;
  if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
  while (Date.now() < at) {
    // Spin the last few milliseconds: timers are too coarse for "the same millisecond".
  }
}

type Report = (result: CallResult) => void;

async function runCliJob(job: CliJob, report: Report): Promise<void> {
  for (const args of job.commands) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), json: true, color: { out: false, err: false } };
    const label = `cli ${args.join(' ')}`;
    try {
      const code = await runCli(['--data-dir', job.dataDir, '--json', ...args], { io });
      const text = out.join('\n');
      let value: unknown;
      try {
        value = text ? JSON.parse(text) : undefined;
      } catch {
        value = text;
      }
      // Under --json a failure is {"error": {code, message}} on stdout; anything else on stderr is what the user saw
      // besides it, and more than one line is not "one plain line".
      const failure =
        code !== 0 && value && typeof value === 'object' && 'error' in value ? (value as { error: { message: string } }).error : null;
      const stderr = err.filter((line) => !/^(tinyarms: )?warning: /.test(line));
      const message = [...(failure ? [`tinyarms: ${failure.message}`] : []), ...stderr].join('\n');
      const internal = code !== 0 && (/internal error/.test(message) || (code !== 1 && code !== 2));
      report({ via: 'cli', label, ok: code === 0, message, code, internal, value: code === 0 ? value : undefined });
    } catch (error) {
      // runCli never throws for user errors; a throw is a crash of the command.
      report({ via: 'cli', label, ok: false, message: String((error as Error)?.stack ?? error), code: null, internal: true });
    }
  }
}

/** Runs fn as one engine call; a UserError is a refusal, anything else an internal failure. */
function call(label: string, fn: () => unknown): CallResult {
  try {
    const value = fn();
    return { via: 'engine', label, ok: true, message: '', code: 0, internal: false, value: plain(value) };
  } catch (error) {
    if (isUserError(error)) return { via: 'engine', label, ok: false, message: error.message, code: error.exitCode, internal: false };
    const message = `internal error: ${(error as Error)?.message ?? String(error)}`;
    return { via: 'engine', label, ok: false, message, code: null, internal: true };
  }
}

const plain = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(value)));

/** Each call's result is reported as soon as it is known, so a process killed mid-job still tells what it finished. */
function runOp(engine: Engine, op: EngineOp, report: Report): void {
  const each = <T>(items: T[], fn: (item: T) => CallResult) => items.forEach((item) => report(fn(item)));
  switch (op.op) {
    case 'open':
      return report(call('engine open + stats', () => engine.allStats().map((s) => s.version)));
    case 'vote':
      return each(op.votes, (v) =>
        call(`engine vote ${v.taskId} ${v.choice}`, () => {
          const outcome = engine.vote(v.taskId, v.choice);
          return { duplicate: outcome.duplicate, status: outcome.round.status, picked: outcome.round.picked };
        }),
      );
    case 'feedback':
      return each(op.items, (f) =>
        call(`engine feedback ${f.taskId} ${f.outcome}`, () => engine.feedback(f.taskId, { outcome: f.outcome, finalOutput: f.final })),
      );
    case 'record':
      return each(op.tasks, (t) =>
        call(`engine record ${t.id}`, () =>
          engine.recordTask(
            { skill: t.skill, input: t.input, output: t.output, id: t.id, variant: t.variant, source: 'engine' },
            t.outcome ? { outcome: t.outcome, finalOutput: t.final } : undefined,
          ),
        ),
      );
    case 'promote':
      return report(call(`engine promote ${op.skill} ${op.letter}`, () => engine.promoteByHand(op.skill, op.letter).change));
    case 'rollback':
      return report(call(`engine rollback ${op.skill}${op.to ? ` --to ${op.to}` : ''}`, () => engine.rollback(op.skill, op.to)));
    case 'config':
      return each(op.sets, (s) =>
        call(`engine config set ${s.path.join('.')}=${JSON.stringify(s.value)}`, () => engine.ctx.config.set(s.path, s.value)),
      );
    case 'proposal': {
      const proposals = engine.fileProposals({ source: 'engine' });
      return each(op.decisions, (d) =>
        call(`engine ${d.action} ${d.id}`, () =>
          d.action === 'accept' ? proposals.accept(d.id) : proposals.edit(d.id, d.name ?? 'edited-name'),
        ),
      );
    }
  }
}

function runEngineJob(job: EngineJob, report: Report): void {
  let engine: Engine;
  try {
    engine = Engine.open({ dataDir: job.dataDir });
  } catch (error) {
    const user = isUserError(error);
    const message = user ? error.message : `internal error: ${(error as Error)?.message ?? String(error)}`;
    const label = `engine open (${job.op.op})`;
    return report({ via: 'engine', label, ok: false, message, code: user ? error.exitCode : null, internal: !user });
  }
  try {
    runOp(engine, job.op, report);
  } finally {
    engine.close();
  }
}

async function runJob(job: Job): Promise<void> {
  for (const [key, value] of Object.entries(job.env ?? {})) process.env[key] = value;
  await untilBarrier(job.at);
  const report: Report = (result) => send({ type: 'call', id: job.id, result });
  try {
    if (job.kind === 'cli') await runCliJob(job, report);
    else runEngineJob(job, report);
    send({ type: 'done', id: job.id });
  } finally {
    for (const key of Object.keys(job.env ?? {})) delete process.env[key];
  }
}

process.on('message', (job: Job) => {
  void runJob(job);
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', pid: process.pid });
