import type { Command } from 'commander';
import { appRunnerFactory } from '../../../engine/feedback/model-runner';
import { createEvolutionHost } from '../../../engine/evolution/host';
import { startBrowserMode } from '../../server/browser-mode';
import { usageError } from '../../../engine/util/errors';
import { withExamples } from '../help';
import type { CliContext } from '../index';
import { complain, emit, untilStopped } from '../output';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d+$/.test(value.trim()) || Number(value) > 65535) throw usageError(`--port must be a whole number from 0 to 65535 (got '${value}')`);
  return Number(value);
}

export function registerServeCommand(program: Command, ctx: CliContext): void {
  const serve = program
    .command('serve')
    .option('--port <n>', 'port to listen on (default: a free one)')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .description('browser mode: run the engine and serve the app page on this machine only')
    .action((o: { port?: string; host: string }, cmd: Command) =>
      ctx.withEngine(cmd, async (engine, io) => {
        const port = parsePort(o.port);
        if (!LOOPBACK.has(o.host)) {
          complain(io, `listening on ${o.host}: other machines that can reach it may try the token; use 127.0.0.1 unless you mean it`, 'warning');
        }
        // File names and the task API run on the configured model (or a factory a shell wired).
        // Evolutions run in this process and load the model only when one starts.
        const evolution = createEvolutionHost(engine);
        engine.setVariantGenerator(evolution.generate);
        const mode = await startBrowserMode({ engine, host: o.host, port, evolution, openRunner: appRunnerFactory(), watchFiles: true, log: (line) => io.err(line) });
        const { server } = mode;
        emit(io, { url: mode.url, origin: server.origin, port: server.port, token: server.token, dataDir: engine.dataDir }, (v) => [
          `tinyArms is running at ${v.url}`,
          `Data folder: ${v.dataDir}`,
          'Open the URL in your browser (the token in it is the key; keep it private). Ctrl-C stops.',
        ]);
        const signal = await untilStopped();
        if (!io.json) io.out(`Stopping (${signal})…`);
        await mode.close();
      }),
    );
  withExamples(serve, ['tinyarms serve', 'tinyarms serve --port 8765', 'tinyarms --json serve   # prints {"url", "origin", "port", "token", "dataDir"}']);
}
