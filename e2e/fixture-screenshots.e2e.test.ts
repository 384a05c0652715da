import { describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe';
import { openWindowPage, saveScreenshot, type Route } from './support/browser';
import { fixtureBrowserForFile } from './support/fixture-browser';

// Every state a person can meet, on the fake engine with realistic data (renderer/src/fixture), in light and
// dark mode at 2×, each checked by axe-core for serious and critical violations. Saved under screenshots/ (not
// committed) to be looked at.

const fixture = fixtureBrowserForFile();

const SCHEMES = ['light', 'dark'] as const;

/** Opens a fixture page, waits for `ready`, checks axe, saves `name-scheme.png`; returns the page for more steps. */
async function shoot(
  route: Route,
  query: string,
  ready: string,
  name: string,
  scheme: (typeof SCHEMES)[number],
  more?: (page: import('playwright').Page) => Promise<void>,
) {
  const { context, page } = await openWindowPage(fixture.browser, route, scheme);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${fixture.url}/fixture.html${query}#/${route}`);
  await page.getByText(ready).first().waitFor();
  expect(await seriousViolations(page), name).toEqual([]);
  await saveScreenshot(page, `${name}-${scheme}`);
  await more?.(page);
  expect(errors).toEqual([]);
  await context.close();
}

const POPOVER_STATES: [scenario: string, ready: string][] = [
  ['first-run', 'tinyArms needs a language model'],
  ['downloading', 'Downloading SmolLM2…'],
  ['everyday', '3 votes are waiting'],
  ['building', 'Writing the first prompts (3 of 19)'],
  ['elsewhere', 'Started from the command line.'],
  ['stopped', 'Stopped after generation 12 of 30'],
  ['paused', 'Evolution is paused'],
  ['review', 'File Naming: a new prompt won'],
  ['promoted', 'Rolled back'],
  ['needs', 'Needs a better prompt'],
  ['renames', 'Which name fits best?'],
  ['issues', 'Your config.yaml has a problem'],
  ['team', 'ana is testing 3 prompts.'],
];

describe.each(SCHEMES)('every popover state in %s mode', (scheme) => {
  it.each(POPOVER_STATES)('%s', async (scenario, ready) => {
    await shoot('popover', `?scenario=${scenario}${scenario === 'renames' ? '&empty=1' : ''}`, ready, `demo-popover-${scenario}`, scheme);
  });

  it('the first run, choosing a model file in a browser', async () => {
    await shoot('popover', '?scenario=first-run', 'tinyArms needs a language model', 'demo-popover-choose-model', scheme, async (page) => {
      await page.getByRole('button', { name: 'Choose a model file…' }).click();
      await page.getByLabel('Model file (.gguf)').fill('/Users/me/Downloads/smol.gguf');
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, `demo-popover-choose-model-${scheme}`);
    });
  });

  it('disconnected', async () => {
    await shoot('popover', '?offline=1', 'Reconnecting…', 'demo-popover-offline', scheme);
  });
});

describe.each(SCHEMES)('the choice window in %s mode', (scheme) => {
  it('before the vote, after it, and when nothing is left', async () => {
    await shoot('choice', '', 'Which name is better?', 'demo-choice', scheme, async (page) => {
      await page.keyboard.press('2');
      await page.getByText('Your vote for option 2 counts.').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, `demo-choice-reveal-${scheme}`);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText('Show all 7 lines').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, `demo-choice-text-${scheme}`);
    });
  });

  it('with confidence shown before the vote, for those who asked', async () => {
    await shoot('choice', '?confidence=1', 'Which name is better?', 'demo-choice-confidence', scheme);
  });

  it('with nothing to vote on', async () => {
    await shoot('choice', '?empty=1', 'Thank you: that was every vote for now.', 'demo-choice-done', scheme);
  });
});

describe.each(SCHEMES)('Preferences in %s mode', (scheme) => {
  it('every pane, a refused value, a sheet and config.yaml’s problems', async () => {
    await shoot('preferences', '', 'Launch at login', 'demo-preferences-general', scheme, async (page) => {
      for (const [tab, name] of [
        ['Evolution', 'evolution'],
        ['A/B Testing', 'testing'],
        ['Model', 'model'],
        ['History', 'history'],
      ] as const) {
        await page.getByRole('tab', { name: tab }).click();
        if (tab === 'History') {
          await page.getByRole('checkbox', { name: /Select version 1/ }).check();
          await page.getByRole('checkbox', { name: /Select version 2/ }).check();
          await page.getByText('v1 → v2').waitFor();
        }
        expect(await seriousViolations(page), tab).toEqual([]);
        await saveScreenshot(page, `demo-preferences-${name}-${scheme}`);
      }
      await page.getByRole('checkbox', { name: /Select version 2/ }).uncheck();
      await page.getByRole('button', { name: 'Roll back to v1' }).click();
      await page.getByRole('alertdialog').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, `demo-preferences-rollback-sheet-${scheme}`);
      await page.keyboard.press('Escape');
      await page.getByRole('tab', { name: 'Evolution' }).click();
      const field = page.getByLabel('Roll back below');
      await field.fill('90');
      await field.press('Enter');
      await page.getByText('Must be below 80%, the accuracy below which a skill is evolved.').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, `demo-preferences-refused-${scheme}`);
    });
    await shoot('preferences', '?scenario=issues', 'config.yaml has a problem', 'demo-preferences-config-problems', scheme);
  });

  it('the Team pane: joining, then teammates with what they offer, and the leave sheet', async () => {
    await shoot('preferences', '', 'Launch at login', 'demo-preferences-team-join', scheme, async (page) => {
      await page.getByRole('tab', { name: 'Team' }).click();
      await page.getByRole('button', { name: 'Join Team' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, `demo-preferences-team-join-${scheme}`);
    });
    await shoot('preferences', '?scenario=team', 'Launch at login', 'demo-preferences-team', scheme, async (page) => {
      await page.getByRole('tab', { name: 'Team' }).click();
      await page.getByText('Testing 3 prompts for Markdown Analysis · 9 votes').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, `demo-preferences-team-${scheme}`);
      await page.getByRole('button', { name: 'Leave Team…' }).click();
      await page.getByRole('alertdialog', { name: 'Leave the team?' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, `demo-preferences-team-leave-${scheme}`);
    });
  });
});

describe('browser mode on a large screen', () => {
  it('shows each window at its own size, floating on the page, the popover only as tall as its content', async () => {
    const context = await fixture.browser.newContext({
      viewport: { width: 1024, height: 1000 },
      colorScheme: 'light',
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    const page = await context.newPage();
    await page.goto(`${fixture.url}/fixture.html?scenario=first-run#/popover`);
    await page.getByText('tinyArms needs a language model').waitFor();
    const box = await page.locator('.window').boundingBox();
    expect(Math.round(box!.width)).toBe(360);
    expect(box!.height).toBeLessThan(800);
    await saveScreenshot(page, 'demo-browser-large-screen-light');
    await context.close();
  });
});
