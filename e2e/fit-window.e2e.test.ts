import { describe, expect, it } from 'vitest';
import { WINDOW_SIZES } from '../contract/api';
import { openWindowPage, saveScreenshot } from './support/browser';
import { fixtureBrowserForFile } from './support/fixture-browser';

// The popover asks the app for the height its content needs (fitWindow). Laid out as in the app's window (the page
// fills a 560-point window), the height it asks for must follow the content both ways: a body that fills the
// window measured by its scrollHeight could only ever grow it.

const fixture = fixtureBrowserForFile();

type Page = import('playwright').Page;

const asked = (page: Page) =>
  page.evaluate(() => {
    const api = (window as unknown as { fakeApi: { callsOf(m: string): [number][] } }).fakeApi;
    return api.callsOf('fitWindow').map(([h]) => h);
  });

/** What the content needs: header, the body's children down to the last one's bottom plus the padding, footer. */
const needed = (page: Page) =>
  page.evaluate(() => {
    const [header, body, footer] = ['.popover__header', '.popover__body', '.popover__footer'].map(
      (s) => document.querySelector(s) as HTMLElement,
    );
    const last = body.lastElementChild as HTMLElement;
    const content = last.getBoundingClientRect().bottom - body.getBoundingClientRect().top + body.scrollTop;
    return Math.ceil(header.offsetHeight + content + parseFloat(getComputedStyle(body).paddingBottom) + footer.offsetHeight);
  });

describe('the popover fits its window to its content', () => {
  it('asks for less than the window when the content is short, and more or less as the content changes', async () => {
    const { context, page } = await openWindowPage(fixture.browser, 'popover');
    await page.goto(`${fixture.url}/fixture.html?electron=1&native=1&scenario=needs&empty=1#/popover`);
    await page.getByText('Needs a better prompt').waitFor();
    const keep = (n: number) =>
      page.evaluate((count) => {
        const api = (window as unknown as { fakeApi: { state: { skills: unknown[] }; push(p: object): void } }).fakeApi;
        api.push({ skills: api.state.skills.slice(0, count) });
      }, n);
    await keep(2);
    await expect.poll(async () => (await asked(page)).at(-1)).toBe(await needed(page));
    const short = (await asked(page)).at(-1)!;
    expect(short).toBeLessThan(WINDOW_SIZES.popover.height - 100);

    // One skill fewer: the window is asked to shrink, though the page still fills the 560-point window.
    await keep(1);
    await expect.poll(async () => (await asked(page)).at(-1)).toBeLessThan(short);
    expect((await asked(page)).at(-1)).toBe(await needed(page));
    await context.close();
  });

  it("the choice window asks for the first round's height, then only ever more", async () => {
    const { context, page } = await openWindowPage(fixture.browser, 'choice');
    await page.goto(`${fixture.url}/fixture.html?electron=1&native=1#/choice`);
    await page.getByText('Which name is better?').waitFor();
    await expect.poll(async () => (await asked(page)).length).toBeGreaterThan(0);
    const first = (await asked(page)).at(-1)!;
    expect(first).toBeLessThan(WINDOW_SIZES.choice.height);
    // What the app's window then shows: the page at the height it asked for.
    await page.setViewportSize({ width: WINDOW_SIZES.choice.width, height: first });
    await saveScreenshot(page, 'demo-choice-fitted-light');
    await page.keyboard.press('2');
    await page.getByText('Your vote for option 2 counts.').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Show all 7 lines').waitFor();
    const heights = await asked(page);
    expect(heights.every((h, i) => i === 0 || h > heights[i - 1])).toBe(true);
    await context.close();
  });
});
