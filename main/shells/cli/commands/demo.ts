import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { checkGgufFile, resolveModel } from '../../../engine';
import { withExamples } from '../help';
import type { CliContext } from '../index';

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  const demo = program
    .command('demo')
    .option('--seed <seed>', 'seed of the simulated user', '42')
    .option('--model <path>', "GGUF model: run a real (small) PromptBreeder evolution instead of the design's variants")
    .description('the whole loop on about four simulated weeks ending today, in a fresh data folder (yours is never touched)')
    .action(async (o: { seed: string; model?: string }, cmd: Command) => {
      const io = ctx.io();
      const globals = cmd.optsWithGlobals() as { dataDir?: string };
      if (o.model) {
        // Checked before the simulated weeks start: the evolution in step 3 would otherwise fail half-way.
        // A scratch folder for the hash cache: the demo's folder must stay empty and the user's is never touched.
        const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-demo-check-'));
        try {
          await checkGgufFile((await resolveModel({ modelPath: o.model, dataDir: scratch })).path);
        } finally {
          fs.rmSync(scratch, { recursive: true, force: true });
        }
      }
      const { runDemo } = await import('../../../demo/demo');
      const summary = await runDemo({ dataDir: globals.dataDir, seed: o.seed, modelPath: o.model, log: io.json ? () => {} : io.out });
      if (io.json) io.out(JSON.stringify(summary, null, 2));
    });
  withExamples(demo, ['tinyarms demo', 'tinyarms demo --model ../shared/models/stories260K.gguf', 'tinyarms --json demo']);
}
