import type { Command } from 'commander';
import { isUserError, type CheckResult, type Engine, type MonitorRun, type SessionRow } from '../../../engine';
import { monitorView } from '../../json-views';
import { withExamples } from '../help';
import type { CliContext } from '../index';
import { emit, minute, pct, type CliIo } from '../output';
import { parsePositiveInt } from './parse';

const renderChecks = (checks: CheckResult[]): string[] =>
  checks.map((c) => `${c.skill.padEnd(18)} ${c.verdict.replace(/_/g, ' ').padEnd(15)} ${c.reason}`);

export function renderMonitorRun(run: MonitorRun, withChecks = true): string[] {
  return [
    ...run.concluded.map((c) => `${c.session.skill}: A/B session ${c.session.id} ended — ${c.decision.reason}. ${c.explanation}`),
    ...(withChecks ? renderChecks(run.checks) : []),
    ...run.started.map((s) => `${s.skill}: started A/B session ${s.id}`),
    ...run.pending.map((p) => `${p.skill}: evolution triggered, not started — ${p.reason}`),
  ];
}

/** Starts the triggered evolutions `monitor run` was allowed to start, each checked before its model loads. */
type Evolved = Pick<MonitorRun, 'started' | 'pending'>;

async function evolveTriggered(engine: Engine, io: CliIo, skills: string[]): Promise<Evolved> {
  const started: SessionRow[] = [];
  const pending: Evolved['pending'] = [];
  const { preflightEvolution, withEvolution } = await import('./evolution-cli');
  for (const skill of skills) {
    try {
      await preflightEvolution(engine, skill);
      await withEvolution(engine, io, { yes: true }, async () => {
        started.push(await engine.evolve(skill, { reason: 'accuracy_drop' }));
      });
    } catch (error) {
      if (!isUserError(error)) throw error;
      pending.push({ skill, reason: error.message });
    }
  }
  return { started, pending };
}

export function registerMonitorCommands(program: Command, ctx: CliContext): void {
  const monitor = program.command('monitor').description('the accuracy monitor: check skills now, past verdicts');

  withExamples(
    monitor
      .command('run')
      .option('--skill <name>', 'check one skill only')
      .option('--evolve', 'start the evolutions a check triggers, without asking')
      .option('--no-evolve', 'only check and report (for scripts and cron)')
      .description('check every skill now (the scheduler does this every 24 h); asks before starting a triggered evolution')
      .action((o: { skill?: string; evolve?: boolean }, cmd: Command) =>
        ctx.withEngine(cmd, async (engine, io) => {
          // Check first, evolve only when allowed: the verdicts are printed either way.
          const run = await engine.runMonitor({ skill: o.skill, startEvolutions: false });
          const triggered = run.checks.filter((c) => c.verdict === 'triggered').map((c) => c.skill);
          const checkedOnly = { ...run, pending: run.pending.filter((p) => !triggered.includes(p.skill)) };
          if (!io.json) renderMonitorRun(checkedOnly).forEach((line) => io.out(line));
          const { decideEvolve } = await import('./evolution-cli');
          const decision = await decideEvolve(io, o.evolve, triggered);
          const evolved = decision.evolve
            ? await evolveTriggered(engine, io, triggered)
            : { started: [], pending: triggered.map((skill) => ({ skill, reason: `not started (${decision.reason})` })) };
          const result: MonitorRun = { ...checkedOnly, started: evolved.started, pending: [...checkedOnly.pending, ...evolved.pending] };
          emit(io, monitorView(result, decision), () => renderMonitorRun({ checks: [], concluded: [], ...evolved }, false));
        }),
      ),
    ['tinyarms monitor run', 'tinyarms monitor run --skill file-naming --no-evolve', 'tinyarms monitor run --evolve'],
  );

  withExamples(
    monitor
      .command('history')
      .argument('[skill]')
      .option('--limit <n>', 'how many checks', '20')
      .description('recent verdicts and their reasons')
      .action((skill: string | undefined, o: { limit: string }, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          if (skill) engine.ctx.skills.get(skill);
          const rows = engine.monitor.lastChecks(skill, parsePositiveInt(o.limit, '--limit'));
          emit(io, rows, (rs) =>
            rs.length
              ? rs.map(
                  (r) =>
                    `${minute(r.checkedAt)}  ${r.skill.padEnd(18)} ${r.verdict.padEnd(15)} ${pct(r.accuracy)} (${r.samples})  ${r.reason}`,
                )
              : 'No checks yet.',
          );
        }),
      ),
    ['tinyarms monitor history', 'tinyarms monitor history file-naming --limit 5'],
  );
}
