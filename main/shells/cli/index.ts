import { Command, CommanderError } from 'commander';
import { formatIssue } from '../../engine/config/config-store';
import { Engine, type EngineOptions } from '../../engine/engine';
import { isUserError } from '../../engine/util/errors';
import { registerDemoCommand } from './commands/demo';
import { registerFilesCommands } from './commands/files';
import { registerModelCommands } from './commands/model';
import { registerMonitorCommands } from './commands/monitor';
import { registerPromptCommands } from './commands/prompt';
import { registerServeCommand } from './commands/serve';
import { registerTaskCommands } from './commands/task';
import { registerVoteCommands } from './commands/vote';
import { processIo, type CliIo } from './output';

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

export interface CliContext {
  io: () => CliIo;
  /** The engine options this run was given (tests' stand-ins), for commands that open the engine themselves. */
  engineOptions: () => Omit<EngineOptions, 'dataDir'>;
  /** Opens the engine for the data folder the user chose, runs fn, always closes it. */
  withEngine<T>(command: Command, fn: (engine: Engine, io: CliIo) => Promise<T> | T): Promise<T>;
}

export interface RunCliOptions {
  io?: CliIo;
  /** How engines open (tests pass a stand-in skill runner or model); the data folder still comes from --data-dir. */
  engine?: Omit<EngineOptions, 'dataDir'>;
}

/** Runs the `tinyarms` command line; returns the exit code (0 ok, 1 failed, 2 bad usage). */
export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<number> {
  let io = options.io ?? processIo();
  const program = new Command('tinyarms')
    .description('tinyArms: local skills whose prompts evolve from your feedback')
    .option('--data-dir <path>', 'data folder (default: TINYARMS_HOME or the platform data folder)')
    .option('--json', 'print JSON for scripts')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
    });

  program.hook('preAction', (_parent, action) => {
    const globals = action.optsWithGlobals() as GlobalOptions;
    io = { ...io, json: Boolean(globals.json) };
  });

  const ctx: CliContext = {
    io: () => io,
    engineOptions: () => options.engine ?? {},
    async withEngine(command, fn) {
      const globals = command.optsWithGlobals() as GlobalOptions;
      // A command's own --model names the model file for this run only.
      const modelPath = (command.opts() as { model?: unknown }).model;
      const base = options.engine ?? {};
      const model = typeof modelPath === 'string' ? { ...base.model, modelPath } : base.model;
      const engine = Engine.open({ ...base, model, dataDir: globals.dataDir });
      try {
        for (const issue of engine.ctx.config.issues) io.err(`warning: ${formatIssue(issue)} (using the last good configuration)`);
        return await fn(engine, io);
      } finally {
        await engine.dispose();
      }
    },
  };

  registerPromptCommands(program, ctx);
  registerTaskCommands(program, ctx);
  registerVoteCommands(program, ctx);
  registerMonitorCommands(program, ctx);
  registerModelCommands(program, ctx);
  registerDemoCommand(program, ctx);
  registerFilesCommands(program, ctx);
  registerServeCommand(program, ctx);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" in commander's flow; they exit 0. The message was already printed.
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' ? 0 : 2;
    }
    if (isUserError(error)) {
      io.err(`tinyarms: ${error.message}`);
      return error.exitCode;
    }
    io.err(`tinyarms: internal error: ${(error as Error)?.message ?? String(error)}`);
    if (process.env.TINYARMS_DEBUG) io.err(String((error as Error)?.stack));
    return 1;
  }
}
