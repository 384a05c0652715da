import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openWindowPage, type BrowserSession } from './support/browser';
import { makeDataDir, startServe, type ServeProcess } from './support/serve';

// Browser mode's guard: API calls and the event stream need the token; requests for another Host are refused;
// a page opened without the token says what to open instead.

let serve: ServeProcess;

beforeAll(async () => {
  serve = await startServe(makeDataDir('auth'));
});

afterAll(async () => {
  await serve?.stop();
});

const post = (method: string, headers: Record<string, string> = {}) =>
  fetch(`${serve.origin}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '[]' });

function getWithHost(pathname: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(serve.origin);
    const request = http.request(
      { hostname: url.hostname, port: url.port, path: pathname, method: 'GET', headers: { host } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

describe('token', () => {
  it('refuses API calls without the token or with a wrong one', async () => {
    const missing = await post('getState');
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ ok: false, code: 'unauthorized' });
    expect((await post('getState', { 'x-tinyarms-token': 'not-the-token' })).status).toBe(401);
    const ok = await post('getState', { 'x-tinyarms-token': serve.token });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, value: { revision: expect.any(Number) } });
  });

  it('refuses the event stream without the token', async () => {
    const response = await fetch(`${serve.origin}/api/events`, { headers: { accept: 'text/event-stream' } });
    expect(response.status).toBe(401);
    await response.body?.cancel();
  });

  it('refuses a request for another Host (DNS rebinding)', async () => {
    expect(await getWithHost(`/?token=${serve.token}`, 'evil.example:80')).toBe(403);
  });

  it('shows a page opened without the token what to open instead', async () => {
    let browser: BrowserSession | null = null;
    try {
      browser = await launchBrowser();
      const { context, page } = await openWindowPage(browser.browser, 'popover');
      await page.goto(`${serve.origin}/#/popover`);
      await page.getByText('Can’t connect').waitFor();
      expect(await page.getByRole('alert').textContent()).toContain('tinyarms serve');
      await context.close();
    } finally {
      await browser?.close();
    }
  });
});
