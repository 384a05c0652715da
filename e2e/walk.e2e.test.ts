import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngBytes } from '../main/engine/files/test-fixtures';
import { launchBrowser, openWindowPage, saveScreenshot, type BrowserSession } from './support/browser';
import { withEngine } from './support/seed';
import { FIXTURE_MODEL, makeDataDir, startServe, type ServeProcess } from './support/serve';

// The "done when", walked in one go in browser mode on the real engine, SQLite and the fixture model: a new
// user opens the page with no model, chooses a model file, gets names for new screenshots (and corrects most of
// them, so file naming needs a better prompt), asks for one, votes through the test in the popover without being
// told who leads, reviews the winner and promotes it, and never meets an id, a config key or a contradiction.
// Only the evolution is made small in config.yaml (the toy model would take eight minutes at the defaults), and
// HOME is a temporary folder, so "the screenshots folder" is one this test made. The voter has a taste: the same
// prompt every time (the test looks up which option is which; the page never says), and asks in Preferences to
// review a winner unless it gains 50 points (the test's votes come with kept names, so it would gain that much).

const LEAKS = /ses_|evo_|fp_|var_|task\(s\)|P\(best\)|prompt_evolution|model_path|Variant [A-J]\b/;

let browser: BrowserSession;
let serve: ServeProcess;
let home: string;
let shots: string;

beforeAll(async () => {
  home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-e2e-walk-home-')));
  shots = path.join(home, 'Pictures', 'Screenshots');
  fs.mkdirSync(shots, { recursive: true });
  const dataDir = makeDataDir('walk');
  fs.writeFileSync(
    path.join(dataDir, 'config.yaml'),
    [
      'watch:',
      '  settle_ms: 200',
      'prompt_evolution:',
      '  evolution:',
      '    population_size: 4',
      '    generations: 2',
      '    evaluation_samples: 2',
      '    final_evaluation_samples: 3',
      '    max_tokens: 8',
      '    context_size: 1024',
      '    seed: 7',
      '',
    ].join('\n'),
  );
  serve = await startServe(dataDir, { env: { HOME: home }, watchOff: false });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

/** The label that shows the first prompt of the test (arm A) in a file's vote, read from the database. */
async function labelOfFirstPrompt(name: string): Promise<string> {
  return withEngine(serve.dataDir, (engine) => {
    const row = engine.ctx.db.prepare(`SELECT task_id FROM file_proposals WHERE name = ? AND status = 'pending'`).get(name) as {
      task_id: string;
    };
    const round = engine.ctx.db.prepare(`SELECT session_id, options FROM vote_rounds WHERE task_id = ?`).get(row.task_id) as {
      session_id: string;
      options: string;
    };
    const first = engine.sessions.variants(round.session_id).find((v) => v.variant_letter === 'A')!;
    return (JSON.parse(round.options) as { label: string; variant_id: string }[]).find((o) => o.variant_id === first.id)!.label;
  });
}

describe('a new user, from no model to a promoted prompt', () => {
  it('walks through the first run, a test and a promotion', async () => {
    const { context, page } = await openWindowPage(browser.browser, 'popover');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const noLeaks = async () => expect(await page.locator('body').textContent()).not.toMatch(LEAKS);
    await page.goto(serve.windowUrl('popover'));

    // 1. No model: the popover says what it needs, and takes a model file.
    const card = page.getByRole('region', { name: 'tinyArms needs a language model' });
    await card.getByRole('button', { name: 'Choose a model file…' }).click();
    await card.getByLabel('Model file (.gguf)').fill(FIXTURE_MODEL);
    await card.getByRole('button', { name: 'Use This File' }).click();
    await page.getByText('Watching ~/Pictures/Screenshots').waitFor();
    await noLeaks();

    // A careful person: a winner is promoted on its own only if it gains 50 points; otherwise they review it.
    await page.goto(serve.windowUrl('preferences'));
    await page.getByRole('tab', { name: 'Evolution' }).click();
    await page.getByLabel('Promote a gain of').fill('50');
    await page.getByLabel('Promote a gain of').press('Enter');
    await expect.poll(() => page.getByLabel('Promote a gain of').inputValue()).toBe('50');
    await page.goto(serve.windowUrl('popover'));

    // 2. Screenshots get names; the person keeps 12 and corrects 8.
    const list = page.getByRole('list', { name: 'Rename suggestions' });
    const fileNaming = page.getByRole('listitem', { name: 'File Naming' });
    for (let i = 0; i < 20; i++) {
      const name = `Screenshot 2026-11-30 at 09.${String(i).padStart(2, '0')}.00.png`;
      fs.writeFileSync(path.join(shots, name), pngBytes(4 + i, 4));
      const row = list.getByRole('listitem', { name });
      await row.waitFor({ timeout: 60_000 });
      if (i < 12) {
        await row.getByRole('button', { name: 'Accept' }).click();
      } else {
        await row.getByRole('button', { name: 'Edit' }).click();
        await row.getByRole('textbox').fill(`meeting-notes-${i}`);
        await row.getByRole('textbox').press('Enter');
      }
      await row.waitFor({ state: 'detached' });
    }
    await fileNaming.getByText('Needs a better prompt').waitFor();
    await fileNaming
      .getByText('You kept 60% of its last 20 results, below your 80%. Evolve now, or tinyArms starts at its next check.')
      .waitFor();
    await saveScreenshot(page, 'walk-needs-a-better-prompt-light');
    await noLeaks();

    // 3. Evolve now: progress from the first second, then the test.
    await fileNaming.getByRole('button', { name: 'Evolve Now' }).click();
    await fileNaming.getByRole('region', { name: 'Evolution of File Naming' }).waitFor();
    await fileNaming.getByText(/^Testing \(no votes yet/).waitFor({ timeout: 120_000 });
    await saveScreenshot(page, 'walk-testing-light');

    // 4. New screenshots: about half ask which name fits; nothing says which prompt leads.
    for (let i = 0; i < 60 && !(await fileNaming.getByText('Ready to review').isVisible()); i++) {
      const name = `Screenshot 2026-11-30 at 10.${String(i).padStart(2, '0')}.00.png`;
      fs.writeFileSync(path.join(shots, name), pngBytes(30 + i, 5));
      const row = list.getByRole('listitem', { name });
      await row.waitFor({ timeout: 60_000 });
      await noLeaks();
      expect(await page.getByText(/lead/i).count()).toBe(0);
      if (await row.getByText('Which name fits best?').isVisible()) {
        const label = await labelOfFirstPrompt(name);
        await row.getByRole('button', { name: new RegExp(`^${label} `) }).click();
      } else {
        await row.getByRole('button', { name: 'Skip' }).click();
      }
      await row.waitFor({ state: 'detached' });
      await page.waitForTimeout(300);
    }

    // 5. The winner waits for review: the prompt as a diff, what it made; Promote.
    const review = page.getByRole('region', { name: 'File Naming: a new prompt won' });
    await review.waitFor();
    expect(await fileNaming.getByText('Ready to review').count()).toBe(1);
    await noLeaks();
    await saveScreenshot(page, 'walk-review-light');
    await review.getByRole('button', { name: 'Promote' }).click();
    await fileNaming.getByText('Promoted', { exact: true }).waitFor();
    await fileNaming.getByText('v2').waitFor();
    await noLeaks();
    await saveScreenshot(page, 'walk-promoted-light');
    expect(errors).toEqual([]);
    await context.close();
  });
});
