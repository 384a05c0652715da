import { runCli, type RunCliOptions } from '../shells/cli/index';
import type { CliIo } from '../shells/cli/output';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process on a data folder, capturing its output lines. */
export async function runCliCaptured(dataDir: string, args: string[], options: Omit<RunCliOptions, 'io'> = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), json: false, color: { out: false, err: false } };
  const code = await runCli(['--data-dir', dataDir, ...args], { ...options, io });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
