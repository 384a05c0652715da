import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openWindowPage, saveScreenshot, type BrowserSession, type Route } from './support/browser';
import { startFixtureServer } from './support/fixture-server';

// The three windows with realistic demo data (fake engine: an evolution in progress, a running A/B test,
// votes waiting), in light and dark mode at the windows' sizes. Saved under screenshots/ (not committed).

let session: BrowserSession;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  server = await startFixtureServer();
  session = await launchBrowser();
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

const ready: Record<Route, string> = {
  popover: 'Vote now (3 waiting)',
  choice: 'Screenshot-2026-10-27.png',
  preferences: 'Launch at login',
};

describe.each(['light', 'dark'] as const)('demo windows in %s mode', (scheme) => {
  it.each(['popover', 'choice', 'preferences'] as const)('%s', async (route) => {
    const { context, page } = await openWindowPage(session.browser, route, scheme);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/fixture.html${route === 'popover' ? '?issues=1' : ''}#/${route}`);
    await page.getByText(ready[route]).first().waitFor();
    await saveScreenshot(page, `demo-${route}-${scheme}`);
    if (route === 'preferences') {
      await page.getByRole('tab', { name: 'A/B Testing' }).click();
      await saveScreenshot(page, `demo-preferences-testing-${scheme}`);
      await page.getByRole('tab', { name: 'Model' }).click();
      await saveScreenshot(page, `demo-preferences-model-${scheme}`);
      await page.getByRole('tab', { name: 'History' }).click();
      await page.getByRole('checkbox', { name: /Select version 1/ }).check();
      await page.getByRole('checkbox', { name: /Select version 2/ }).check();
      await page.getByText('v1 → v2').waitFor();
      await saveScreenshot(page, `demo-preferences-history-${scheme}`);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('browser mode on a large screen', () => {
  it('shows each window at its own size, floating on the page', async () => {
    const context = await session.browser.newContext({ viewport: { width: 1024, height: 700 }, colorScheme: 'light', locale: 'en-US', timezoneId: 'UTC' });
    const page = await context.newPage();
    await page.goto(`${server.url}/fixture.html#/popover`);
    await page.getByText('Vote now (3 waiting)').waitFor();
    const box = await page.locator('.window').boundingBox();
    expect(box && [Math.round(box.width), Math.round(box.height)]).toEqual([360, 480]);
    await saveScreenshot(page, 'demo-browser-large-screen-light');
    // Vote now navigates to the choice window within the same page.
    await page.getByRole('button', { name: 'Vote now (3 waiting)' }).click();
    await page.getByText('Screenshot-2026-10-27.png').waitFor();
    expect(page.url()).toMatch(/#\/choice$/);
    await context.close();
  });
});

describe.each(['light', 'dark'] as const)('rename suggestions in %s mode', (scheme) => {
  it('popover with a name and a vote to pick from', async () => {
    const { context, page } = await openWindowPage(session.browser, 'popover', scheme);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/fixture.html?renames=1&empty=1#/popover`);
    await page.getByText('Which name is best?').waitFor();
    await saveScreenshot(page, `demo-popover-renames-${scheme}`);
    expect(errors).toEqual([]);
    await context.close();
  });
});
