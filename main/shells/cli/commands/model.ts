import type { Command } from 'commander';
import { formatDownload } from '../../../engine/evolution/progress';
import { runtimeOptionsFromConfig } from '../../../engine/llm/runtime-config';
import type { ModelInfo } from '../../../engine/llm/types';
import type { CliContext } from '../index';
import { emit } from '../output';

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const SOURCES = { config: 'set by --model or prompt_evolution.smollm2.model_path', 'data-folder': "the data folder's models/", downloaded: 'downloaded' } as const;

export function renderModelInfo(info: ModelInfo): string[] {
  const verified = info.verified === null ? 'no hash pinned in the catalog' : info.verified ? 'matches the catalog' : 'DOES NOT MATCH the catalog';
  return [
    `Model: ${info.catalogId ?? 'not in the catalog'} (${info.architecture}, chat wrapper ${info.chatWrapper}, trained context ${info.trainContextSize})`,
    `File: ${info.path} (${SOURCES[info.source]})`,
    `Size: ${mb(info.sizeBytes)}, SHA-256 ${info.sha256} (${verified}); id ${info.id}`,
    `Runtime: ${info.contextSize} tokens × ${info.sequences} sequences in ${info.contexts} context(s), ${info.threads} thread(s) each, ${info.gpu === false ? 'CPU' : info.gpu}${info.gpuLayers ? ` (${info.gpuLayers} GPU layers)` : ''}`,
    `Loaded in ${Math.round(info.loadMs)} ms, then unloaded: the app and evolutions load it on demand.`,
  ];
}

export function registerModelCommands(program: Command, ctx: CliContext): void {
  const model = program.command('model').description('the local language model that evolves prompts');

  model
    .command('info')
    .option('--model <path>', 'a GGUF file (default: prompt_evolution.smollm2.model_path, then the data folder)')
    .description('which model file resolves, from where, and how it loads')
    .action((o: { model?: string }, cmd: Command) =>
      ctx.withEngine(cmd, async (engine, io) => {
        const config = engine.ctx.config.config;
        // node-llama-cpp is imported only by the commands that use it: it is slow to import.
        const [{ resolveModel }, { LlamaRuntime }] = await Promise.all([import('../../../engine/llm/model-resolve'), import('../../../engine/llm/runtime')]);
        const resolved = await resolveModel({ modelPath: o.model ?? config.prompt_evolution.smollm2.model_path, dataDir: engine.dataDir, allowDownload: false });
        const runtime = new LlamaRuntime(runtimeOptionsFromConfig(config, engine.dataDir, { modelPath: resolved.path, idleDisposeMs: 0 }));
        try {
          const info = await runtime.ensureLoaded();
          emit(io, { ...info, source: resolved.source }, renderModelInfo);
        } finally {
          await runtime.dispose();
        }
      }),
    );

  model
    .command('pull')
    .argument('[id]', 'catalog model id (default: the catalog default)')
    .option('--endpoint <url>', 'Hugging Face mirror to download from')
    .description('download a catalog model into the data folder (with a progress bar)')
    .action((id: string | undefined, o: { endpoint?: string }, cmd: Command) =>
      ctx.withEngine(cmd, async (engine, io) => {
        const { pullModel } = await import('../../../engine/llm/model-resolve');
        const stream = io.errStream;
        let lastTenth = -1;
        const controller = new AbortController();
        const onSigint = () => controller.abort(new Error('interrupted'));
        process.on('SIGINT', onSigint);
        try {
          const result = await pullModel({
            dataDir: engine.dataDir,
            catalogId: id ?? null,
            huggingFaceEndpoint: o.endpoint,
            signal: controller.signal,
            onDownloadProgress: ({ downloadedBytes, totalBytes }) => {
              const line = formatDownload(downloadedBytes, totalBytes);
              if (stream?.isTTY) stream.write(`\r\x1b[2K${line}`);
              else {
                const tenth = totalBytes > 0 ? Math.floor((10 * downloadedBytes) / totalBytes) : 0;
                if (tenth !== lastTenth) io.err(line);
                lastTenth = tenth;
              }
            },
          });
          if (stream?.isTTY && result.downloaded) stream.write('\n');
          emit(io, result, (r) => [
            r.downloaded ? `Downloaded ${r.entry.name} to ${r.path}` : `${r.entry.name} is already installed at ${r.path}`,
            `Size ${mb(r.sizeBytes)}, SHA-256 ${r.sha256}`,
          ]);
        } finally {
          process.off('SIGINT', onSigint);
        }
      }),
    );
}
