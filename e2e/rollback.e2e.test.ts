import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openWindowPage, saveScreenshot, type BrowserSession } from './support/browser';
import { cliJson } from './support/cli';
import { startFileNamingSession, withEngine } from './support/seed';
import { makeDataDir, startServe, type ServeProcess } from './support/serve';

// A rollback from the history view: file-naming has versions 1 and 2 (B promoted by hand); the user compares
// them, rolls back to version 1 after the confirmation, and the engine runs version 1 again.

let browser: BrowserSession;
let serve: ServeProcess;

beforeAll(async () => {
  const dataDir = makeDataDir('rollback');
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

type History = { versions: { version: number; activeTo: string | null; source: string | null }[] };

describe('rollback', () => {
  it('says the promoted version is not measured yet until it has results, light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { context, page } = await openWindowPage(browser.browser, 'preferences', scheme);
      await page.goto(serve.windowUrl('preferences'));
      await page.getByRole('tab', { name: 'History' }).click();
      await page.getByLabel('Skill').selectOption('file-naming');
      await page.getByText(/version 2: \d+% → not measured yet\.$/).waitFor();
      await saveScreenshot(page, `serve-preferences-history-promoted-${scheme}`);
      await context.close();
    }
  });

  it('rolls back to an earlier version from the history view', async () => {
    const { context, page } = await openWindowPage(browser.browser, 'preferences');
    await page.goto(serve.windowUrl('preferences'));
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByLabel('Skill').selectOption('file-naming');

    const list = page.getByRole('list', { name: 'Prompt versions' });
    await list.getByText('Current').waitFor();
    expect(await list.getByRole('listitem').count()).toBe(2);

    await page.getByRole('checkbox', { name: /Select version 1/ }).check();
    await page.getByRole('checkbox', { name: /Select version 2/ }).check();
    const diff = page.getByRole('region', { name: 'Changes from version 1 to version 2' });
    await diff.waitFor();
    expect(await diff.textContent()).toContain('Describe the image as a filename');
    await saveScreenshot(page, 'serve-preferences-history-diff-light');

    await page.getByRole('checkbox', { name: /Select version 2/ }).uncheck();
    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    const sheet = page.getByRole('alertdialog', { name: 'Roll back File Naming to version 1?' });
    await sheet.waitFor();
    await saveScreenshot(page, 'serve-preferences-rollback-confirm-light');
    await sheet.getByRole('button', { name: 'Roll Back' }).click();

    await page.getByText('File Naming now runs version 1.').waitFor();
    const rows = list.getByRole('listitem');
    await rows.nth(2).waitFor();
    expect(await rows.first().textContent()).toMatch(/^v1Current/);

    const history = cliJson<History>(serve.dataDir, ['prompt', 'history', 'file-naming']).versions;
    expect(history.map((h) => [h.version, h.activeTo === null, h.source])).toEqual([
      [1, false, expect.anything()],
      [2, false, 'promotion'],
      [1, true, 'rollback'],
    ]);

    // The popover shows the version in use.
    await page.goto(serve.windowUrl('popover'));
    await page.getByRole('listitem', { name: 'File Naming' }).getByText('v1').waitFor();
    await context.close();
  });
});
