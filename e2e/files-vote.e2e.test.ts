import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openWindowPage, saveScreenshot, type BrowserSession } from './support/browser';
import { startFileNamingSession, withEngine, writeConfig } from './support/seed';
import { makeDataDir, startServe, type ServeProcess } from './support/serve';
import { eventually, makeWatchedFolder, watchConfig, type WatchedFolder } from './support/watched-folder';

// A vote in the popover against the real engine, the real watch and the real (toy) model: during an A/B test of
// file naming with show_probability 1, every new file in the watched folder becomes a vote proposal offering
// each arm's name. Picking an option by its number key renames the file to that option's (sanitised) name and
// counts the vote for the arm behind it. The toy model writes nonsense and the arms may agree or fail, so the
// test picks option 2 when it is usable, else the first usable option, and reads the name from the option.

let browser: BrowserSession;
let serve: ServeProcess;
let folder: WatchedFolder;
let watched: string;
let sessionId: string;

const FILE = 'meeting notes.txt';
const CONTENT = 'Planning meeting: launch date, budget, hiring\n';

beforeAll(async () => {
  folder = makeWatchedFolder('vote-watch', 'Inbox');
  watched = folder.watched;
  const dataDir = makeDataDir('files-vote');
  writeConfig(dataDir, watchConfig(watched, ['  ab_testing:', '    show_probability: 1']));
  sessionId = await withEngine(dataDir, (engine) => startFileNamingSession(engine, 12));
  serve = await startServe(dataDir);
  await eventually(
    () => serve.output().includes(`watching ${watched} for new files`),
    60_000,
    'the watch to start',
    () => serve.output(),
  );
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  folder?.cleanup();
});

interface StoredRound {
  task_id: string;
  status: string;
  options: string;
  picked_variant_id: string | null;
}

describe('a vote proposal for a watched folder', () => {
  it('a new file becomes a vote; its number key renames the file and counts the vote', async () => {
    const { context, page } = await openWindowPage(browser.browser, 'popover');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(serve.windowUrl('popover'));
    await page.getByRole('listitem', { name: 'File Naming' }).waitFor();

    fs.writeFileSync(path.join(watched, FILE), CONTENT);

    const row = page.getByRole('list', { name: 'Rename suggestions' }).getByRole('listitem', { name: FILE });
    await row.waitFor({ timeout: 90_000 });
    expect(await row.getByText('Which name fits best?').isVisible()).toBe(true);
    const group = row.getByRole('group', { name: 'Which name fits best?' });
    const buttons = group.getByRole('button', { name: /^\d / });
    const options = await Promise.all(
      (await buttons.all()).map(async (b) => ({
        label: (await b.textContent())!.trim()[0],
        usable: await b.isEnabled(),
        title: (await b.getAttribute('title')) ?? '',
      })),
    );
    expect(options.map((o) => o.label)).toEqual(['1', '2', '3']);
    await saveScreenshot(page, 'serve-popover-vote-proposal-light');

    const usable = options.filter((o) => o.usable);
    expect(usable.length).toBeGreaterThan(0);
    const pick = usable.find((o) => o.label === '2') ?? usable[0];
    const target = pick.title.replace(/^Rename to /, '');
    expect(target).not.toBe('');
    expect(target).toMatch(/\.txt$/);
    expect(target).not.toContain('/');

    // A number key pressed with no row focused does nothing; on the focused row it picks.
    await page.keyboard.press(pick.label);
    await new Promise((r) => setTimeout(r, 300));
    expect(folder.listing()).toEqual([FILE]);
    await row.focus();
    await page.keyboard.press(pick.label);
    await eventually(
      () => folder.listing().length === 1 && folder.listing()[0] === target,
      60_000,
      `${FILE} → ${target} on disk`,
      () => serve.output(),
    );
    await row.waitFor({ state: 'detached' });
    expect(fs.readFileSync(path.join(watched, target), 'utf8')).toBe(CONTENT);

    // The engine counted one vote, for the arm behind the picked label, and the task carries that arm.
    await withEngine(serve.dataDir, (engine) => {
      expect(engine.sessions.results(sessionId).votes).toBe(1);
      const rounds = engine.ctx.db
        .prepare(`SELECT task_id, status, options, picked_variant_id FROM vote_rounds WHERE session_id = ?`)
        .all(sessionId) as StoredRound[];
      expect(rounds).toHaveLength(1);
      const [round] = rounds;
      expect(round.status).toBe('picked');
      const stored = (JSON.parse(round.options) as { label: string; variant_id: string }[]).find((o) => o.label === pick.label)!;
      expect(round.picked_variant_id).toBe(stored.variant_id);
      const task = engine.tasks.require(round.task_id);
      expect(task.variant_id).toBe(stored.variant_id);
      expect(engine.sessions.variants(sessionId).map((v) => v.id)).toContain(task.variant_id);
    });

    // Nothing outside the watched folder changed.
    expect(folder.surroundingsIntact()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
