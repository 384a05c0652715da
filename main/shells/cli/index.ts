import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { APP_ROOT, Engine, formatIssue, resolveDataDir, type EngineOptions } from '../../engine';
import { badInput, describeFailure, EXIT } from './errors';
import { formatHelp, withExamples } from './help';
import { complain, guardPipes, processIo, type CliIo } from './output';

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
  /** The data folder the user chose (checked: a folder, or a path one can be made at). */
  dataDir(command: Command): string;
}

export interface RunCliOptions {
  io?: CliIo;
  /** How engines open (tests pass a stand-in skill runner or model); the data folder still comes from --data-dir. */
  engine?: Omit<EngineOptions, 'dataDir'>;
}

export const VERSION: string = JSON.parse(fs.readFileSync(path.join(APP_ROOT, 'package.json'), 'utf8')).version;

const beforeDashes = (argv: string[]): string[] => (argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv);

/** --json anywhere before `--` (also before commander has parsed anything, so usage errors come out as JSON too). */
const wantsJson = (argv: string[]): boolean => beforeDashes(argv).includes('--json');

/** The deepest command the words of argv name (`tinyarms prompt` → prompt), for "needs a command" errors. */
function namedCommand(program: Command, argv: string[]): Command {
  let command = program;
  for (const word of beforeDashes(argv)) {
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) command = sub;
  }
  return command;
}

function checkedDataDir(requested: string | undefined): string {
  const dir = resolveDataDir({ dataDir: requested });
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dir);
  } catch {
    /* a folder that does not exist yet is made on open */
  }
  if (stat && !stat.isDirectory()) {
    throw badInput(`the data folder ${dir} is a file, not a folder (--data-dir or TINYARMS_HOME)`, 'bad_data_dir');
  }
  return dir;
}

type Register = (program: Command, ctx: CliContext) => void;

/**
 * The command groups in help order, each loaded only when its words are on the command line (so `task record` never
 * parses the server, the file watcher or the evolution code); help and unknown commands load them all.
 */
const GROUPS: { names: string[]; load: () => Promise<Register> }[] = [
  { names: ['skills'], load: async () => (await import('./commands/skills')).registerSkillsCommand },
  { names: ['prompt'], load: async () => (await import('./commands/prompt')).registerPromptCommands },
  { names: ['task'], load: async () => (await import('./commands/task')).registerTaskCommands },
  { names: ['vote'], load: async () => (await import('./commands/vote')).registerVoteCommands },
  { names: ['monitor'], load: async () => (await import('./commands/monitor')).registerMonitorCommands },
  { names: ['model'], load: async () => (await import('./commands/model')).registerModelCommands },
  { names: ['team'], load: async () => (await import('./commands/team')).registerTeamCommands },
  { names: ['files', 'undo'], load: async () => (await import('./commands/files')).registerFilesCommands },
  { names: ['serve'], load: async () => (await import('./commands/serve')).registerServeCommand },
  { names: ['demo'], load: async () => (await import('./commands/demo')).registerDemoCommand },
];

/** The first word that is not an option or the global --data-dir's value: the command group asked for. */
function groupWord(argv: string[]): string | null {
  const words = beforeDashes(argv);
  for (let i = 0; i < words.length; i++) {
    if (words[i] === '--data-dir') i++;
    else if (!words[i].startsWith('-')) return words[i];
  }
  return null;
}

