import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openWindowPage, saveScreenshot, type BrowserSession } from './support/browser';
import { cliJson } from './support/cli';
import { openRounds, recordServed, startFileNamingSession, withEngine } from './support/seed';
import { makeDataDir, startServe, type ServeProcess } from './support/serve';

// A whole A/B test in the choice window against the real engine: from the first vote to the decision and the
// promotion. Arm C is picked every time; its served tasks (10 of 10 accepted) beat the old prompt (12 of 20), so
// as soon as P(best) ≥ decision_confidence (0.985; Dirichlet(1, 1, 8), 7 votes: 0.9923) the engine promotes it.

let browser: BrowserSession;
let serve: ServeProcess;

beforeAll(async () => {
  const dataDir = makeDataDir('vote');
  await withEngine(dataDir, async (engine) => {
    const sessionId = await startFileNamingSession(engine, 12);
    recordServed(engine, 'file-naming', 'C', 10, 10);
    openRounds(engine, sessionId, 14);
  });
  serve = await startServe(dataDir);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('vote session', () => {
  it('votes in the choice window until the engine promotes the winner', async () => {
    const { context, page } = await openWindowPage(browser.browser, 'choice');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(serve.windowUrl('choice'));

    await page.getByText('Votes so far: 0/50').waitFor();
    expect(await page.getByRole('heading', { name: 'File Naming — help us improve' }).isVisible()).toBe(true);
    await saveScreenshot(page, 'serve-choice-first-vote-light');

    const thanks = page.getByRole('heading', { name: 'Thanks — nothing else to vote on' });
    let votes = 0;
    while (!(await thanks.isVisible())) {
      expect(votes).toBeLessThan(14);
      const pick = page.getByRole('radio', { name: /c-choice-/ });
      await pick.waitFor();
      const expected = `Votes so far: ${votes + 1}/50`;
      // Every other vote by keyboard: the option's number key.
      if (votes % 2 === 0) await pick.click();
      else await page.keyboard.press((await pick.getAttribute('aria-label'))!.slice('Option '.length, 'Option '.length + 1));
      votes++;
      await Promise.race([page.getByText(expected).waitFor(), thanks.waitFor()]);
    }
    expect(votes).toBe(7);
    await page.getByText(/Variant C promoted: 100% accuracy against 60%/).waitFor();
    await saveScreenshot(page, 'serve-choice-thanks-light');

    // The popover follows: version 2, no A/B test, no votes waiting.
    await page.goto(serve.windowUrl('popover'));
    const fileNaming = page.getByRole('listitem', { name: 'File Naming' });
    await fileNaming.getByText('v2').waitFor();
    expect(await page.getByRole('button', { name: /Vote now/ }).count()).toBe(0);

    const history = cliJson<{ version: number; active_to: string | null; evolution_source: string | null }[]>(serve.dataDir, ['prompt', 'history', 'file-naming']);
    expect(history.map((h) => [h.version, h.active_to === null])).toEqual([[1, false], [2, true]]);
    const results = cliJson<{ session: { status: string; outcome: string } }>(serve.dataDir, ['prompt', 'results', 'file-naming']);
    expect(results.session).toMatchObject({ status: 'completed', outcome: 'promoted' });
    expect(errors).toEqual([]);
    await context.close();
  });
});
