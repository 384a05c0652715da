import type { Command } from 'commander';
import { createAppRuntime } from '../../../app/app-runtime';
import { formatIssue, usageError } from '../../../engine';
import { startBrowserMode } from '../../server/browser-mode';
import { withExamples } from '../help';
import type { CliContext } from '../index';
import { complain, emit, untilStopped } from '../output';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d+$/.test(value.trim()) || Number(value) > 65535)
    throw usageError(`--port must be a whole number from 0 to 65535 (got '${value}')`);
  return Number(value);
}

export function registerServeCommand(program: Command, ctx: CliContext): void {
  const serve = program
    .command('serve')
    .option('--port <n>', 'port to listen on (default: a free one)')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .description('browser mode: run the engine and serve the app page on this machine only')
    .action(async (o: { port?: string; host: string }, cmd: Command) => {
      const io = ctx.io();
      const port = parsePort(o.port);
      if (!LOOPBACK.has(o.host)) {
        complain(
          io,
          `listening on ${o.host}: other machines that can reach it may try the token; use 127.0.0.1 unless you mean it`,
          'warning',
        );
      }
      // The engine, its one model (loaded when a task or an evolution needs it) and in-process evolutions.
      const runtime = createAppRuntime({
        engine: { ...ctx.engineOptions(), dataDir: ctx.dataDir(cmd) },
        watchFiles: true,
        log: (line) => io.err(line),
      });
      try {
        for (const issue of runtime.engine.ctx.config.issues)
          complain(io, `${formatIssue(issue)} (using the last good configuration)`, 'warning');
        const mode = await startBrowserMode({ service: runtime.service, host: o.host, port, log: (line) => io.err(line) });
        const { server } = mode;
        // Listen for Ctrl-C / SIGTERM before printing the URL: a script may stop us the moment it reads it.
        const stopped = untilStopped();
        emit(io, { url: mode.url, origin: server.origin, port: server.port, token: server.token, dataDir: runtime.engine.dataDir }, (v) => [
          `tinyArms is running at ${v.url}`,
          `Data folder: ${v.dataDir}`,
          'Open the URL in your browser (the token in it is the key; keep it private). Ctrl-C stops.',
        ]);
        const signal = await stopped;
        if (!io.json) io.out(`Stopping (${signal})…`);
        await mode.close();
      } finally {
        await runtime.stop();
      }
    });
  withExamples(serve, [
    'tinyarms serve',
    'tinyarms serve --port 8765',
    'tinyarms --json serve   # prints {"url", "origin", "port", "token", "dataDir"}',
  ]);
}
