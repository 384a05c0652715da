import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe';
import { launchBrowser, openWindowPage, saveScreenshot, type BrowserSession } from './support/browser';
import { openRounds, startFileNamingSession, withEngine } from './support/seed';
import { makeDataDir, startServe, type ServeProcess } from './support/serve';

// An arm that has lost leaves the test: after eight votes split between A and C (B never picked, P(best) < 1%),
// the next round asks a two-way question, and the choice window lays out two options.

let browser: BrowserSession;
let serve: ServeProcess;

beforeAll(async () => {
  const dataDir = makeDataDir('lost-arm');
  await withEngine(dataDir, async (engine) => {
    const sessionId = await startFileNamingSession(engine, 12);
    for (let i = 0; i < 8; i++) {
      openRounds(engine, sessionId, 1, () => `Screenshot-early-${i}.png`);
      const round = engine.sessions.openRounds('file-naming').at(-1)!;
      const wanted = i % 2 === 0 ? 'a-hero' : 'c-choice';
      engine.vote(round.taskId, round.options.find((o) => o.output.startsWith(wanted))!.label);
    }
    openRounds(engine, sessionId, 1, () => 'Screenshot-2026-11-30 at 09.41.12.png');
  });
  serve = await startServe(dataDir);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('a lost arm', () => {
  it('leaves the choice window with two options', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { context, page } = await openWindowPage(browser.browser, 'choice', scheme);
      await page.goto(serve.windowUrl('choice'));
      await page.getByRole('radiogroup').waitFor();
      const outputs = await page.getByRole('radio').allTextContents();
      expect(outputs).toHaveLength(2);
      expect(outputs.join(' ')).not.toMatch(/b-blue-header/);
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, `serve-choice-two-options-${scheme}`);
      await context.close();
    }
  });
});
