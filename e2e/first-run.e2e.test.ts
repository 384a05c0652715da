import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngBytes } from '../main/engine/files/test-fixtures';
import { seriousViolations } from './support/axe';
import { launchBrowser, openWindowPage, saveScreenshot, type BrowserSession } from './support/browser';
import { FIXTURE_MODEL, makeDataDir, startServe, type ServeProcess } from './support/serve';
import { eventually, makeWatchedFolder, type WatchedFolder } from './support/watched-folder';

// A new user's first run in browser mode: `tinyarms serve` on an empty data folder, no model, no config.yaml. The
// popover says what tinyArms needs; "Choose a model file…" takes a typed path (a browser has no open dialog),
// refuses one that is not there at the field, and takes the fixture model; then it watches the screenshots folder,
// Change… points it elsewhere, and a new file there gets a name that Accept puts on disk. (HOME is a temporary
// folder, so the default screenshots folder is one this test made.)

let browser: BrowserSession;
let serve: ServeProcess;
let home: string;
let folder: WatchedFolder;

beforeAll(async () => {
  home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-e2e-home-')));
  fs.mkdirSync(path.join(home, 'Pictures', 'Screenshots'), { recursive: true });
  folder = makeWatchedFolder('first-run', 'Inbox');
  serve = await startServe(makeDataDir('first-run'), { env: { HOME: home }, watchOff: false });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  folder?.cleanup();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('first run', () => {
  it('gets from no model to a working file-naming skill, without meeting an id or a config key', async () => {
    for (const scheme of ['dark', 'light'] as const) {
      const { context, page } = await openWindowPage(browser.browser, 'popover', scheme);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(serve.windowUrl('popover'));
      const card = page.getByRole('region', { name: 'tinyArms needs a language model' });
      await card.waitFor();
      expect(await card.getByRole('button', { name: 'Download SmolLM2 (≈ 270 MB)' }).isVisible()).toBe(true);
      expect(await page.locator('.button--default').count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, `serve-popover-first-run-${scheme}`);
      if (scheme === 'dark') {
        await context.close();
        continue;
      }

      await card.getByRole('button', { name: 'Choose a model file…' }).click();
      const field = card.getByLabel('Model file (.gguf)');
      await field.fill('/nowhere/model.gguf');
      await card.getByRole('button', { name: 'Use This File' }).click();
      await card.getByRole('alert').getByText('There is nothing at /nowhere/model.gguf.').waitFor();
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      await saveScreenshot(page, 'serve-popover-first-run-refused-light');
      await field.fill(FIXTURE_MODEL);
      await card.getByRole('button', { name: 'Use This File' }).click();
      await card.waitFor({ state: 'detached' });

      // Watching the screenshots folder, with Change….
      await page.getByText('Watching ~/Pictures/Screenshots').waitFor();
      await page.getByText('New files in ~/Pictures/Screenshots get a name suggestion here.').waitFor({ timeout: 60_000 });
      await saveScreenshot(page, 'serve-popover-watching-light');
      await page.getByRole('button', { name: 'Change…' }).click();
      await page.getByLabel('Folder to watch').fill(folder.watched);
      await page.getByRole('button', { name: 'Watch', exact: true }).click();
      await page.getByText(`Watching ${folder.watched}`).waitFor();
      await eventually(
        () => serve.output().includes(`watching ${folder.watched} for new files`),
        60_000,
        'the watch to move',
        () => serve.output(),
      );

      // A new file gets a name; Accept renames it on disk and says so.
      fs.writeFileSync(path.join(folder.watched, 'Screenshot 2026-11-30 at 10.00.00.png'), pngBytes(8, 8));
      const row = page
        .getByRole('list', { name: 'Rename suggestions' })
        .getByRole('listitem', { name: 'Screenshot 2026-11-30 at 10.00.00.png' });
      await row.waitFor({ timeout: 90_000 });
      expect(await row.getByText(/^PNG image · /).count()).toBe(1);
      await saveScreenshot(page, 'serve-popover-first-name-light');
      const proposed = (await row.locator('.proposal__name').textContent())!;
      await row.getByRole('button', { name: 'Accept' }).click();
      await page.getByRole('status').getByText(`Renamed Screenshot 2026-11-30 at 10.00.00.png to ${proposed}.`).waitFor();
      await eventually(() => folder.listing().includes(proposed), 30_000, `${proposed} on disk`);
      expect(folder.surroundingsIntact()).toBe(true);
      expect(await page.locator('body').textContent()).not.toMatch(/prompt_evolution|model_path|ses_|evo_|fp_|task\(s\)/);
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
