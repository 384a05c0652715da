import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  MODEL_PATH_CONFIG_KEY,
  UserError,
  checkGgufFile,
  expandHome,
  formatDownload,
  identifyModel,
  isFile,
  loadCatalog,
  modelsDir,
  pullModel,
  unexpectedModelError,
  type CatalogEntry,
  type Engine,
  type ModelInfo,
} from '../../../engine';
import { Interrupted } from '../errors';
import { withExamples } from '../help';
import type { CliContext } from '../index';
import { emit, tone } from '../output';

const mb = (bytes: number | null): string => (bytes === null ? '?' : `${(bytes / 1e6).toFixed(1)} MB`);
const SOURCES = {
  config: 'chosen with `tinyarms model use`, --model or model_path',
  'data-folder': "the data folder's models/",
  downloaded: 'downloaded',
} as const;
const MODEL_PATH_KEY = ['prompt_evolution', 'smollm2', 'model_path'] as const;

export function renderModelInfo(info: ModelInfo): string[] {
  const verified = info.verified === null ? 'not pinned in the catalog' : info.verified ? 'matches the catalog' : 'DOES NOT MATCH';
  const gpu = `${info.gpu === false ? 'CPU' : info.gpu}${info.gpuLayers ? ` (${info.gpuLayers} GPU layers)` : ''}`;
  return [
    `Model: ${info.catalogId ?? 'not in the catalog'} (${info.architecture}, chat wrapper ${info.chatWrapper}, ` +
      `trained context ${info.trainContextSize})`,
    `File: ${info.path} (${SOURCES[info.source]})`,
    `Size: ${mb(info.sizeBytes)}, SHA-256 ${info.sha256} (${verified}); id ${info.id}`,
    `Runtime: ${info.contextSize} tokens × ${info.sequences} sequences in ${info.contexts} context(s)` +
      (info.evolution && (info.evolution.sequences !== info.sequences || info.evolution.contexts !== info.contexts)
        ? ` (${info.evolution.sequences} in ${info.evolution.contexts} while an evolution runs)`
        : '') +
      `, ${info.threads} thread(s) each, ${gpu}`,
    `Loaded in ${Math.round(info.loadMs)} ms, then unloaded: the app and evolutions load it on demand.`,
  ];
}

/** The file the engine would use now (no hashing, no loading): found by the model service, in one place. */
function currentChoice(engine: Engine): { path: string; source: 'config' | 'data-folder' } {
  const located = engine.models.locate();
  return { path: located.path ?? located.expectedPath, source: located.source === 'config' ? 'config' : 'data-folder' };
}

interface ModelRow {
  id: string;
  name: string;
  fileName: string;
  path: string;
  sizeBytes: number | null;
  sha256: string | null;
  installed: boolean;
  inUse: boolean;
  isDefault: boolean;
  testOnly: boolean;
  downloadUrl: string | null;
}

interface ModelList {
  models: ModelRow[];
  inUse: { path: string; source: string; exists: boolean; catalogId: string | null };
}

function listModels(engine: Engine): ModelList {
  const catalog = loadCatalog();
  const choice = currentChoice(engine);
  const rows = catalog.models.map((entry: CatalogEntry): ModelRow => {
    const file = path.join(modelsDir(engine.dataDir), entry.fileName);
    const installed = isFile(file) && (entry.sizeBytes === null || fs.statSync(file).size === entry.sizeBytes);
    const inUse = choice.path === file || (choice.source === 'config' && path.basename(choice.path) === entry.fileName);
    return {
      id: entry.id,
      name: entry.name,
      fileName: entry.fileName,
      path: file,
      sizeBytes: entry.sizeBytes,
      sha256: entry.sha256,
      installed,
      inUse,
      isDefault: entry.id === catalog.defaultModel,
      testOnly: entry.testOnly,
      downloadUrl: entry.downloadUrl,
    };
  });
  const catalogId = rows.find((r) => r.inUse)?.id ?? null;
  return { models: rows, inUse: { ...choice, exists: isFile(choice.path), catalogId } };
}

async function useModel(engine: Engine, ref: string) {
  const catalog = loadCatalog();
  const entry = catalog.models.find((m) => m.id === ref);
  let file: string;
  if (entry && !isFile(ref)) {
    file = path.join(modelsDir(engine.dataDir), entry.fileName);
  } else {
    file = path.resolve(expandHome(ref));
    if (!isFile(file)) {
      const ids = catalog.models.map((m) => m.id).join(', ');
      throw new UserError(`${ref} is neither a model file nor a catalog model id (ids: ${ids})`, { exitCode: 2, code: 'model_missing' });
    }
  }
  const installed = isFile(file);
  let identity = null;
  if (installed) {
    identity = await identifyModel(file, { catalog, cacheDir: modelsDir(engine.dataDir) });
    const hint = entry ? `delete it and run \`tinyarms model pull ${entry.id}\`` : 'rename it if it is another model';
    if (identity.verified === false) throw unexpectedModelError(file, identity, hint);
    await checkGgufFile(file);
  }
  engine.ctx.config.set(MODEL_PATH_KEY, file);
  const known = identity?.entry ?? entry ?? null;
  return {
    path: file,
    configKey: MODEL_PATH_CONFIG_KEY,
    catalogId: known?.id ?? null,
    name: known?.name ?? path.basename(file),
    installed,
    verified: identity?.verified ?? null,
    sizeBytes: identity?.sizeBytes ?? null,
    next: installed ? null : known?.hfUri ? `tinyarms model pull ${known.id}` : `put ${known?.fileName ?? 'the file'} at ${file}`,
  };
}

