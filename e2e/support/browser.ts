import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WINDOW_SIZES, type WindowRoute } from '../../contract/api';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';

export const CHROMIUM = process.env.TINYARMS_CHROMIUM ?? '/usr/bin/chromium';

export { WINDOW_SIZES };
export type Route = WindowRoute;

export interface BrowserSession {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless. Playwright refuses --user-data-dir with launch(): it gives every launch a
 * fresh temporary profile of its own, removed on close, which is what we want.
 */
export async function launchBrowser(): Promise<BrowserSession> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set TINYARMS_CHROMIUM)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}

/** A page at a window's size; time zone and locale pinned so dates render the same everywhere. */
export async function openWindowPage(
  browser: Browser,
  route: Route,
  colorScheme: 'light' | 'dark' = 'light',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: WINDOW_SIZES[route],
    deviceScaleFactor: 2,
    colorScheme,
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  return { context, page };
}

export const REPO_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const SCREENSHOT_DIR = path.join(REPO_DIR, 'screenshots');

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
