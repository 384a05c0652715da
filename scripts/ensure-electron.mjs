#!/usr/bin/env node
// Makes sure Electron's binary is present. npm install does not fetch it here (electron's postinstall is turned
// off in package.json allowScripts), so `npm start` runs node_modules/electron/install.js itself when it is
// missing, and says plainly what to do when the download cannot happen.
// Usage: node scripts/ensure-electron.mjs   (exit 0 = ready, 1 = missing, with the reason on stderr)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ELECTRON_DIR = path.join(ROOT, 'node_modules', 'electron');

export function electronVersion() {
  return JSON.parse(fs.readFileSync(path.join(ELECTRON_DIR, 'package.json'), 'utf8')).version;
}

/** The executable when the installed binary matches the package version; null otherwise. */
export function installedElectron() {
  try {
    const relative = fs.readFileSync(path.join(ELECTRON_DIR, 'path.txt'), 'utf8').trim();
    const version = fs
      .readFileSync(path.join(ELECTRON_DIR, 'dist', 'version'), 'utf8')
      .trim()
      .replace(/^v/, '');
    const executable = path.join(ELECTRON_DIR, 'dist', relative);
    return version === electronVersion() && fs.existsSync(executable) ? executable : null;
  } catch {
    return null;
  }
}

export function missingElectronMessage(detail) {
  const version = fs.existsSync(ELECTRON_DIR) ? electronVersion() : '(not installed)';
  const zip = `electron-v${version}-${process.platform}-${process.arch}.zip`;
  return [
    `tinyArms: the Electron ${version} binary is missing and could not be downloaded${detail ? ` (${detail})` : ''}.`,
    "  npm install leaves it out on purpose (package.json allowScripts turns electron's download off); npm start fetches it.",
    '  To fix: check the network or proxy and run npm start again; behind a firewall set',
    '    ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ (or your company mirror),',
    `  or put ${zip} from https://github.com/electron/electron/releases into the Electron cache`,
    '    (electron_config_cache, default ~/Library/Caches/electron on macOS) and run npm start again.',
    process.env.ELECTRON_SKIP_BINARY_DOWNLOAD
      ? '  ELECTRON_SKIP_BINARY_DOWNLOAD is set in your environment: unset it to allow the download.'
      : null,
    '  Without Electron, browser mode works: npx tinyarms serve',
  ]
    .filter(Boolean)
    .join('\n');
}

/** Returns the executable, downloading it first if needed; throws an Error with the full explanation. */
export function ensureElectron({ log = (line) => console.error(line) } = {}) {
  if (!fs.existsSync(path.join(ELECTRON_DIR, 'install.js')))
    throw new Error(missingElectronMessage('node_modules/electron is not installed: run npm install'));
  const ready = installedElectron();
  if (ready) return ready;
  log(`tinyArms: fetching the Electron ${electronVersion()} binary for ${process.platform}-${process.arch} (one time)…`);
  const result = spawnSync(process.execPath, [path.join(ELECTRON_DIR, 'install.js')], {
    cwd: ELECTRON_DIR,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  const executable = installedElectron();
  if (executable) return executable;
  const reason =
    (result.error?.message ?? result.stderr ?? '')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l && !l.startsWith('at ')) ?? `install.js exited with ${result.status}`;
  throw new Error(missingElectronMessage(reason.replace(/^Error:\s*/, '')));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensureElectron());
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
