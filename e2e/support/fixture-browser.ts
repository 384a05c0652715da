import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, type BrowserSession } from './browser';
import { startFixtureServer } from './fixture-server';

/** The fixture pages' server and a browser, started before a file's tests and closed after them. */
export interface FixtureBrowser {
  readonly browser: BrowserSession['browser'];
  /** The fixture server's origin, e.g. http://127.0.0.1:51234. */
  readonly url: string;
}

/** Registers the file's beforeAll / afterAll: call it once at the top of a test file. */
export function fixtureBrowserForFile(): FixtureBrowser {
  let session: BrowserSession | undefined;
  let server: Awaited<ReturnType<typeof startFixtureServer>> | undefined;
  beforeAll(async () => {
    server = await startFixtureServer();
    session = await launchBrowser();
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });
  return {
    get browser() {
      return session!.browser;
    },
    get url() {
      return server!.url;
    },
  };
}
