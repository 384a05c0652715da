import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openWindowPage, saveScreenshot, type BrowserSession } from './support/browser';
import { makeDataDir, startServe, type ServeProcess } from './support/serve';

// Browser mode when `tinyarms serve` goes away under an open page: the page keeps what it shows and says that it
// is reconnecting (and so may be out of date), instead of silently showing a stale state.

let serve: ServeProcess | null = null;
let browser: BrowserSession | null = null;

beforeAll(async () => {
  serve = await startServe(makeDataDir('connection'));
  browser = await launchBrowser();
});

afterAll(async () => {
  await serve?.stop();
  await browser?.close();
});

describe('connection', () => {
  it('says it is reconnecting when the server stops, and keeps the last state on screen', async () => {
    const opened = [];
    for (const scheme of ['light', 'dark'] as const) {
      const { context, page } = await openWindowPage(browser!.browser, 'popover', scheme);
      await page.goto(serve!.windowUrl('popover'));
      await page.getByRole('list', { name: 'Skills' }).waitFor();
      expect(await page.getByText('Reconnecting…').count()).toBe(0);
      opened.push({ context, page, scheme });
    }

    await serve!.stop();
    serve = null;
    for (const { context, page, scheme } of opened) {
      await page.getByText('Reconnecting…').waitFor({ timeout: 15_000 });
      // The banner sits above the window, not over its header; the window is inert meanwhile.
      expect(await page.getByRole('button', { name: 'Check accuracy now' }).isVisible()).toBe(true);
      expect(await page.locator('.app__content[inert]').count()).toBe(1);
      expect(await page.getByRole('alert').first().textContent()).toContain('tinyarms serve');
      expect(await page.getByRole('list', { name: 'Skills' }).isVisible()).toBe(true);
      await saveScreenshot(page, `popover-reconnecting-${scheme}`);
      await context.close();
    }
  });
});
