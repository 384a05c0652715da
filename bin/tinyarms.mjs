#!/usr/bin/env node
// The `tinyarms` command. It runs a bundle of the TypeScript CLI cached in .cache/cli/ (plain Node, no compiling at
// every call); when a source file changed since that bundle was made, it is rebuilt first (scripts/build-cli.mjs),
// so a fresh clone needs no build step. `--version` answers before anything is loaded.
// TINYARMS_CLI_FROM_SOURCE=1 runs the TypeScript directly through tsx instead (slower; for debugging).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`tinyarms ${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`);
  process.exit(0);
}

/** The current bundle's entry, or null when it is missing or any of its inputs changed. */
function currentBundle() {
  try {
    const cache = path.join(ROOT, '.cache', 'cli');
    const manifest = JSON.parse(fs.readFileSync(path.join(cache, 'manifest.json'), 'utf8'));
    if (manifest.version !== 1 || manifest.node !== process.versions.modules) return null;
    for (const [rel, size, mtimeMs] of manifest.inputs) {
      const stat = fs.statSync(path.join(ROOT, rel));
      if (stat.size !== size || stat.mtimeMs !== mtimeMs) return null;
    }
    const entry = path.join(cache, manifest.build, 'cli.js');
    return fs.existsSync(entry) ? entry : null;
  } catch {
    return null;
  }
}

async function loadCli() {
  if (process.env.TINYARMS_CLI_FROM_SOURCE === '1') {
    const { register } = await import('tsx/esm/api');
    register();
    return import(pathToFileURL(path.join(ROOT, 'main', 'shells', 'cli', 'index.ts')).href);
  }
  let entry = currentBundle();
  if (!entry) {
    if (process.stderr.isTTY) process.stderr.write('tinyarms: preparing the command line after a change…\r');
    try {
      entry = await (await import('../scripts/build-cli.mjs')).buildCli();
    } catch (error) {
      process.stderr.write(`tinyarms: cannot build the command line: ${String(error?.message ?? error).split('\n')[0]}\n`);
      process.exit(1);
    }
    if (process.stderr.isTTY) process.stderr.write('\x1b[2K');
  }
  return import(pathToFileURL(entry).href);
}

const { main } = await loadCli();
await main(argv);
