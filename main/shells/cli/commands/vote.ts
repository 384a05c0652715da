import type { Command } from 'commander';
import type { VoteRound } from '../../../engine/ab/session-types';
import { usageError } from '../../../engine/util/errors';
import type { CliContext } from '../index';
import { bar, emit, pct } from '../output';
import { collect, parsePairs } from './parse';
import { renderResults } from './prompt';

export function renderRound(round: VoteRound): string[] {
  return [
    `tinyArms: ${round.skill} — help us improve (task ${round.taskId})`,
    `Input: ${round.input}`,
    ...round.options.map((o) => `  [${o.label}] ${o.output}\n      confidence ${pct(o.pBest).padStart(4)} ${bar(o.pBest)}`),
    `  [none] none is good   [skip] skip        Votes so far: ${round.votes}/${round.maxVotes}`,
    round.status === 'open' ? `Vote: tinyarms vote cast ${round.taskId} <${round.options.map((o) => o.label).join('|')}|none|skip>` : `Answered: ${round.picked ? `option ${round.picked}` : round.status}`,
  ];
}

export function registerVoteCommands(program: Command, ctx: CliContext): void {
  const vote = program.command('vote').description('A/B vote rounds: open, show, cast');

  vote
    .command('list')
    .argument('[skill]')
    .description('vote rounds waiting for an answer')
    .action((skill: string | undefined, _o, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) => {
        if (skill) engine.ctx.skills.get(skill);
        const rounds = engine.sessions.openRounds(skill);
        emit(io, rounds, (rs) => (rs.length ? rs.map((r) => `${r.taskId}  ${r.skill}  ${r.input}`) : 'No votes waiting.'));
      }),
    );

  vote
    .command('show')
    .argument('<task-id>')
    .description('show a vote round')
    .action((taskId: string, _o, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) => emit(io, engine.sessions.round(taskId), renderRound)),
    );

  vote
    .command('open')
    .argument('<skill>')
    .requiredOption('--input <text>', 'the task shown to the user (e.g. the file name)')
    .option('--output <LETTER=text>', 'an arm\'s output for this input (repeat for every arm)', collect)
    .option('--task-id <id>', 'your own task id (default: generated)')
    .description('open a vote round with every arm\'s output, shown in random order')
    .action((skill: string, o: { input: string; output?: string[]; taskId?: string }, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) => {
        const session = engine.sessions.active(skill);
        if (!session) throw usageError(`${skill} has no active A/B session`, 'no_session');
        const round = engine.sessions.openRound(session.id, { taskId: o.taskId, input: o.input, outputs: parsePairs(o.output, '--output') });
        emit(io, round, renderRound);
      }),
    );

  vote
    .command('cast')
    .argument('<task-id>')
    .argument('<choice>', 'an option label (1, 2, 3), none, or skip')
    .description('answer a vote round; casting the same vote twice changes nothing')
    .action((taskId: string, choice: string, _o, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) => {
        const result = engine.vote(taskId, choice);
        emit(io, result, (r) => [
          r.duplicate ? `Vote on ${taskId} was already recorded; nothing changed.` : `Recorded: ${r.round.picked ? `option ${r.round.picked}` : r.round.status}.`,
          ...renderResults(r.conclusion ? engine.sessions.results(r.round.sessionId) : r.results),
          ...(r.conclusion ? [r.conclusion.explanation] : []),
          ...(r.conclusionError ? [`The decision is ready but could not be applied: ${r.conclusionError}`] : []),
        ]);
      }),
    );
}
