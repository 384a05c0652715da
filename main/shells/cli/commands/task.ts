import type { Command } from 'commander';
import { OUTCOMES, UserError, describeFile, isOutcome, readFileFacts, usageError, type Outcome, type Served } from '../../../engine';
import { runTaskView, taskView } from '../../json-views';
import { withExamples } from '../help';
import type { CliContext } from '../index';
import { emit } from '../output';
import { renderRound } from './vote';

const parseOutcome = (value: string): Outcome => {
  if (!isOutcome(value)) throw usageError(`outcome must be one of ${OUTCOMES.join(', ')} (got '${value}')`);
  return value;
};

/** An accepted output is kept as it was, so a --final beside it would be dropped without a word: refuse it. */
const checkFinal = (outcome: Outcome | undefined, final: string | undefined): void => {
  if (final !== undefined && outcome !== 'edited' && outcome !== 'rejected') {
    throw usageError(
      `--final goes with edited (or rejected)${outcome ? `, not ${outcome}: an accepted output is kept as it was` : ': give --outcome edited'}`,
    );
  }
};

const parseTime = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw usageError(`--at must be a date and time like 2026-03-02T09:30:00Z (got '${value}')`);
  return time.toISOString();
};

export function registerTaskCommands(program: Command, ctx: CliContext): void {
  const task = program.command('task').description("record skill runs and the user's feedback");

  withExamples(
    task
      .command('record')
      .argument('<skill>')
      .requiredOption('--input <text>', 'what the skill was given (e.g. the file name)')
      .requiredOption('--output <text>', 'what the skill produced')
      .option('--outcome <outcome>', `the user's verdict: ${OUTCOMES.join(' | ')}`)
      .option('--final <text>', "the user's final output (required with edited)")
      .option('--variant <letter>', 'the A/B arm that served the task')
      .option('--task-id <id>', 'your own task id (default: generated)')
      .option('--source <name>', 'who ran the task', 'cli')
      .option('--at <time>', 'when the task ran (ISO 8601; default now)')
      .description('record one skill run, optionally with its outcome')
      .action(
        (
          skill: string,
          o: {
            input: string;
            output: string;
            outcome?: string;
            final?: string;
            variant?: string;
            taskId?: string;
            source: string;
            at?: string;
          },
          cmd: Command,
        ) =>
          ctx.withEngine(cmd, (engine, io) => {
            const outcome = o.outcome === undefined ? undefined : parseOutcome(o.outcome);
            checkFinal(outcome, o.final);
            const at = parseTime(o.at);
            const row = engine.recordTask(
              { skill, input: o.input, output: o.output, id: o.taskId, source: o.source, variant: o.variant, at },
              outcome ? { outcome, finalOutput: o.final, at } : undefined,
            );
            emit(
              io,
              taskView(row),
              (r) =>
                `Recorded task ${r.id} (${r.skill}${r.variantId ? `, A/B arm ${o.variant?.toUpperCase()}` : `, v${r.promptVersion}`})${r.outcome ? `: ${r.outcome}` : ''}`,
            );
          }),
      ),
    [
      'tinyarms task record file-naming --input IMG_4521.png --output beach.png --outcome accepted',
      'tinyarms task record file-naming --input IMG_4522.png --output image.png --outcome edited --final golden-gate.png',
    ],
  );

  withExamples(
    task
      .command('run')
      .argument('<skill>')
      .option('--input <text>', 'what the skill is given')
      .option('--file <path>', 'describe this file as the input (name, type, size, dates, image size, EXIF, first lines)')
      .option('--no-vote', 'always answer with one output, never an A/B vote round')
      .option('--task-id <id>', 'your own task id (default: generated)')
      .option('--model <path>', 'GGUF model file (default: prompt_evolution.smollm2.model_path, then the data folder)')
      .description('run a skill with its current prompt (or its A/B allocation) and record the task')
      .action((skill: string, o: { input?: string; file?: string; vote: boolean; taskId?: string }, cmd: Command) =>
        ctx.withEngine(cmd, async (engine, io) => {
          if ((o.input === undefined) === (o.file === undefined)) throw usageError('give the input with --input <text> or --file <path>');
          const input = o.file !== undefined ? describeInputFile(o.file) : o.input!;
          engine.ctx.skills.get(skill);
          if (!engine.skillRunner()) throw engine.models.missingError();
          const result = await engine.serveTask({ skill, input, source: 'cli', allowVote: o.vote, taskId: o.taskId });
          emit(io, runTaskView(result), () => renderRun(result));
        }),
      ),
    [
      'tinyarms task run file-naming --input "IMG_4521.jpg — JPEG photo, 4032×3024"',
      'tinyarms task run file-naming --file ~/Desktop/Screenshot.png --no-vote',
    ],
  );

  withExamples(
    task
      .command('feedback')
      .argument('<task-id>')
      .argument('<outcome>', OUTCOMES.join(' | '))
      .option('--final <text>', "the user's final output (required with edited)")
      .description("record the user's verdict on a task")
      .action((taskId: string, outcome: string, o: { final?: string }, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          const verdict = parseOutcome(outcome);
          checkFinal(verdict, o.final);
          const row = engine.feedback(taskId, { outcome: verdict, finalOutput: o.final });
          emit(io, taskView(row), (r) => `Task ${r.id}: ${r.outcome}${r.outcome === 'edited' ? ` → ${r.finalOutput}` : ''}`);
        }),
      ),
    ['tinyarms task feedback task_ab12 accepted', 'tinyarms task feedback task_ab12 edited --final "Adds the browser-mode section."'],
  );
}

function describeInputFile(file: string): string {
  try {
    return describeFile(readFileFacts(file));
  } catch (error) {
    throw new UserError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      exitCode: 2,
      code: 'bad_file',
    });
  }
}

function renderRun(result: Served): string[] {
  if (result.kind === 'vote') return renderRound(result.round);
  const served = result.variant ? `A/B arm ${result.variant}` : `v${result.promptVersion}`;
  return [
    `Task ${result.taskId} (${result.skill}, ${served}): ${result.output}`,
    `Feedback: tinyarms task feedback ${result.taskId} accepted | edited --final "<your version>" | rejected`,
  ];
}
