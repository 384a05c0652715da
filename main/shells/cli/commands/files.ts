import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  UserError,
  isUserError,
  startFileWatch,
  type Engine,
  type FileProposals,
  type ProposalDecision as Decision,
  type Proposal,
  type RenameRow,
  type UndoResult,
} from '../../../engine';
import { proposalDecisionView, renameView, undoView } from '../../json-views';
import { withExamples } from '../help';
import type { CliContext } from '../index';
import { complain, emit, minute, untilStopped, type CliIo } from '../output';
import { parsePositiveInt } from './parse';

export function renderProposal(p: Proposal): string[] {
  const head = p.kind === 'vote' ? `${p.id}  ${p.name}  (vote: pick one)` : `${p.id}  ${p.name} → ${p.proposed ?? '(no usable name)'}`;
  const lines = [head];
  if (p.kind === 'vote') lines.push(...p.options.map((o) => `    [${o.label}] ${o.text}`));
  if (p.status !== 'pending') lines.push(`    ${p.status}${p.finalName ? ` → ${p.finalName}` : ''}`);
  if (p.note) lines.push(`    note: ${p.note}`);
  if (p.status === 'pending') {
    const accept = p.kind === 'vote' ? `accept ${p.id} --option <${p.options.map((o) => o.label).join('|')}>` : `accept ${p.id}`;
    lines.push(`    tinyarms files ${accept} | edit ${p.id} "<name>" | skip ${p.id} | dismiss ${p.id}`);
  }
  return lines;
}

function renderDecision(d: Decision): string[] {
  const p = d.proposal;
  const lines: string[] = [];
  if (p.status === 'renamed') {
    lines.push(
      p.finalName === p.name
        ? `Kept ${p.name} (${p.outcome ?? 'no feedback'})`
        : `Renamed ${p.name} → ${p.finalName}${p.outcome ? ` (${p.outcome})` : ''}`,
    );
  } else if (p.status === 'stale') lines.push(`Left ${p.name} alone`);
  else if (p.status === 'skipped') lines.push(`Skipped ${p.name}; no feedback recorded`);
  else lines.push(`Dismissed ${p.name}${p.outcome ? ` (${p.outcome})` : ''}`);
  lines.push(...d.notes.map((n) => `  ${n}`));
  if (d.rename) lines.push(`  Undo: tinyarms undo --id ${d.rename.id}`);
  return lines;
}

const renderRename = (r: RenameRow): string =>
  `${r.id}  ${minute(r.at)}  ${r.from_name} → ${r.to_name}${r.undone_at ? '  (undone)' : ''}  in ${r.folder}`;

const emitDecision = (io: CliIo, d: Decision): void => emit(io, proposalDecisionView(d), () => renderDecision(d));

const renderUndo = (results: UndoResult[]): string[] => (results.length ? results.map((r) => r.note) : ['Nothing to undo.']);

async function withNamer<T>(engine: Engine, fn: (proposals: FileProposals) => Promise<T>): Promise<T> {
  if (!engine.skillRunner()) throw engine.models.missingError();
  const proposals = engine.fileProposals({ source: 'cli' });
  try {
    return await fn(proposals);
  } finally {
    await proposals.close();
  }
}

function watchUntilInterrupted(engine: Engine, io: CliIo, folders: string[], settleMs?: number): Promise<void> {
  // Checked before the model opens: folders named on the command line must be there.
  if (folders.length > 0 && !folders.some((f) => fs.existsSync(f) && fs.statSync(f).isDirectory())) {
    throw new UserError(`nothing to watch: ${folders.join(', ')} ${folders.length > 1 ? 'are not folders' : 'is not a folder'}`, {
      exitCode: 2,
      code: 'nothing_to_watch',
    });
  }
  return withNamer(engine, async (proposals) => {
    proposals.onChange((event) => {
      if (io.json) return io.out(JSON.stringify(event));
      if (event.type === 'added') renderProposal(event.proposal).forEach((line) => io.out(line));
      if (event.type === 'error') complain(io, `${path.basename(event.path)}: ${event.message}`);
    });
    const watch = await startFileWatch(engine.ctx.config.config.watch, proposals, {
      folders: folders.length ? folders : undefined,
      settleMs,
      onError: (e) => complain(io, `watcher: ${e.message}`),
    });
    for (const s of watch.skipped) complain(io, `not watching ${s.folder}: ${s.reason}`);
    if (watch.folders.length === 0) {
      await watch.close();
      throw new UserError(
        `nothing to watch: ${folders.length ? 'none of the folders given can be watched' : 'set watch.folders in config.yaml or name folders: tinyarms files watch ~/Desktop'}`,
        { exitCode: 2, code: 'nothing_to_watch' },
      );
    }
    if (!io.json) io.out(`Watching ${watch.folders.join(', ')} for new files (Ctrl-C to stop)`);
    await untilStopped();
    await watch.close();
  });
}

