import type { Command } from 'commander';
import { usageError, type Engine, type VoteRound } from '../../../engine';
import { resultsView, voteView } from '../../json-views';
import { withExamples } from '../help';
import type { CliContext } from '../index';
import { bar, emit, pct, tone } from '../output';
import { collect, parsePairs } from './parse';
import { renderResults } from './prompt';

/** A round as the design's choice window shows it; `sessionStatus` says whether it can still take a vote. */
export function renderRound(round: VoteRound, sessionStatus: string = 'active'): string[] {
  const next =
    round.status !== 'open'
      ? `Answered: ${round.picked ? `option ${round.picked}` : round.status}`
      : sessionStatus === 'active'
        ? `Vote: tinyarms vote cast ${round.taskId} <${round.options.map((o) => o.label).join('|')}|none|skip>`
        : `Not answered; A/B session ${round.sessionId} is ${sessionStatus}, so it takes no more votes ` +
          `(see tinyarms prompt results ${round.sessionId})`;
  return [
    `tinyArms: ${round.skill} — help us improve (task ${round.taskId})`,
    `Input: ${round.input}`,
    ...round.options.map((o) => `  [${o.label}] ${o.output}\n      confidence ${pct(o.pBest).padStart(4)} ${bar(o.pBest)}`),
    `  [none] none is good   [skip] skip        Votes so far: ${round.votes}/${round.maxVotes}`,
    next,
  ];
}

const sessionStatusOf = (engine: Engine, round: VoteRound): string => engine.sessions.require(round.sessionId).status;

export function registerVoteCommands(program: Command, ctx: CliContext): void {
  const vote = program.command('vote').description('A/B vote rounds: list, show, open, cast');

  withExamples(
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
      ),
    ['tinyarms vote list', 'tinyarms vote list file-naming'],
  );

  withExamples(
    vote
      .command('show')
      .argument('<task-id>')
      .description('show a vote round with its confidence bars')
      .action((taskId: string, _o, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          const round = engine.sessions.round(taskId);
          const status = sessionStatusOf(engine, round);
          const open = round.status === 'open' && status === 'active';
          emit(io, { ...round, sessionStatus: status, open }, () => renderRound(round, status));
        }),
      ),
    ['tinyarms vote show task_ab12'],
  );

  withExamples(
    vote
      .command('open')
      .argument('<skill>')
      .requiredOption('--input <text>', 'the task shown to the user (e.g. the file name)')
      .option('--output <LETTER=text>', "an arm's output for this input (repeat for every arm)", collect)
      .option('--task-id <id>', 'your own task id (default: generated)')
      .description("open a vote round with every arm's output, shown in random order")
      .action((skill: string, o: { input: string; output?: string[]; taskId?: string }, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          const session = engine.sessions.active(skill);
          if (!session) throw usageError(`${skill} has no active A/B session`, 'no_session');
          const outputs = parsePairs(o.output, '--output');
          const round = engine.sessions.openRound(session.id, { taskId: o.taskId, input: o.input, outputs });
          emit(io, round, (r) => renderRound(r));
        }),
      ),
    ['tinyarms vote open file-naming --input IMG_1.png --output A=beach.png --output B=sunset.png --output C=beach-sunset.png'],
  );

  withExamples(
    vote
      .command('cast')
      .argument('<task-id>')
      .argument('<choice>', 'an option label (1, 2, 3), none, or skip')
      .description('answer a vote round; casting the same vote twice changes nothing')
      .action((taskId: string, choice: string, _o, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          const result = engine.vote(taskId, choice);
          const results = result.conclusion ? engine.sessions.results(result.round.sessionId) : result.results;
          emit(io, { ...voteView(result), results: resultsView(results) }, (r) => [
            r.duplicate
              ? `Vote on ${taskId} was already recorded; nothing changed.`
              : `Recorded: ${r.round.picked ? `option ${r.round.picked}` : r.round.status}.`,
            ...renderResults(results, io),
            ...(result.conclusion ? [tone(io, 'green', result.conclusion.explanation)] : []),
            ...(r.conclusionError ? [`The decision is ready but could not be applied: ${r.conclusionError}`] : []),
          ]);
        }),
      ),
    ['tinyarms vote cast task_ab12 2', 'tinyarms vote cast task_ab12 none'],
  );
}