export async function buildProgram(
  argv: string[],
  getIo: () => CliIo,
  setJson: (json: boolean) => void,
  engineOptions: Omit<EngineOptions, 'dataDir'> = {},
): Promise<{ program: Command; ctx: CliContext }> {
  const program = new Command('tinyarms')
    .description('tinyArms: local skills whose prompts evolve from your feedback')
    .option('--data-dir <path>', "data folder (default: $TINYARMS_HOME, else the platform's)")
    .option('--json', 'print JSON for scripts (errors too)')
    .option('-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .helpCommand(false)
    .showSuggestionAfterError()
    .exitOverride()
    .configureHelp({
      sortSubcommands: false,
      showGlobalOptions: true,
      formatHelp: (cmd, helper) => formatHelp(cmd, helper, getIo().color.out),
    })
    .configureOutput({
      writeOut: (text) => getIo().out(text.replace(/\n$/, '')),
      writeErr: (text) => getIo().err(text.replace(/\n$/, '')),
      // Failures are printed once, by runCli, as `tinyarms: …` (or JSON).
      outputError: () => {},
      getOutHelpWidth: () => process.stdout.columns ?? 80,
    });
  withExamples(program, [
    'tinyarms demo',
    'tinyarms skills',
    'tinyarms prompt stats file-naming',
    'tinyarms task record file-naming --input IMG_4521.png --output beach-sunset.png --outcome accepted',
    'tinyarms --json prompt results file-naming | jq .decision',
  ]);

  program.hook('preAction', (_parent, action) => setJson(Boolean((action.optsWithGlobals() as GlobalOptions).json)));

  const ctx: CliContext = {
    io: getIo,
    engineOptions: () => engineOptions,
    dataDir: (command) => checkedDataDir((command.optsWithGlobals() as GlobalOptions).dataDir),
    async withEngine(command, fn) {
      // A command's own --model names the model file for this run only.
      const modelPath = (command.opts() as { model?: unknown }).model;
      const model = typeof modelPath === 'string' ? { ...engineOptions.model, modelPath } : engineOptions.model;
      const engine = Engine.open({ ...engineOptions, model, dataDir: ctx.dataDir(command) });
      const io = getIo();
      try {
        for (const issue of engine.ctx.config.issues) complain(io, `${formatIssue(issue)} (using the last good configuration)`, 'warning');
        return await fn(engine, io);
      } finally {
        await engine.dispose();
      }
    },
  };

  const word = groupWord(argv);
  const asked = GROUPS.filter((g) => word !== null && g.names.includes(word));
  for (const group of asked.length ? asked : GROUPS) (await group.load())(program, ctx);
  return { program, ctx };
}

/** Runs the `tinyarms` command line; returns the exit code (0 ok, 1 failed, 2 bad usage or missing input, 130 interrupted). */
export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<number> {
  let io: CliIo = { ...(options.io ?? processIo()), json: wantsJson(argv) };
  const { program } = await buildProgram(
    argv,
    () => io,
    (json) => (io = { ...io, json }),
    options.engine,
  );

  try {
    const words = beforeDashes(argv);
    if ((words.includes('--version') || words.includes('-V')) && !words.some((w) => w === '-h' || w === '--help')) {
      io.out(io.json ? JSON.stringify({ name: 'tinyarms', version: VERSION }) : `tinyarms ${VERSION}`);
      return EXIT.ok;
    }
    const bare = words.every((w, i) => w === '--json' || w === '--data-dir' || words[i - 1] === '--data-dir');
    if (bare) {
      // Bare `tinyarms`: the overview, as `tinyarms --help` shows it.
      io.out(program.helpInformation().replace(/\n$/, ''));
      return EXIT.ok;
    }
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    let failure = describeFailure(error);
    if (!failure) return EXIT.ok;
    if (failure.code === 'missing_command') {
      // Commander has shown the group's help on stderr; scripts get the list in the error.
      const group = namedCommand(program, argv);
      const names = group.commands.map((c) => c.name()).join(', ');
      failure = { ...failure, message: `${group === program ? 'tinyarms' : `tinyarms ${group.name()}`} needs a command: ${names}` };
      if (!io.json) return failure.exitCode;
    }
    if (io.json) io.out(JSON.stringify({ error: { code: failure.code, message: failure.message } }, null, 2));
    else complain(io, failure.message);
    if (failure.code === 'internal' && process.env.TINYARMS_DEBUG) io.err(String((error as Error)?.stack));
    return failure.exitCode;
  }
}

/** The process entry (bin/tinyarms.mjs): real streams, a quiet end when the reader of a pipe goes away. */
export async function main(argv: string[]): Promise<void> {
  guardPipes();
  process.exitCode = await runCli(argv);
}
