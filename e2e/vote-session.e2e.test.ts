import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe';
import { launchBrowser, openWindowPage, saveScreenshot, type BrowserSession } from './support/browser';
import { cliJson } from './support/cli';
import { openRounds, recordServed, startFileNamingSession, withEngine } from './support/seed';
import { makeDataDir, startServe, type ServeProcess } from './support/serve';

// A whole A/B test in the choice window against the real engine, as a person votes it: no confidence and no
// leader before a vote, what the vote did right after (every option's chance of being the best), an Undo that
// takes the vote back, and Next, until the engine decides. Arm C is picked every time; its served results
// (10 of 10 kept) beat the old prompt (12 of 20), so as soon as P(best) ≥ decision_confidence (0.985; 7 votes)
// the engine promotes it.

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

const votes = () => cliJson<{ votes: number }>(serve.dataDir, ['prompt', 'results', 'file-naming']).votes;

describe('vote session', () => {
  it('votes without being told who leads, sees what each vote did, takes one back, and ends with the promotion', async () => {
    for (const scheme of ['dark', 'light'] as const) {
      const { context, page } = await openWindowPage(browser.browser, 'choice', scheme);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(serve.windowUrl('choice'));
      await page.getByRole('radiogroup').waitFor();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('File Naming: Which name is better?');
      // Before the vote: nothing says who leads, no bar, no percentage, nothing focused.
      expect(await page.getByRole('meter').count()).toBe(0);
      expect(await page.locator('body').textContent()).not.toMatch(/lead|%|confiden/i);
      expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
      expect(await page.getByText('PNG image').isVisible()).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, `serve-choice-before-vote-${scheme}`);
      if (scheme === 'dark') {
        await context.close();
        continue;
      }

      // A vote: the reveal shows every option's chance of being the best; Undo takes it back.
      const first = page.getByRole('radio', { name: /c-choice-/ });
      const input = await page.locator('.task-card__name').textContent();
      await first.click();
      await page.getByText(/^ ?Your vote for option \d counts\.$/).waitFor();
      expect(await page.getByRole('meter').count()).toBe(3);
      expect(await page.getByText('Your pick').count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, 'serve-choice-reveal-light');
      expect(votes()).toBe(1);
      await page.getByRole('button', { name: 'Undo' }).click();
      await page.getByRole('radiogroup').waitFor();
      expect(await page.locator('.task-card__name').textContent()).toBe(input);
      expect(await page.getByRole('meter').count()).toBe(0);
      expect(votes()).toBe(0);

      // Vote by click and by number key, Next after each reveal, until the test is decided.
      let cast = 0;
      while (!(await page.getByText(/^The test is decided/).isVisible())) {
        expect(cast).toBeLessThan(14);
        const pick = page.getByRole('radio', { name: /c-choice-/ });
        await pick.waitFor();
        if (cast % 2 === 0) await pick.click();
        else await page.keyboard.press((await pick.textContent())!.trim()[0]);
        cast++;
        await page.getByRole('button', { name: 'Next' }).waitFor();
        if (await page.getByText(/^The test is decided/).isVisible()) break;
        await page.getByRole('button', { name: 'Next' }).click();
      }
      expect(cast).toBe(7);
      expect(await page.getByText('The test is decided: the new prompt is now in use (version 2).').isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Undo' }).count()).toBe(0);
      await saveScreenshot(page, 'serve-choice-decided-light');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText('Thank you: that was every vote for now.').waitFor();
      await saveScreenshot(page, 'serve-choice-done-light');

      // The popover follows: version 2, promoted, no votes waiting.
      await page.goto(serve.windowUrl('popover'));
      const fileNaming = page.getByRole('listitem', { name: 'File Naming' });
      await fileNaming.getByText('v2').waitFor();
      expect(await fileNaming.getByText('Promoted', { exact: true }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Vote…' }).count()).toBe(0);

      const { versions } = cliJson<{ versions: { version: number; activeTo: string | null }[] }>(serve.dataDir, [
        'prompt',
        'history',
        'file-naming',
      ]);
      expect(versions.map((h) => [h.version, h.activeTo === null])).toEqual([
        [1, false],
        [2, true],
      ]);
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
