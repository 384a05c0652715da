import type { Command, Help, Option } from 'commander';
import { paint } from './output';

const examples = new WeakMap<Command, string[]>();
const notes = new WeakMap<Command, string[]>();

/** Attaches EXAMPLES to a command's help (each line a command, without the leading `$ `). */
export function withExamples(command: Command, lines: string[], learnMore: string[] = []): Command {
  examples.set(command, lines);
  if (learnMore.length) notes.set(command, learnMore);
  return command;
}

export const examplesOf = (command: Command): string[] => examples.get(command) ?? [];

const fullName = (cmd: Command): string => {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
};

function usageLine(cmd: Command, helper: Help): string {
  const args = cmd.registeredArguments.map((a) => helper.argumentTerm(a));
  const required = cmd.options.filter((o) => o.mandatory).map((o) => o.flags.replace(/^.*?(--[\w-]+)/, '$1'));
  const hasFlags = helper.visibleOptions(cmd).some((o) => !o.mandatory && o.long !== '--help');
  const sub = cmd.commands.length > 0 ? ['<command>'] : [];
  return [fullName(cmd), ...sub, ...args, ...required, ...(hasFlags ? ['[flags]'] : [])].join(' ');
}

function section(title: string, rows: [string, string][], color: boolean, width: number): string[] {
  if (rows.length === 0) return [];
  const termWidth = Math.min(34, Math.max(...rows.map(([term]) => term.length)));
  const lines = rows.map(([term, description]) => {
    if (!description) return `  ${term}`;
    const pad = term.length > termWidth ? `\n  ${' '.repeat(termWidth)}` : ' '.repeat(termWidth - term.length);
    return `  ${term}${pad}  ${wrap(description, width - termWidth - 4).join(`\n${' '.repeat(termWidth + 4)}`)}`;
  });
  return [paint(color, 'bold', title), ...lines, ''];
}

function wrap(text: string, width: number): string[] {
  if (width < 30) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

const optionRows = (options: readonly Option[], helper: Help): [string, string][] =>
  options.map((o) => [helper.optionTerm(o), helper.optionDescription(o)]);

/**
 * gh-style help: the description, USAGE, COMMANDS or ARGUMENTS, FLAGS, INHERITED FLAGS (the global ones),
 * EXAMPLES and LEARN MORE. Colour (bold titles) only when the output is a terminal and NO_COLOR is unset.
 */
export function formatHelp(cmd: Command, helper: Help, color: boolean): string {
  const width = Math.max(60, Math.min(120, helper.helpWidth ?? 80));
  const out: string[] = [];
  const description = cmd.description();
  const sentence = description.startsWith('tinyArms') ? description : description.charAt(0).toUpperCase() + description.slice(1);
  if (description) out.push(...wrap(sentence, width), '');
  out.push(paint(color, 'bold', 'USAGE'), `  ${usageLine(cmd, helper)}`, '');
  const commands = helper.visibleCommands(cmd).filter((c) => c.name() !== 'help');
  const commandRows = commands.map((c): [string, string] => [`${helper.subcommandTerm(c).replace(' [options]', '')}:`, c.description()]);
  out.push(...section('COMMANDS', commandRows, color, width));
  const argumentRows = helper.visibleArguments(cmd).map((a): [string, string] => [helper.argumentTerm(a), helper.argumentDescription(a)]);
  out.push(...section('ARGUMENTS', argumentRows, color, width));
  const own = helper.visibleOptions(cmd);
  const isRoot = !cmd.parent;
  out.push(...section('FLAGS', optionRows(own, helper), color, width));
  if (!isRoot) out.push(...section('INHERITED FLAGS', optionRows(helper.visibleGlobalOptions(cmd), helper), color, width));
  const lines = examplesOf(cmd);
  if (lines.length) out.push(paint(color, 'bold', 'EXAMPLES'), ...lines.map((l) => `  $ ${l}`), '');
  out.push(paint(color, 'bold', 'LEARN MORE'), ...(notes.get(cmd) ?? []).map((l) => `  ${l}`));
  const [sub, about] = commands.length ? [' <command>', 'a command'] : ['', 'this command'];
  out.push(`  Use \`${fullName(cmd)}${sub} --help\` for more about ${about}.`);
  out.push('  Exit codes: 0 ok, 1 failed, 2 bad usage or missing input, 130 interrupted. --json prints JSON (errors too).');
  return `${out.join('\n')}\n`;
}