export function registerModelCommands(program: Command, ctx: CliContext): void {
  const model = program.command('model').description('the local language model: list, use, info, pull');

  withExamples(
    model
      .command('list')
      .description("the catalog's models, which are installed, and the one in use")
      .action((_o, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          const list = listModels(engine);
          emit(io, list, (l) => [
            `${'ID'.padEnd(30)}  ${'SIZE'.padEnd(9)}  ${'INSTALLED'.padEnd(9)}  NAME`,
            ...l.models.map((m) => {
              const marks = `${m.isDefault ? ' (default)' : ''}${m.inUse ? '  ← in use' : ''}`;
              const line = `${m.id.padEnd(30)}  ${mb(m.sizeBytes).padEnd(9)}  ${(m.installed ? 'yes' : 'no').padEnd(9)}  ${m.name}${marks}`;
              return m.inUse ? tone(io, 'green', line) : line;
            }),
            '',
            `In use: ${l.inUse.path}${l.inUse.exists ? '' : ' (not there yet: `tinyarms model pull`, or `tinyarms model use FILE`)'}`,
          ]);
        }),
      ),
    ['tinyarms model list'],
  );

  withExamples(
    model
      .command('use')
      .argument('<file-or-id>', 'a GGUF file, or a catalog model id (see tinyarms model list)')
      .description('choose the model skills and evolutions run on (recorded as prompt_evolution.smollm2.model_path in config.yaml)')
      .action((ref: string, _o, cmd: Command) =>
        ctx.withEngine(cmd, async (engine, io) => {
          const result = await useModel(engine, ref);
          emit(io, result, (r) =>
            [
              tone(io, 'green', `Using ${r.name}: ${r.path}`),
              r.verified === true
                ? 'Checked: the exact file the catalog pins (size and SHA-256).'
                : r.installed && r.catalogId === null
                  ? 'Not a catalog model: it is used as it is (no size or hash to check).'
                  : '',
              `Recorded in ${engine.ctx.config.file} as ${r.configKey}.`,
              ...(r.next ? [`Not installed yet: ${r.next}`] : []),
            ].filter(Boolean),
          );
        }),
      ),
    ['tinyarms model use ~/models/SmolLM2-360M-Instruct-Q4_K_M.gguf', 'tinyarms model use smollm2-360m-instruct-q4_k_m'],
  );

  withExamples(
    model
      .command('info')
      .option('--model <path>', 'a GGUF file (default: the one in use)')
      .description('load the model once: which file, from where, verified or not, and how it runs here')
      .action((_options: { model?: string }, cmd: Command) =>
        ctx.withEngine(cmd, async (engine, io) => {
          // The engine's own model service loads it (with --model, that file for this run), as tasks would.
          const info = await engine.models.info();
          if (!info) throw new UserError('this engine runs an injected model, not a GGUF file', { code: 'no_model' });
          emit(io, { ...info, source: engine.models.status().source ?? info.source }, renderModelInfo);
        }),
      ),
    ['tinyarms model info', 'tinyarms model info --model ~/models/other.gguf'],
  );

  withExamples(
    model
      .command('pull')
      .argument('[id]', 'catalog model id (default: the catalog default)')
      .option('--endpoint <url>', 'Hugging Face mirror to download from')
      .description('download a catalog model into the data folder, verified against its pinned size and SHA-256')
      .action((id: string | undefined, o: { endpoint?: string }, cmd: Command) =>
        ctx.withEngine(cmd, async (engine, io) => {
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
                if (stream?.isTTY) stream.write(`\r${line.slice(0, Math.max(10, (stream.columns ?? 80) - 1))}\x1b[K`);
                else {
                  const tenth = totalBytes > 0 ? Math.floor((10 * downloadedBytes) / totalBytes) : 0;
                  if (tenth !== lastTenth) io.err(line);
                  lastTenth = tenth;
                }
              },
            });
            if (stream?.isTTY && result.downloaded) stream.write('\n');
            const inUse = currentChoice(engine).path === result.path;
            emit(io, { ...result, inUse }, (r) => [
              r.downloaded ? `Downloaded ${r.entry.name} to ${r.path}` : `${r.entry.name} is already installed at ${r.path}`,
              `Size ${mb(r.sizeBytes)}, SHA-256 ${r.sha256} (${r.entry.sha256 ? 'matches the catalog' : 'not pinned in the catalog'})`,
              r.inUse ? 'It is the model in use.' : `Not in use: run \`tinyarms model use ${r.entry.id}\` to use it.`,
            ]);
          } catch (error) {
            if (controller.signal.aborted) throw new Interrupted('download interrupted; nothing was kept');
            throw error;
          } finally {
            process.off('SIGINT', onSigint);
          }
        }),
      ),
    ['tinyarms model pull', 'tinyarms model pull --endpoint https://hf-mirror.com'],
  );
}
