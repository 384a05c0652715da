import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngBytes } from '../main/engine/files/test-fixtures';
import { launchBrowser, openWindowPage, saveScreenshot, type BrowserSession } from './support/browser';
import { writeConfig } from './support/seed';
import { makeDataDir, startServe, type ServeProcess } from './support/serve';
import { eventually, makeWatchedFolder, watchConfig, type WatchedFolder } from './support/watched-folder';

// Real files, a real watch and the real (toy) model: `tinyarms serve` watches a temporary folder; files that
// land there become rename suggestions in the popover; Accept and Edit rename them on disk, the skill's
// accuracy follows, and nothing outside the folder changes. The toy model writes nonsense names, which the
// engine makes safe; the test reads whatever it proposed instead of expecting particular words.

let browser: BrowserSession;
let serve: ServeProcess;
let folder: WatchedFolder;
let watched: string;

const SHOT = 'Screenshot 2026-11-02 at 09.41.12.png';
const NOTES = 'notes.txt';

beforeAll(async () => {
  folder = makeWatchedFolder('watch', 'Screenshots');
  watched = folder.watched;
  const dataDir = makeDataDir('files');
  writeConfig(dataDir, watchConfig(watched));
  serve = await startServe(dataDir);
  await eventually(
    () => serve.output().includes(`watching ${watched} for new files`),
    60_000,
    'the watch to start',
    () => serve.output(),
  );
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  folder?.cleanup();
});

describe('rename suggestions for a watched folder', () => {
  it('new files become suggestions; Accept and Edit rename them on disk and the skill’s accuracy moves', async () => {
    const { context, page } = await openWindowPage(browser.browser, 'popover');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(serve.windowUrl('popover'));
    const fileNaming = page.getByRole('listitem', { name: 'File Naming' });
    await fileNaming.waitFor();
    expect(await fileNaming.getByText('—').count()).toBe(1);

    fs.writeFileSync(path.join(watched, SHOT), pngBytes(8, 6));
    fs.writeFileSync(path.join(watched, NOTES), 'Grocery list: eggs, milk, coffee\n');

    const list = page.getByRole('list', { name: 'Rename suggestions' });
    const shot = list.getByRole('listitem', { name: SHOT });
    const notes = list.getByRole('listitem', { name: NOTES });
    await shot.waitFor({ timeout: 60_000 });
    await notes.waitFor({ timeout: 60_000 });
    await saveScreenshot(page, 'serve-popover-renames-light');

    const dark = await openWindowPage(browser.browser, 'popover', 'dark');
    await dark.page.goto(serve.windowUrl('popover'));
    await dark.page.getByRole('listitem', { name: NOTES }).waitFor();
    await saveScreenshot(dark.page, 'serve-popover-renames-dark');
    await dark.context.close();

    // Accept: the file takes the proposed name.
    const proposed = (await shot.locator('.proposal__name').textContent())!.trim();
    expect(proposed).toMatch(/\.png$/);
    await shot.getByRole('button', { name: 'Accept' }).click();
    await eventually(
      () => folder.listing().includes(proposed) && !folder.listing().includes(SHOT),
      60_000,
      `${SHOT} → ${proposed} on disk`,
      () => serve.output(),
    );
    await shot.waitFor({ state: 'detached' });
    await fileNaming.getByText('100%').waitFor();

    // Edit: the user's own name, extension kept.
    await notes.getByRole('button', { name: 'Edit' }).click();
    const field = page.getByRole('textbox', { name: `New name for ${NOTES}` });
    await field.fill('grocery list');
    await saveScreenshot(page, 'serve-popover-renames-edit-light');
    await field.press('Enter');
    await eventually(
      () => folder.listing().includes('grocery list.txt'),
      60_000,
      'notes.txt → grocery list.txt on disk',
      () => serve.output(),
    );
    await fileNaming.getByText('50%').waitFor();
    expect(fs.readFileSync(path.join(watched, 'grocery list.txt'), 'utf8')).toBe('Grocery list: eggs, milk, coffee\n');

    expect(folder.listing()).toEqual([proposed, 'grocery list.txt'].sort());
    await saveScreenshot(page, 'serve-popover-renamed-light');

    // Undo puts the last rename back.
    await page.getByRole('button', { name: 'Undo Last Rename' }).click();
    await page.getByText(`Restored ${NOTES} (was grocery list.txt)`).waitFor();
    expect(folder.listing()).toEqual([NOTES, proposed].sort());

    // Nothing outside the watched folder changed.
    expect(folder.surroundingsIntact()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
