#!/usr/bin/env node
// Bundles the command line (main/shells/cli) into one ESM file plus lazy chunks with esbuild, so `tinyarms` starts
// on plain Node instead of compiling TypeScript at every call. bin/tinyarms.mjs calls buildCli() on demand, when
// the manifest it writes says a source changed; a fresh clone therefore needs no build step.
//   .cache/cli/<build>/cli.js        the entry (commands are registered here; their work is in lazy chunks)
//   .cache/cli/<build>/defaults.yaml the config defaults, found from import.meta.url once bundled
//   .cache/cli/<build>/data/         the evolution's mutation prompts and thinking styles (same reason)
//   .cache/cli/manifest.json         which build is current and every input file's size and mtime
// Native and heavy packages stay external: better-sqlite3 (native), node-llama-cpp (native, imported only by the
// commands that run a model), electron and React (never loaded by the CLI).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_CACHE = path.join(ROOT, '.cache', 'cli');
export const MANIFEST = path.join(CLI_CACHE, 'manifest.json');
const ASSETS = [
  ['main/engine/config/defaults.yaml', 'defaults.yaml'],
  ['main/engine/evolution/data', 'data'],
];
// Files whose change must rebuild even though esbuild does not read them as sources.
const EXTRA_INPUTS = ['bin/tinyarms.mjs', 'scripts/build-cli.mjs', 'package-lock.json'];
const KEEP_OLD_BUILDS_MS = 24 * 3600_000;

const filesUnder = (rel) => {
  const abs = path.join(ROOT, rel);
  if (!fs.statSync(abs).isDirectory()) return [rel];
  return fs
    .readdirSync(abs)
    .sort()
    .map((name) => path.join(rel, name));
};

export const fingerprint = (rel) => {
  const stat = fs.statSync(path.join(ROOT, rel));
  return [rel, stat.size, stat.mtimeMs];
};

/** Builds a new bundle beside the current one and makes it current; returns its entry file. */
export async function buildCli({ quiet = true } = {}) {
  const { build } = await import('esbuild');
  const name = `b-${Date.now().toString(36)}-${process.pid}`;
  const outDir = path.join(CLI_CACHE, name);
  fs.mkdirSync(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { cli: 'main/shells/cli/index.ts' },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: '[name]-[hash]',
    external: ['better-sqlite3', 'node-llama-cpp', 'electron', 'react', 'react-dom', 'esbuild', 'tsx'],
    // Bundled CommonJS packages call require() for Node's built-ins.
    banner: { js: "import { createRequire as __tinyarmsRequire } from 'node:module'; const require = __tinyarmsRequire(import.meta.url);" },
    metafile: true,
    logLevel: quiet ? 'silent' : 'warning',
    legalComments: 'none',
  });
  fs.writeFileSync(path.join(outDir, 'package.json'), '{ "type": "module" }\n');
  for (const [from, to] of ASSETS) fs.cpSync(path.join(ROOT, from), path.join(outDir, to), { recursive: true });
  const sources = Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules/'));
  const extras = EXTRA_INPUTS.filter((f) => fs.existsSync(path.join(ROOT, f)));
  const inputs = [...sources, ...ASSETS.flatMap(([from]) => filesUnder(from)), ...extras];
  const manifest = { version: 1, node: process.versions.modules, build: name, inputs: inputs.map(fingerprint) };
  const temp = `${MANIFEST}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(manifest));
  fs.renameSync(temp, MANIFEST);
  removeOldBuilds(name);
  return path.join(outDir, 'cli.js');
}

// A process may still run an older build and import its lazy chunks later, so only day-old builds go.
function removeOldBuilds(current) {
  for (const entry of fs.readdirSync(CLI_CACHE, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === current || !entry.name.startsWith('b-')) continue;
    const dir = path.join(CLI_CACHE, entry.name);
    try {
      if (Date.now() - fs.statSync(dir).mtimeMs > KEEP_OLD_BUILDS_MS) fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      /* another process removed it */
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const entry = await buildCli({ quiet: false });
    console.log(`built ${path.relative(ROOT, entry)}`);
  } catch (error) {
    console.error(`build failed: ${String(error.message).split('\n')[0]}`);
    process.exit(1);
  }
}