export function registerFilesCommands(program: Command, ctx: CliContext): void {
  const files = program.command('files').description('proposed names for new files in watched folders: watch, list, accept, edit, skip');
  const service = (engine: Engine) => engine.fileProposals({ source: 'cli' });

  files
    .command('watch')
    .argument('[folders...]', 'folders to watch (default: watch.folders, or the screenshots folder)')
    .option('--settle-ms <ms>', 'how long a new file must keep its size (default: watch.settle_ms)')
    .option('--model <path>', 'GGUF model file (default: prompt_evolution.smollm2.model_path, then the data folder)')
    .description('watch folders and propose a name for every new file until interrupted')
    .action((folders: string[], o: { settleMs?: string }, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) =>
        watchUntilInterrupted(
          engine,
          io,
          folders.map((f) => path.resolve(f)),
          o.settleMs ? parsePositiveInt(o.settleMs, '--settle-ms') : undefined,
        ),
      ),
    );

  files
    .command('propose')
    .argument('<files...>')
    .option('--model <path>', 'GGUF model file (default: prompt_evolution.smollm2.model_path, then the data folder)')
    .description('propose names for these files now')
    .action((paths: string[], _o, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) =>
        withNamer(engine, async (proposals) => {
          const made: Proposal[] = [];
          for (const file of paths) {
            try {
              const proposal = await proposals.propose(file);
              if (proposal) made.push(proposal);
              else complain(io, `${file} was renamed by tinyArms; not proposing it again`);
            } catch (error) {
              if (!isUserError(error) || paths.length === 1) throw error;
              complain(io, error.message);
            }
          }
          emit(io, made, (ps) => ps.flatMap(renderProposal));
        }),
      ),
    );

  files
    .command('list')
    .description('proposals waiting for a decision')
    .action((_o, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) =>
        emit(io, service(engine).list(), (ps) => (ps.length ? ps.flatMap(renderProposal) : 'No proposals waiting.')),
      ),
    );

  files
    .command('history')
    .option('--limit <n>', 'how many', '20')
    .description('decided proposals, newest first')
    .action((o: { limit: string }, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) =>
        emit(io, service(engine).history(parsePositiveInt(o.limit, '--limit')), (ps) =>
          ps.length ? ps.flatMap(renderProposal) : 'No decided proposals.',
        ),
      ),
    );

  files
    .command('accept')
    .argument('<id>')
    .option('--option <label>', 'for a vote proposal: the option you pick')
    .description('rename the file to the proposed name (feedback: accepted)')
    .action((id: string, o: { option?: string }, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) => emitDecision(io, service(engine).accept(id, { option: o.option }))),
    );

  files
    .command('edit')
    .argument('<id>')
    .argument('<name>', 'your name for the file (the extension is kept)')
    .option('--option <label>', 'for a vote proposal: the option you started from (without it the vote is "none is good")')
    .description('rename the file to your own name (feedback: edited)')
    .action((id: string, name: string, o: { option?: string }, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) => emitDecision(io, service(engine).edit(id, name, { option: o.option }))),
    );

  files
    .command('skip')
    .argument('<id>')
    .description('leave the file as it is; no feedback is recorded')
    .action((id: string, _o, cmd: Command) => ctx.withEngine(cmd, (engine, io) => emitDecision(io, service(engine).skip(id))));

  files
    .command('dismiss')
    .argument('<id>')
    .description('leave the file as it is and record the proposal as wrong (feedback: rejected)')
    .action((id: string, _o, cmd: Command) => ctx.withEngine(cmd, (engine, io) => emitDecision(io, service(engine).dismiss(id))));

  files
    .command('log')
    .option('--limit <n>', 'how many', '20')
    .description('renames tinyArms made, newest first')
    .action((o: { limit: string }, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) => {
        const rows = service(engine).renames.recent({ limit: parsePositiveInt(o.limit, '--limit'), includeUndone: true });
        emit(io, rows.map(renameView), () => (rows.length ? rows.map(renderRename) : 'No renames yet.'));
      }),
    );

  program
    .command('undo')
    .option('--last <n>', 'undo the last n renames', '1')
    .option('--id <rename-id>', 'undo one rename (see tinyarms files log)')
    .description('put renamed files back under their old names (never overwrites)')
    .action((o: { last: string; id?: string }, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) => {
        const proposals = service(engine);
        const results = o.id ? [proposals.undo(o.id)] : proposals.undoLast(parsePositiveInt(o.last, '--last'));
        // A rename that could not be put back is a failure (exit 1); one already put back is not.
        const refused = results.filter((r) => !r.undone && !r.rename.undone_at);
        const failure = () => new UserError(refused.map((r) => r.note.replace(/^Cannot undo:? /, '')).join('; '), { code: 'undo_refused' });
        if (refused.length > 0 && io.json) throw failure();
        emit(io, results.map(undoView), () => renderUndo(results));
        if (refused.length > 0) throw failure();
      }),
    );

  const examples: Record<string, string[]> = {
    watch: ['tinyarms files watch', 'tinyarms files watch ~/Desktop ~/Downloads --settle-ms 2000'],
    propose: ['tinyarms files propose ~/Desktop/Screenshot.png'],
    list: ['tinyarms files list'],
    history: ['tinyarms files history --limit 5'],
    accept: ['tinyarms files accept fp_ab12', 'tinyarms files accept fp_ab12 --option 2'],
    edit: ['tinyarms files edit fp_ab12 "golden-gate-sunset"'],
    skip: ['tinyarms files skip fp_ab12'],
    dismiss: ['tinyarms files dismiss fp_ab12'],
    log: ['tinyarms files log --limit 5'],
  };
  for (const command of files.commands) withExamples(command, examples[command.name()] ?? []);
  withExamples(program.commands.find((c) => c.name() === 'undo')!, [
    'tinyarms undo',
    'tinyarms undo --last 3',
    'tinyarms undo --id ren_ab12',
  ]);
}
