import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe';
import { launchBrowser, openWindowPage, saveScreenshot, type BrowserSession } from './support/browser';
import { cliJson } from './support/cli';
import { openRounds, startFileNamingSession, withEngine } from './support/seed';
import { makeDataDir, startServe, type ServeProcess } from './support/serve';

// Two data folders share one team folder (issue 15 §3), as a sync tool would keep it. Alice runs an A/B test of
// file-naming and has voted three times for one arm; Bob's app (tinyarms serve) offers her test in the popover,
// runs it too with one click, and the test's results count Alice's picks beside Bob's own.

let browser: BrowserSession;
let serve: ServeProcess;
let teamDir: string;
let bobDir: string;

beforeAll(async () => {
  teamDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-e2e-team-'));
  await withEngine(makeDataDir('team-alice'), async (engine) => {
    engine.team.join(teamDir, 'alice');
    const sessionId = await startFileNamingSession(engine, 12);
    openRounds(engine, sessionId, 3);
    for (const round of engine.sessions.openRounds('file-naming')) {
      engine.vote(round.taskId, round.options.find((o) => o.output.startsWith('c-choice'))!.label);
    }
  });
  bobDir = makeDataDir('team-bob');
  await withEngine(bobDir, (engine) => engine.team.join(teamDir, 'bob'));
  serve = await startServe(bobDir);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  fs.rmSync(teamDir, { recursive: true, force: true });
});

type Results = { arms: { letter: string }[]; team: { weight: number; members: { member: string; picks: number }[] } | null };

describe('a team in the app', () => {
  it("offers a teammate's test in the popover; Vote Too runs it here and pools her votes", async () => {
    const { context, page } = await openWindowPage(browser.browser, 'popover');
    await page.goto(serve.windowUrl('popover'));
    await page.getByText('alice is testing 3 prompts.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreenshot(page, 'serve-popover-team-offer-light');
    await page.getByRole('button', { name: 'Vote Too' }).click();
    await page
      .getByText(/^Testing/)
      .first()
      .waitFor();
    expect(await page.getByText('alice is testing 3 prompts.').count()).toBe(0);

    const results = cliJson<Results>(bobDir, ['prompt', 'results', 'file-naming']);
    expect(results.arms).toHaveLength(3);
    expect(results.team).toEqual({ weight: 0.5, members: [{ member: 'alice', picks: 3 }] });
    await context.close();
  });

  it('shows the teammate and the test joined in Preferences › Team', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { context, page } = await openWindowPage(browser.browser, 'preferences', scheme);
      await page.goto(serve.windowUrl('preferences'));
      await page.getByRole('tab', { name: 'Team' }).click();
      const alice = page.getByRole('listitem', { name: 'alice' });
      await alice.getByText('You run this test too: your votes pool.').waitFor();
      expect(await page.getByText(`You are bob there.`).count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, `serve-preferences-team-${scheme}`);
      await context.close();
    }
  });
});
