import type { Command } from 'commander';
import { UserError, type GoldExample } from '../../../engine';
import { goldView, resetView } from '../../json-views';
import { withExamples } from '../help';
import type { CliContext } from '../index';
import { emit, tone } from '../output';

/** Gold examples (pin, unpin, list) and the reset to the default prompt: `tinyarms prompt …` (issue 15 §2). */
export function registerGoldCommands(prompt: Command, ctx: CliContext): void {
  withExamples(
    prompt
      .command('pin')
      .argument('<task-id>', 'a task with feedback (see `tinyarms task list`)')
      .description('pin a task as a gold example: every evolution must keep getting it right')
      .action((taskId: string, _o, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          const { pin, already } = engine.gold.pin(taskId);
          emit(io, { pinned: goldView(pin), already }, () =>
            already
              ? `Task ${taskId} was already pinned for ${pin.skill}.`
              : `Pinned task ${taskId} for ${pin.skill}: ${oneLine(pin.input)} → ${oneLine(pin.expected)}`,
          );
        }),
      ),
    ['tinyarms prompt pin task_3f9a1c2b7d01'],
  );

  withExamples(
    prompt
      .command('unpin')
      .argument('<task-id>')
      .description('remove a pinned gold example')
      .action((taskId: string, _o, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          const pin = engine.gold.unpin(taskId);
          emit(io, { unpinned: goldView(pin) }, () => `Unpinned task ${taskId} (${pin.skill}).`);
        }),
      ),
    ['tinyarms prompt unpin task_3f9a1c2b7d01'],
  );

  withExamples(
    prompt
      .command('gold')
      .argument('<skill>')
      .description('the gold examples every evaluation of a skill includes: shipped ones and the ones you pinned')
      .action((skill: string, _o, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          const list = engine.gold.list(skill);
          const share = engine.ctx.config.config.prompt_evolution.gold.share;
          emit(io, { skill, share, shipped: list.shipped.map(goldView), pinned: list.pinned.map(goldView) }, () => [
            `Gold examples for ${skill} (${Math.round(share * 100)}% of every evaluation set; prompt_evolution.gold.share):`,
            `Pinned by you (${list.pinned.length}):`,
            ...(list.pinned.length ? list.pinned.map(line) : ['  none yet: tinyarms prompt pin <task-id>']),
            `Shipped (${list.shipped.length}):`,
            ...list.shipped.map(line),
          ]);
        }),
      ),
    ['tinyarms prompt gold file-naming', 'tinyarms --json prompt gold file-naming'],
  );

  withExamples(
    prompt
      .command('reset')
      .argument('<skill>')
      .option('--yes', 'reset without asking')
      .description('go back to the shipped default prompt (a recorded rollback to version 1; every version is kept)')
      .action((skill: string, options: { yes?: boolean }, cmd: Command) =>
        ctx.withEngine(cmd, async (engine, io) => {
          const active = engine.prompts.active(skill);
          if (!options.yes && io.confirm && active.version !== 1) {
            const question = `Reset ${skill} from version ${active.version} to its default prompt (version 1)? Every version is kept.`;
            const go = await io.confirm(question);
            if (!go) throw new UserError(`reset not made: ${skill} still runs version ${active.version}`, { code: 'declined' });
          }
          const result = engine.resetToDefault(skill);
          emit(io, resetView(result), () => [
            tone(io, 'green', `Reset ${skill}: version ${result.change.fromVersion} → 1 (the default prompt)`),
            `Undo: ${result.undo}`,
          ]);
        }),
      ),
    ['tinyarms prompt reset file-naming', 'tinyarms prompt reset file-naming --yes'],
  );
}

const oneLine = (text: string, max = 70): string => {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const line = (g: GoldExample): string =>
  `  ${g.source === 'pinned' ? g.id : g.id.split(':').pop()}  ${oneLine(g.input, 60)} → ${oneLine(g.expected, 50)}`;
