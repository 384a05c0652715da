import type { Command } from 'commander';
import { runDemo } from '../../../demo/demo';
import type { CliContext } from '../index';

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .option('--seed <seed>', 'seed of the simulated user', '42')
    .option('--model <path>', 'GGUF model: run a real (small) PromptBreeder evolution instead of the design\'s variants')
    .description('the whole loop on simulated weeks, in a fresh data folder (yours is never touched)')
    .action(async (o: { seed: string; model?: string }, cmd: Command) => {
      const io = ctx.io();
      const globals = cmd.optsWithGlobals() as { dataDir?: string };
      const summary = await runDemo({ dataDir: globals.dataDir, seed: o.seed, modelPath: o.model, log: io.json ? () => {} : io.out });
      if (io.json) io.out(JSON.stringify(summary, null, 2));
    });
}
