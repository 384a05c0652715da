#!/usr/bin/env node
// Builds the Electron main process and the preload into out/ with esbuild (installed with Vite and tsx):
//   out/main/index.js      ESM, node_modules left external (node-llama-cpp must not be bundled), lazy chunks split
//   out/preload/index.cjs  one CommonJS file: a sandboxed preload cannot load local modules at run time
// Usage: node scripts/build-main.mjs [--out DIR]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Electron 40 runs Node 24 and Chromium 144.
export async function buildMain({ outDir = path.join(ROOT, 'out'), quiet = false } = {}) {
  fs.rmSync(path.join(outDir, 'main'), { recursive: true, force: true });
  fs.rmSync(path.join(outDir, 'preload'), { recursive: true, force: true });
  const common = { absWorkingDir: ROOT, bundle: true, sourcemap: true, logLevel: quiet ? 'error' : 'warning', legalComments: 'none' };
  await build({
    ...common,
    entryPoints: { index: 'main/shells/electron/main.ts' },
    outdir: path.join(outDir, 'main'),
    platform: 'node',
    format: 'esm',
    target: 'node22',
    splitting: true,
    // Chunks beside index.js: modules that locate files from import.meta.url ('../../skills', '../../models')
    // then still land on the app root when no explicit path was passed.
    chunkNames: '[name]-[hash]',
    packages: 'external',
    outExtension: { '.js': '.js' },
  });
  await build({
    ...common,
    entryPoints: ['preload/index.ts'],
    outfile: path.join(outDir, 'preload', 'index.cjs'),
    platform: 'node',
    format: 'cjs',
    target: 'chrome130',
    external: ['electron'],
  });
  // out/ may sit outside the repo (tests): an ESM marker keeps out/main/*.js loading as modules there too.
  fs.writeFileSync(path.join(outDir, 'main', 'package.json'), '{ "type": "module" }\n');
  // The config store's fallback location for its defaults once bundled (the Electron entry passes the real one).
  fs.copyFileSync(path.join(ROOT, 'main', 'engine', 'config', 'defaults.yaml'), path.join(outDir, 'main', 'defaults.yaml'));
  // The evolution's mutation prompts and thinking styles, found from import.meta.url ('./data/') once bundled.
  fs.cpSync(path.join(ROOT, 'main', 'engine', 'evolution', 'data'), path.join(outDir, 'main', 'data'), { recursive: true });
  return { main: path.join(outDir, 'main', 'index.js'), preload: path.join(outDir, 'preload', 'index.cjs') };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const outDir = at > 0 ? path.resolve(process.argv[at + 1]) : undefined;
  try {
    const built = await buildMain({ outDir });
    console.log(`built ${path.relative(ROOT, built.main)} and ${path.relative(ROOT, built.preload)}`);
  } catch (error) {
    console.error(`build failed: ${error.message.split('\n')[0]}`);
    process.exit(1);
  }
}
