/** One problem found in a configuration file. `line` is 1-based, null when no line applies. */
export interface ConfigIssue {
  file: string;
  line: number | null;
  /** Dotted key path, e.g. `skills.file-naming.evolution_history[1].version`; empty for file-level problems. */
  path: string;
  message: string;
  /** The same problem in plain words for a person at a settings field ("Must be below 80%, the evolve threshold."). */
  plain?: string;
}

export type ConfigPath = readonly (string | number)[];

/** `file:line: path message` — the one-line form shown to the user. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line === null ? issue.file : `${issue.file}:${issue.line}`;
  return `${where}: ${issue.path ? `${issue.path} ` : ''}${issue.message}`;
}

export function pathToString(path: ConfigPath): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '');
}
