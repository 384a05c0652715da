import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const cooldown = page.getByLabel('Cooldown');
    await cooldown.fill('24');
    await cooldown.blur();
    text = await waitForConfig((t) => /cooldown_hours: 24\b/.test(t));

    await page.getByRole('tab', { name: 'General' }).click();
    await page.getByRole('switch', { name: 'Notifications' }).click();
    text = await waitForConfig((t) => t.includes('notifications: false'));

    for (const comment of ['# My tinyArms settings — hand-written, keep these comments.', '# shorter tests for me', '# tell me about promotions', '# when to evolve (I like 80%)']) {
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
    await page.getByText('No model found yet.').waitFor();

    const field = page.getByLabel('Model file');
    await field.fill(FIXTURE_MODEL);
    await field.press('Enter');
    await page.getByText(FIXTURE_MODEL, { exact: true }).waitFor();
    expect(await page.getByText('Not loaded yet, from the path set here.').count()).toBe(1);
    await waitForConfig((t) => t.includes(`model_path: ${FIXTURE_MODEL}`));

    await field.fill('/nowhere/model.gguf');
    await field.blur();
    await page.getByText(/\/nowhere\/model\.gguf .*does not exist/).waitFor();

    await field.fill('');
    await field.press('Enter');
    await page.getByText('No model found yet.').waitFor();
    await waitForConfig((t) => /model_path: null/.test(t) || !t.includes('model_path'));
    await context.close();
  });

  it('shows a value the engine refuses inline and leaves config.yaml alone', async () => {
    const { context, page } = await openWindowPage(browser.browser, 'preferences');
    await page.goto(serve.windowUrl('preferences'));
    await page.getByRole('tab', { name: 'A/B Testing' }).click();
    const before = readConfig();

    // Within the field's range, but below probable_confidence (0.8): only the engine knows.
    const confidence = page.getByLabel('Decide at');
    await confidence.fill('60');
    await confidence.press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/decision_confidence.*probable_confidence/);
    expect(await confidence.getAttribute('aria-invalid')).toBe('true');
    await saveScreenshot(page, 'serve-preferences-refused-light');

    // Caught by the field itself: no request at all.
    const votes = page.getByLabel('Votes per test');
    await votes.fill('1');
    await votes.press('Enter');
    await page.getByText('Enter 2 or more.').waitFor();

    expect(readConfig()).toBe(before);
    expect(path.basename(configFile)).toBe('config.yaml');
    await context.close();
  });
});
