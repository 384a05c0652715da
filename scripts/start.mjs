#!/usr/bin/env node
// `npm start`: build the main process and preload (and the renderer, when package.json has build:renderer),
// make sure the Electron binary is there (fetching it once), then run the app from out/main/index.js.
// Options: --skip-renderer (use renderer/dist as it is); anything after -- goes to Electron.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMain } from './build-main.mjs';
import { ensureElectron } from './ensure-electron.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dash = args.indexOf('--');
const own = dash < 0 ? args : args.slice(0, dash);
const electronArgs = dash < 0 ? [] : args.slice(dash + 1);

function buildRenderer() {
  const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts ?? {};
  if (own.includes('--skip-renderer')) return;
  if (!scripts['build:renderer']) {
    if (!fs.existsSync(path.join(ROOT, 'renderer', 'dist', 'index.html'))) {
      console.error('tinyArms: there is no renderer build (renderer/dist) and no build:renderer script; the windows will say so.');
    }
    return;
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '--silent', 'build:renderer'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build:renderer failed (see above)');
}

try {
  await buildMain({ quiet: true });
  buildRenderer();
  const electron = ensureElectron();
  const child = spawn(electron, [path.join(ROOT, 'out', 'main', 'index.js'), ...electronArgs], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
