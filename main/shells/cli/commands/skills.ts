import type { Command } from 'commander';
import { withExamples } from '../help';
import type { CliContext } from '../index';
import { emit, pct, tone } from '../output';
import { skillStatus } from '../status';

export function registerSkillsCommand(program: Command, ctx: CliContext): void {
  withExamples(
    program
      .command('skills')
      .description('list the skills with their state, accuracy and prompt version')
      .action((_o, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          const rows = engine.allStats().map((s) => {
            const status = skillStatus(engine, s);
            return {
              skill: s.skill,
              description: s.description,
              evolvable: s.evolvable,
              version: s.version,
              state: status.state,
              kind: status.kind,
              accuracy: s.accuracy.accuracy,
              samples: s.accuracy.samples,
              needsReview: status.review !== null,
            };
          });
          emit(io, rows, (rs) => {
            const width = Math.max(5, ...rs.map((r) => r.skill.length));
            return [
              `${'SKILL'.padEnd(width)}  ${'ACCURACY'.padEnd(14)}  ${'VERSION'.padEnd(7)}  STATE`,
              ...rs.map((r) => {
                const accuracy = r.samples ? `${pct(r.accuracy)} of ${r.samples}` : 'no tasks yet';
                const warn = r.kind === 'needs-prompt' || r.kind === 'rolled-back';
                const state = warn ? tone(io, 'yellow', r.state) : r.state;
                const review = r.needsReview ? '  (flagged for review)' : '';
                return `${r.skill.padEnd(width)}  ${accuracy.padEnd(14)}  ${`v${r.version}`.padEnd(7)}  ${state}${review}`;
              }),
            ];
          });
        }),
      ),
    ['tinyarms skills', 'tinyarms --json skills'],
  );
}
