import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe';
import { launchBrowser, openWindowPage, saveScreenshot, type BrowserSession } from './support/browser';
import { cliJson } from './support/cli';
import { evolutionConfig, evolveFromCli, slippingFileNaming } from './support/evolution';
import { FILE_NAMING_VARIANTS, recordFeedback, withEngine, writeConfig } from './support/seed';
import { makeDataDir, startServe, type ServeProcess } from './support/serve';

// The evolution lifecycle in the open popover, on the real engine, SQLite and the fixture model: an evolution
// started from the command line shows up live; Evolve Now, Cancel and Resume; and a test's winner reviewed and
// promoted.

let browser: BrowserSession;
const serves: ServeProcess[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterEach(async () => {
  for (const serve of serves.splice(0)) await serve.stop();
});
afterAll(async () => {
  await browser?.close();
});

async function serveWith(label: string, seed: (dataDir: string) => Promise<void>, generations = 40): Promise<ServeProcess> {
  const dataDir = makeDataDir(label);
  writeConfig(dataDir, evolutionConfig(generations));
  await seed(dataDir);
  const serve = await startServe(dataDir);
  serves.push(serve);
  return serve;
}

describe('the evolution lifecycle in the popover', () => {
  it('shows an evolution started from the command line, live, until its test begins', async () => {
    const serve = await serveWith('cli-evolve', (dir) => withEngine(dir, slippingFileNaming));
    const { context, page } = await openWindowPage(browser.browser, 'popover');
    await page.goto(serve.windowUrl('popover'));
    const row = page.getByRole('listitem', { name: 'File Naming' });
    await row.getByText('Needs a better prompt').waitFor();

    const cli = evolveFromCli(serve.dataDir, 'file-naming');
    const card = row.getByRole('region', { name: 'Evolution of File Naming' });
    await card.getByText('Started from the command line.').waitFor({ timeout: 60_000 });
    expect(await row.getByText(/^Evolving \((writing the first prompts|generation|resuming)/).count()).toBe(1);
    // Another process's run can be watched, not cancelled from here.
    expect(await card.getByRole('button').count()).toBe(0);
    const bar = card.getByRole('progressbar', { name: 'Evolution progress' });
    await saveScreenshot(page, 'serve-popover-evolving-cli-light');
    await row.getByText(/^Testing \(no votes yet/).waitFor({ timeout: 120_000 });
    expect(await bar.count()).toBe(0);
    expect(await cli.done).toBe(0);
    await context.close();
  });

  it('Evolve Now shows progress from the first second; Cancel stops it, Resume goes on where it stopped', async () => {
    const serve = await serveWith('cancel-resume', (dir) => withEngine(dir, slippingFileNaming));
    const { context, page } = await openWindowPage(browser.browser, 'popover');
    await page.goto(serve.windowUrl('popover'));
    const row = page.getByRole('listitem', { name: 'File Naming' });
    await row.getByRole('button', { name: 'Evolve Now' }).click();
    const card = row.getByRole('region', { name: 'Evolution of File Naming' });
    await card.waitFor();
    // From the first second: building the first population is progress, not "Generation 0 of 40".
    expect(await card.locator('.evolution__step').textContent()).toMatch(
      /^(Writing the first prompts \(\d+ of 3\)|Generation [1-9]\d* of 40)$/,
    );
    await card.getByText(/^Generation [1-9]\d* of 40$/).waitFor({ timeout: 60_000 });
    await saveScreenshot(page, 'serve-popover-evolving-light');
    await card.getByRole('button', { name: 'Cancel' }).click();
    await card.getByText(/^Stopped after generation \d+ of 40$/).waitFor({ timeout: 30_000 });
    const stoppedAt = Number((await card.locator('.evolution__step').textContent())!.match(/generation (\d+)/)![1]);
    expect(await row.getByText('Needs a better prompt').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreenshot(page, 'serve-popover-stopped-light');

    await card.getByRole('button', { name: 'Resume' }).click();
    await card.getByText(/^(Resuming after generation \d+ of 40|Generation \d+ of 40)$/).waitFor();
    const runs = () => cliJson<unknown>(serve.dataDir, ['prompt', 'results', 'file-naming']);
    await row.getByText(/^Testing \(no votes yet/).waitFor({ timeout: 120_000 });
    // The run resumed from its checkpoint rather than starting over.
    await withEngine(serve.dataDir, (engine) => {
      const rows = engine.ctx.db.prepare(`SELECT status, generation FROM evolution_runs WHERE skill = 'file-naming'`).all() as {
        status: string;
        generation: number;
      }[];
      expect(rows).toEqual([{ status: 'done', generation: 40 }]);
      expect(stoppedAt).toBeGreaterThan(0);
    });
    expect(runs()).toBeTruthy();
    await context.close();
  });

  it('reviews a test’s winner (the prompt as a diff, samples side by side) and promotes it', async () => {
    let cast = 0;
    const serve = await serveWith('review', (dir) =>
      withEngine(dir, async (engine) => {
        recordFeedback(engine, 'file-naming', 12, 20);
        const session = await engine.evolve('file-naming', { variants: FILE_NAMING_VARIANTS, reason: 'accuracy_drop' });
        // Votes for C until the test is decided; no served results, so the winner waits for the person.
        for (let i = 0; engine.sessions.get(session.id)!.status === 'active'; i++, cast++) {
          const round = engine.sessions.openRound(session.id, {
            input: `Screenshot-${i}.png`,
            outputs: { A: `a-${i}.png`, B: `b-${i}.png`, C: `hero-mobile-${i}.png` },
          });
          engine.vote(round.taskId, round.options.find((o) => o.output.startsWith('hero'))!.label);
        }
      }),
    );
    for (const scheme of ['dark', 'light'] as const) {
      const { context, page } = await openWindowPage(browser.browser, 'popover', scheme);
      await page.goto(serve.windowUrl('popover'));
      const card = page.getByRole('region', { name: 'File Naming: a new prompt won' });
      await card.waitFor();
      expect(await card.getByText(`The new prompt won ${cast} votes of ${cast}.`).count()).toBe(1);
      expect(await card.locator('.diff__line--added').count()).toBeGreaterThan(0);
      expect(await card.getByRole('row').count()).toBe(4);
      expect(await page.getByRole('listitem', { name: 'File Naming' }).getByText('Ready to review').count()).toBe(1);
      expect(await page.locator('body').textContent()).not.toMatch(/Variant [A-J]|ses_|P\(best\)/);
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, `serve-popover-review-${scheme}`);
      if (scheme === 'dark') {
        await context.close();
        continue;
      }
      await card.getByRole('button', { name: 'Promote' }).click();
      await card.waitFor({ state: 'detached' });
      const row = page.getByRole('listitem', { name: 'File Naming' });
      await row.getByText('Promoted', { exact: true }).waitFor();
      await row.getByText('v2').waitFor();
      await saveScreenshot(page, 'serve-popover-promoted-light');
      const { versions } = cliJson<{ versions: { version: number; activeTo: string | null }[] }>(serve.dataDir, [
        'prompt',
        'history',
        'file-naming',
      ]);
      expect(versions.map((h) => [h.version, h.activeTo === null])).toEqual([
        [1, false],
        [2, true],
      ]);
      await context.close();
    }
  });
});
