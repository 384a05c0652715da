import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron as electron } from 'playwright';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from './support/browser';
import { makeDataDir, removeDataDir, RENDERER_INDEX } from './support/serve';

// Smoke test of the real Electron app: it starts, a window loads the renderer and gets window.tinyArms from the
// preload. Runs only where an Electron binary is installed (the package's download script is off in this
// repository's allowScripts) and the app's entry point exists; otherwise it is skipped, saying why.

function electronBinary(): { binary: string } | { reason: string } {
  let resolved: unknown;
  try {
    resolved = createRequire(import.meta.url)('electron');
  } catch (error) {
    return {
      reason: `no Electron binary (${(error as Error).message.split('\n')[0]}); install it with \`node node_modules/electron/install.js\``,
    };
  }
  if (typeof resolved !== 'string' || !fs.existsSync(resolved)) return { reason: `the Electron binary ${String(resolved)} does not exist` };
  try {
    fs.accessSync(resolved, fs.constants.X_OK);
  } catch {
    return { reason: `the Electron binary ${resolved} is not executable` };
  }
  return { binary: resolved };
}

function appEntry(): { entry: string } | { reason: string } {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8')) as { main?: string };
  if (!pkg.main) return { reason: 'package.json has no "main" (the Electron entry point)' };
  const entry = path.resolve(REPO_DIR, pkg.main);
  if (!fs.existsSync(entry)) return { reason: `the Electron entry ${pkg.main} is not built` };
  if (!fs.existsSync(RENDERER_INDEX)) return { reason: 'renderer/dist is not built (npm run build:renderer)' };
  return { entry };
}

const binary = electronBinary();
const app = appEntry();
const skipReason = 'reason' in binary ? binary.reason : 'reason' in app ? app.reason : null;
if (skipReason) console.warn(`electron smoke test skipped: ${skipReason}`);

describe('Electron', () => {
  it.skipIf(skipReason !== null)(
    `starts, loads the renderer and exposes window.tinyArms${skipReason ? ` (skipped: ${skipReason})` : ''}`,
    async () => {
      if ('reason' in binary) throw new Error(binary.reason);
      const dataDir = makeDataDir('electron');
      const application = await electron.launch({
        executablePath: binary.binary,
        args: ['--no-sandbox', REPO_DIR],
        cwd: REPO_DIR,
        env: { ...process.env, TINYARMS_HOME: dataDir, ELECTRON_ENABLE_LOGGING: '1' },
        timeout: 60_000,
      });
      try {
        const page = await application.firstWindow();
        await page.waitForLoadState('domcontentloaded');
        expect(page.url()).toMatch(/#\/(popover|choice|preferences)/);
        const state = await page.evaluate(async () => {
          const api = (window as unknown as { tinyArms?: { getState(): Promise<{ dataDir: string; skills: unknown[] }> } }).tinyArms;
          if (!api) return null;
          const s = await api.getState();
          return { dataDir: s.dataDir, skills: s.skills.length };
        });
        expect(state).toEqual({ dataDir: fs.realpathSync(dataDir), skills: expect.any(Number) });
        await page.getByText('tinyArms').first().waitFor();
      } finally {
        await application.close();
        removeDataDir(dataDir);
      }
    },
  );
});
