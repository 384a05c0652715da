#!/usr/bin/env node
// Runs the end-to-end tests: builds the renderer (tinyarms serve serves renderer/dist), checks for Chromium, then
// runs Vitest with e2e/vitest.config.ts. Extra arguments go to Vitest, e.g. `node e2e/run-e2e.mjs vote-session`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(repo, 'node_modules', '.bin', name);
const run = (command, args) => spawnSync(command, args, { cwd: repo, stdio: 'inherit' }).status ?? 1;

// Debian's Chromium first (Playwright cannot download its own browser here), then common installs.
const candidates = [
  process.env.TINYARMS_CHROMIUM,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
].filter(Boolean);
const chromium = candidates.find((file) => fs.existsSync(file));
if (!chromium) {
  const hint = 'install it (Debian: apt-get install -y chromium) or set TINYARMS_CHROMIUM';
  // In CI a missing browser is a failure; on a developer's machine the unit suite still counts.
  if (process.env.CI) {
    console.error(`e2e: no Chromium found; ${hint}.`);
    process.exit(1);
  }
  console.log(`e2e skipped: no Chromium found; ${hint}.`);
  process.exit(0);
}
process.env.TINYARMS_CHROMIUM = chromium;

if (!process.argv.includes('--no-build')) {
  const built = run(bin('vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
  if (built !== 0) process.exit(built);
}

const args = process.argv.slice(2).filter((a) => a !== '--no-build');
process.exit(run(bin('vitest'), ['run', '--config', 'e2e/vitest.config.ts', ...args]));
