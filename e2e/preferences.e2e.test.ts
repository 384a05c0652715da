import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe';
import { launchBrowser, openWindowPage, saveScreenshot, type BrowserSession } from './support/browser';
import { writeConfig } from './support/seed';
import { FIXTURE_MODEL, makeDataDir, startServe, type ServeProcess } from './support/serve';

// Preferences against the real engine: a change lands in config.yaml with the user's comments kept; a value the
// engine refuses is shown inline and config.yaml stays as it was.

const CONFIG = `# My tinyArms settings — hand-written, keep these comments.
prompt_evolution:
  triggers:
    accuracy_threshold: 0.8   # when to evolve (I like 80%)
  ab_testing:
    votes_required: 40        # shorter tests for me

app:
  notifications: true   # tell me about promotions
`;

let browser: BrowserSession;
let serve: ServeProcess;
let configFile: string;

beforeAll(async () => {
  const dataDir = makeDataDir('prefs');
  configFile = writeConfig(dataDir, CONFIG);
  serve = await startServe(dataDir);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

const readConfig = () => fs.readFileSync(configFile, 'utf8');

async function waitForConfig(predicate: (text: string) => boolean): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const text = readConfig();
    if (predicate(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`config.yaml never matched:\n${readConfig()}`);
}

describe('preferences', () => {
  it('writes a changed value to config.yaml and keeps the comments', async () => {
    const { context, page } = await openWindowPage(browser.browser, 'preferences');
    await page.goto(serve.windowUrl('preferences'));
    await page.getByRole('tab', { name: 'Evolution' }).click();

    const threshold = page.getByLabel('Evolve below');
    expect(await threshold.inputValue()).toBe('80');
    await threshold.fill('75');
    await threshold.press('Enter');
    let text = await waitForConfig((t) => t.includes('accuracy_threshold: 0.75'));
    expect(text).toContain('accuracy_threshold: 0.75   # when to evolve (I like 80%)');

    // A key the file does not have yet is added in its section.
    const cooldown = page.getByLabel('Wait between');
    await cooldown.fill('24');
    await cooldown.blur();
    text = await waitForConfig((t) => /cooldown_hours: 24\b/.test(t));

    await page.getByRole('tab', { name: 'General' }).click();
    await page.getByRole('switch', { name: 'Notifications' }).click();
    text = await waitForConfig((t) => t.includes('notifications: false'));

    for (const comment of [
      '# My tinyArms settings — hand-written, keep these comments.',
      '# shorter tests for me',
      '# tell me about promotions',
      '# when to evolve (I like 80%)',
    ]) {
      expect(text).toContain(comment);
    }
    expect(text).toContain('votes_required: 40');
    // The field shows the engine's value after the round trip.
    await page.getByRole('tab', { name: 'Evolution' }).click();
    expect(await page.getByLabel('Evolve below').inputValue()).toBe('75');
    await context.close();
  });

  it('sets the model file: the fixture model is in use, a missing file is reported', async () => {
    const { context, page } = await openWindowPage(browser.browser, 'preferences');
    await page.goto(serve.windowUrl('preferences'));
    await page.getByRole('tab', { name: 'Model' }).click();
    await page.getByText('No model yet.').waitFor();

    const field = page.getByLabel('Model file');
    await field.fill(FIXTURE_MODEL);
    await field.press('Enter');
    await page.getByText(FIXTURE_MODEL, { exact: true }).waitFor();
    expect(await page.getByText('Loads when a skill runs; from the file chosen here.').count()).toBe(1);
    await waitForConfig((t) => t.includes(`model_path: ${FIXTURE_MODEL}`));

    // A file that is not there is refused at the field, in words; config.yaml keeps the one that works.
    await field.fill('/nowhere/model.gguf');
    await field.blur();
    await page.getByRole('alert').getByText('There is nothing at /nowhere/model.gguf.').waitFor();
    expect(readConfig()).toContain(`model_path: ${FIXTURE_MODEL}`);
    await field.press('Escape');

    await field.fill('');
    await field.press('Enter');
    await page.getByText('No model yet.').waitFor();
    await waitForConfig((t) => /model_path: null/.test(t) || !t.includes('model_path'));
    await context.close();
  });

  it('refuses values the engine cannot use, at the field and in words, and leaves config.yaml alone', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { context, page } = await openWindowPage(browser.browser, 'preferences', scheme);
      await page.goto(serve.windowUrl('preferences'));
      await page.getByRole('tab', { name: 'Evolution' }).click();
      const before = readConfig();

      // Roll back at or above "Evolve below" (75% since the first test): the engine's relation between the two, at the field.
      const rollback = page.getByLabel('Roll back below');
      await rollback.fill('95');
      await rollback.press('Enter');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toBe('Must be below 75%, the accuracy below which a skill is evolved.');
      expect(await rollback.getAttribute('aria-invalid')).toBe('true');
      expect(await rollback.getAttribute('aria-describedby')).toBe(await alert.getAttribute('id'));
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, `serve-preferences-refused-${scheme}`);
      await rollback.press('Escape');

      // Fewer votes than a test waits for before its first look.
      await page.getByRole('tab', { name: 'A/B Testing' }).click();
      const votes = page.getByLabel('Votes per test');
      await votes.fill('2');
      await votes.press('Enter');
      await page.getByText('Must be at least 5, the votes a test waits for before its first look.').waitFor();
      expect(await page.locator('body').textContent()).not.toMatch(/prompt_evolution|votes_required|min_votes/);

      expect(readConfig()).toBe(before);
      expect(path.basename(configFile)).toBe('config.yaml');
      await context.close();
    }
  });

  it('restores every preference to its default after a sheet, keeping other settings', async () => {
    const { context, page } = await openWindowPage(browser.browser, 'preferences');
    await page.goto(serve.windowUrl('preferences'));
    await page.getByRole('tab', { name: 'A/B Testing' }).click();
    expect(await page.getByLabel('Votes per test').inputValue()).toBe('40');
    await page.getByRole('button', { name: 'Restore Defaults…' }).click();
    const sheet = page.getByRole('alertdialog', { name: 'Restore every preference to its default?' });
    await sheet.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreenshot(page, 'serve-preferences-restore-sheet-light');
    await sheet.getByRole('button', { name: 'Restore Defaults' }).click();
    await sheet.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByLabel('Votes per test').inputValue()).toBe('50');
    const text = await waitForConfig((t) => !/votes_required/.test(t));
    expect(text).toContain('# My tinyArms settings — hand-written, keep these comments.');
    await context.close();
  });

  it('shows a hand-edited config.yaml’s problems at their lines and puts the last good one back', async () => {
    const good = readConfig();
    fs.writeFileSync(configFile, `${good}bogus_key: 1\n`);
    for (const scheme of ['dark', 'light'] as const) {
      const { context, page } = await openWindowPage(browser.browser, 'preferences', scheme);
      await page.goto(serve.windowUrl('preferences'));
      const problems = page.getByRole('alert').filter({ hasText: /^config\.yaml has/ });
      await problems.waitFor({ timeout: 15_000 });
      expect(await problems.getByText(/^Line \d+: /).count()).toBeGreaterThan(0);
      expect(await problems.getByText(`The file is ${configFile}`).count()).toBe(1);
      expect(await page.getByRole('switch', { name: 'Notifications' }).isDisabled()).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, `serve-preferences-config-problems-${scheme}`);
      if (scheme === 'dark') {
        await context.close();
        continue;
      }
      // The popover says so, without the key paths.
      const popover = await context.newPage();
      await popover.goto(serve.windowUrl('popover'));
      await popover.getByText('Your config.yaml has a problem, so the last settings that worked are in use.').waitFor();
      await popover.close();
      await problems.getByRole('button', { name: 'Use Last Good' }).click();
      await page.getByText(/^config\.yaml is back as it last worked\. The file with errors was kept as /).waitFor();
      expect(readConfig()).toBe(good);
      await context.close();
    }
  });
});
