import { execFileSync, spawnSync } from 'node:child_process';

/** tmux is the terminal emulator for the progress tests; CI installs it (.ci/run). */
export const tmuxAvailable = (): boolean => spawnSync('tmux', ['-V']).status === 0;

export interface TerminalRun {
  /** The final screen as a person sees it (lines the terminal wrapped are separate rows). */
  screen: string[];
  /** The same with wrapped rows joined back: a progress line wider than the terminal shows up here as a long line. */
  logical: string[];
  exitCode: number;
}

const END = '__TINYARMS_END__';
let sessions = 0;

const trimScreen = (text: string): string[] => {
  const lines = text.split('\n').map((line) => line.trimEnd());
  while (lines.length && !lines.at(-1)) lines.pop();
  return lines;
};

/**
 * Runs a shell command in a detached tmux terminal of the given size (its own server socket, so runs never
 * meet), waits for it to end and returns the final screen. The command's environment is this process's.
 */
export async function runInTerminal(
  command: string,
  size: { width: number; height?: number; timeoutMs?: number },
  /** Keys to type (tmux key names, e.g. 'C-c', 'n', 'Enter') once the screen shows `when`. */
  interact?: { when: RegExp; keys: string[] },
): Promise<TerminalRun> {
  const socket = `tinyarms-test-${process.pid}-${++sessions}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  const script = `${command}; echo ${END} $?; sleep 600`;
  tmux('new-session', '-d', '-s', 'run', '-x', String(size.width), '-y', String(size.height ?? 60), 'sh', '-c', script);
  try {
    const deadline = Date.now() + (size.timeoutMs ?? 90_000);
    let typed = !interact;
    for (;;) {
      const joined = tmux('capture-pane', '-p', '-J', '-t', 'run');
      if (!typed && interact!.when.test(joined)) {
        tmux('send-keys', '-t', 'run', ...interact!.keys);
        typed = true;
      }
      const done = new RegExp(`${END} (\\d+)`).exec(joined);
      if (done) {
        const screen = trimScreen(tmux('capture-pane', '-p', '-t', 'run'));
        const strip = (lines: string[]) => lines.filter((line) => !line.startsWith(END));
        return { screen: strip(screen), logical: strip(trimScreen(joined)), exitCode: Number(done[1]) };
      }
      if (Date.now() > deadline) throw new Error(`terminal run timed out: ${command}\n${joined}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  } finally {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  }
}
