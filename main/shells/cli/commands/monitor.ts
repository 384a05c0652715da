import type { Command } from 'commander';
import type { MonitorRun } from '../../../engine/engine';
import type { CliContext } from '../index';
import { emit, minute, pct } from '../output';
import { withOptionalEvolution } from './evolution-cli';

export function renderMonitorRun(run: MonitorRun): string[] {
  return [
    ...run.concluded.map((c) => `${c.session.skill}: A/B session ${c.session.id} ended — ${c.decision.reason}. ${c.explanation}`),
    ...run.checks.map((c) => `${c.skill.padEnd(18)} ${c.verdict.replace(/_/g, ' ').padEnd(15)} ${c.reason}`),
    ...run.started.map((s) => `${s.skill}: started A/B session ${s.id}`),
    ...run.pending.map((p) => `${p.skill}: evolution triggered, not started — ${p.reason}`),
  ];
}

export function registerMonitorCommands(program: Command, ctx: CliContext): void {
  const monitor = program.command('monitor').description('the accuracy monitor');

  monitor
    .command('run')
    .option('--skill <name>', 'check one skill only')
    .description('check every skill now (the scheduler does this every 24 h)')
    .action((o: { skill?: string }, cmd: Command) =>
      ctx.withEngine(cmd, async (engine, io) => emit(io, await withOptionalEvolution(engine, io, () => engine.runMonitor({ skill: o.skill })), renderMonitorRun)),
    );

  monitor
    .command('history')
    .argument('[skill]')
    .option('--limit <n>', 'how many checks', '20')
    .description('recent verdicts and their reasons')
    .action((skill: string | undefined, o: { limit: string }, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) => {
        if (skill) engine.ctx.skills.get(skill);
        const rows = engine.monitor.lastChecks(skill, Math.max(1, Number(o.limit) || 20));
        emit(io, rows, (rs) => rs.map((r) => `${minute(r.checkedAt)}  ${r.skill.padEnd(18)} ${r.verdict.padEnd(15)} ${pct(r.accuracy)} (${r.samples})  ${r.reason}`));
      }),
    );
}
