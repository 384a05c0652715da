import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openWindowPage, saveScreenshot, type BrowserSession } from './support/browser';
import { cliJson } from './support/cli';
import { startFileNamingSession, withEngine } from './support/seed';
import { makeDataDir, startServe, type ServeProcess } from './support/serve';

// Reset to the default prompt from Preferences › History (issue 15 §2): file-naming runs version 2 (B promoted by
// hand); the person resets it after the confirm sheet; the engine runs version 1 again, and every version is kept.

let browser: BrowserSession;
let serve: ServeProcess;

beforeAll(async () => {
  const dataDir = makeDataDir('reset');
  await withEngine(dataDir, async (engine) => {
    await startFileNamingSession(engine, 15);
    engine.promoteByHand('file-naming', 'B');
  });
  serve = await startServe(dataDir);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

type History = { versions: { version: number; activeTo: string | null; source: string | null; notes: string | null }[] };

describe('reset to default prompt', () => {
  it('resets a skill from Preferences after the confirm sheet, keeping its history', async () => {
    const { context, page } = await openWindowPage(browser.browser, 'preferences');
    await page.goto(serve.windowUrl('preferences'));
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByLabel('Skill').selectOption('file-naming');
    await page.getByRole('list', { name: 'Prompt versions' }).getByText('Current').waitFor();

    await page.getByRole('button', { name: 'Reset to Default Prompt…' }).click();
    const sheet = page.getByRole('alertdialog', { name: 'Reset File Naming to its default prompt?' });
    await sheet.waitFor();
    expect(await sheet.textContent()).toContain('Version 2 and every other version stay in the history');
    await saveScreenshot(page, 'serve-preferences-reset-confirm-light');
    await sheet.getByRole('button', { name: 'Reset' }).click();

    await page.getByText('File Naming now runs its default prompt (version 1). To undo, select version 2 and roll back to it.').waitFor();
    await saveScreenshot(page, 'serve-preferences-reset-done-light');
    expect(await page.getByRole('button', { name: 'Reset to Default Prompt…' }).isDisabled()).toBe(true);

    const history = cliJson<History>(serve.dataDir, ['prompt', 'history', 'file-naming']).versions;
    expect(history.map((h) => [h.version, h.activeTo === null, h.source])).toEqual([
      [1, false, expect.anything()],
      [2, false, 'promotion'],
      [1, true, 'rollback'],
    ]);
    expect(history[2].notes).toBe('reset to the default prompt from version 2');
    await context.close();
  });
});
