import type { Command } from 'commander';
import { runDemo } from '../../demo/demo';
import type { CliContext } from '../index';

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .option('--seed <seed>', 'seed of the simulated user', '42')
    .description('the whole loop on simulated weeks, in a fresh data folder (yours is never touched)')
    .action(async (o: { seed: string }, cmd: Command) => {
      const io = ctx.io();
      const globals = cmd.optsWithGlobals() as { dataDir?: string };
      const summary = await runDemo({ dataDir: globals.dataDir, seed: o.seed, log: io.json ? () => {} : io.out });
      if (io.json) io.out(JSON.stringify(summary, null, 2));
    });
}
