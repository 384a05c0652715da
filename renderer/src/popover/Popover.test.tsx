import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppStateView } from '../../../contract/api';
import { FakeApi } from '../test/fake-api';
import { makeEvolution, makeReview, makeRound, makeSkill, makeSkillState, makeState } from '../test/fixtures';
import { renderApp } from '../test/render-app';

const click = async (element: HTMLElement) => {
  await act(async () => fireEvent.click(element));
};

const evolving = makeSkill({
  skill: 'audio-actions',
  accuracy: 0.71,
  previousAccuracy: 0.84,
  trend: 'down',
  canEvolve: false,
  state: makeSkillState({
    kind: 'evolving',
    label: 'Evolving (generation 12 of 30, about 4 min left)',
    detail: 'tinyArms is writing and scoring new prompts from your corrections.',
    tone: 'accent',
  }),
  evolution: makeEvolution({ step: 'Generation 12 of 30', fraction: 0.4, timeLeft: 'about 4 min left' }),
});

const testing = makeSkill({
  version: 2,
  accuracy: 0.78,
  previousAccuracy: 0.92,
  trend: 'down',
  canEvolve: false,
  state: makeSkillState({
    kind: 'testing',
    label: 'Testing (15 votes; a decision usually within ~12 more)',
    detail: 'When tinyArms asks which result is better, your vote counts here.',
    tone: 'accent',
  }),
});

const noModel = (): AppStateView =>
  makeState({ model: { configuredPath: null, resolvedPath: null, source: null, loaded: false, download: null, error: null } });
const defaultButtons = () => document.querySelectorAll('.button--default');

describe('Popover skills', () => {
  it('shows each skill’s one live state in words, its accuracy, trend, chart and version', async () => {
    await renderApp('popover', { state: makeState({ skills: [testing, evolving] }) });
    const fileNaming = within(screen.getByRole('listitem', { name: 'File Naming' }));
    expect(fileNaming.getByText('78%')).toBeVisible();
    expect(fileNaming.getByRole('img', { name: 'down from 92%' })).toBeVisible();
    expect(
      fileNaming.getByRole('img', { name: /^Accuracy over 8 weeks: 86% to 91%; promoted to version 2 on Oct 30, 2026$/ }),
    ).toBeVisible();
    expect(fileNaming.getByText('Testing (15 votes; a decision usually within ~12 more)')).toBeVisible();
    expect(fileNaming.getByText('v2')).toBeVisible();
    // No ids, config keys, "task(s)" or P(best) anywhere in the popover.
    expect(document.body.textContent).not.toMatch(/ses_|evo_|task|P\(best\)|prompt_evolution|Variant [A-J]\b/);
  });

  it('shows an evolution’s progress; Cancel stops it, then Resume or Dismiss', async () => {
    const { api } = await renderApp('popover', { state: makeState({ skills: [evolving] }) });
    const card = within(screen.getByRole('region', { name: 'Evolution of Audio Actions' }));
    expect(card.getByRole('progressbar', { name: 'Evolution progress' }).getAttribute('aria-valuenow')).toBe('40');
    expect(card.getByText('Generation 12 of 30')).toBeVisible();
    expect(card.getByText('about 4 min left')).toBeVisible();
    await click(card.getByRole('button', { name: 'Cancel' }));
    expect(api.callsOf('cancelEvolution')).toEqual([['audio-actions']]);
    const stopped = within(screen.getByRole('region', { name: 'Evolution of Audio Actions' }));
    expect(stopped.getByText('Stopped after generation 12 of 30')).toBeVisible();
    expect(stopped.queryByRole('button', { name: 'Cancel' })).toBeNull();
    await click(stopped.getByRole('button', { name: 'Resume' }));
    expect(api.callsOf('startEvolution')).toEqual([['audio-actions']]);
    await click(screen.getByRole('button', { name: 'Cancel' }));
    await click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('region', { name: 'Evolution of Audio Actions' })).toBeNull();
  });

  it('watches an evolution another process runs, without a Cancel it could not honour', async () => {
    const elsewhere = { ...evolving, evolution: makeEvolution({ elsewhere: true, note: 'Started from the command line.' }) };
    await renderApp('popover', { state: makeState({ skills: [elsewhere] }) });
    const card = within(screen.getByRole('region', { name: 'Evolution of Audio Actions' }));
    expect(card.getByText('Started from the command line.')).toBeVisible();
    expect(card.queryByRole('button')).toBeNull();
  });

  it('offers Evolve Now where a skill needs a better prompt', async () => {
    const needs = makeSkill({
      state: makeSkillState({
        kind: 'needs-prompt',
        label: 'Needs a better prompt',
        detail: 'You kept 71% of its last 31 results, below your 80%.',
        tone: 'bad',
      }),
    });
    const { api } = await renderApp('popover', { state: makeState({ skills: [needs] }) });
    await click(screen.getByRole('button', { name: 'Evolve Now' }));
    expect(api.callsOf('startEvolution')).toEqual([['file-naming']]);
    expect(screen.getByText('Evolving (writing the first prompts, 0 of 19)')).toBeVisible();
  });

  it("offers a teammate's test or version in one line; its button starts the test, and a refusal shows under it", async () => {
    const skills = [
      makeSkill({
        teamOffer: {
          kind: 'version',
          key: 'version:ana:file-naming:0123456789abcdef',
          member: 'ana',
          text: 'ana runs version 4 (93% for them).',
        },
      }),
      makeSkill({
        skill: 'markdown-analysis',
        teamOffer: { kind: 'test', key: 'test:ana:ses_ana1', member: 'ana', text: 'ana is testing 3 prompts.' },
      }),
    ];
    const api = new FakeApi({ state: makeState({ skills }) });
    api.failures.joinTeammateTest = 'markdown-analysis is evolving: start a team test when it has finished';
    await renderApp('popover', api);
    await click(screen.getByRole('button', { name: 'Test It' }));
    expect(api.callsOf('testTeammateVersion')).toEqual([['ana', 'file-naming']]);
    expect(screen.queryByText('ana runs version 4 (93% for them).')).toBeNull();
    expect(screen.getByText("An A/B test with ana's version has started.")).toBeVisible();
    await click(screen.getByRole('button', { name: 'Vote Too' }));
    expect(api.callsOf('joinTeammateTest')).toEqual([['ana', 'markdown-analysis']]);
    expect(screen.getByRole('alert').textContent).toBe('markdown-analysis is evolving: start a team test when it has finished');
    await click(screen.getByRole('button', { name: 'Not Now' }));
    expect(api.callsOf('dismissTeamOffer')).toEqual([['test:ana:ses_ana1']]);
    expect(screen.queryByText('ana is testing 3 prompts.')).toBeNull();
  });

  it('pauses visibly: a banner says so and resumes', async () => {
    const { api } = await renderApp('popover');
    await click(screen.getByRole('switch', { name: 'Pause evolution' }));
    expect(screen.getByText(/^Evolution is paused: no new prompts are written/)).toBeVisible();
    await click(screen.getByRole('button', { name: 'Resume' }));
    expect(api.callsOf('setEvolutionPaused')).toEqual([[true], [false]]);
    expect(screen.queryByText(/^Evolution is paused/)).toBeNull();
  });
});

describe('Popover first run', () => {
  it('says what tinyArms needs and downloads it', async () => {
    const { api } = await renderApp('popover', { state: noModel() });
    const card = within(screen.getByRole('region', { name: 'tinyArms needs a language model' }));
    await click(card.getByRole('button', { name: 'Download SmolLM2 (≈ 270 MB)' }));
    expect(api.callsOf('pullModel')).toHaveLength(1);
    expect(card.getByRole('progressbar', { name: 'Downloading SmolLM2' })).toBeVisible();
  });

  it('in a browser, takes a typed model path, with the engine’s refusal at the field', async () => {
    const api = new FakeApi({ state: noModel() });
    api.refusePreference = (_key, value) => (value === '/nowhere/model.gguf' ? 'There is nothing at /nowhere/model.gguf.' : null);
    await renderApp('popover', api);
    await click(screen.getByRole('button', { name: 'Choose a model file…' }));
    expect(api.callsOf('chooseFile')).toEqual([]);
    const field = screen.getByLabelText('Model file (.gguf)');
    fireEvent.change(field, { target: { value: '/nowhere/model.gguf' } });
    await click(screen.getByRole('button', { name: 'Use This File' }));
    expect(screen.getByRole('alert').textContent).toBe('There is nothing at /nowhere/model.gguf.');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(field, { target: { value: '/Users/me/models/smol.gguf' } });
    await click(screen.getByRole('button', { name: 'Use This File' }));
    expect(api.callsOf('setPreference').at(-1)).toEqual(['modelPath', '/Users/me/models/smol.gguf']);
  });

  it('in the app, opens the native dialog and uses the file chosen', async () => {
    const state = noModel();
    state.shell = { kind: 'electron' };
    const api = new FakeApi({ state });
    api.chosenFile = '/Users/me/Downloads/smol.gguf';
    await renderApp('popover', api);
    await click(screen.getByRole('button', { name: 'Choose a model file…' }));
    expect(api.callsOf('chooseFile')).toEqual([['model']]);
    expect(api.callsOf('setPreference')).toEqual([['modelPath', '/Users/me/Downloads/smol.gguf']]);
  });

  it('says which folder it watches, and changes it', async () => {
    const { api } = await renderApp('popover');
    expect(screen.getByText('~/Desktop/Screenshots')).toBeVisible();
    await click(screen.getByRole('button', { name: 'Change…' }));
    const field = screen.getByLabelText('Folder to watch');
    fireEvent.change(field, { target: { value: '~/Downloads' } });
    await click(screen.getByRole('button', { name: 'Watch' }));
    expect(api.callsOf('setWatchFolder')).toEqual([['~/Downloads']]);
    expect(screen.getByText('~/Downloads')).toBeVisible();
  });
});

describe('Popover actions', () => {
  it('has one default button, and opens the choice window while votes wait', async () => {
    const { api } = await renderApp('popover', { rounds: [makeRound({ taskId: 't1' }), makeRound({ taskId: 't2' })] });
    expect(screen.getByRole('heading', { name: '2 votes are waiting' })).toBeVisible();
    expect(defaultButtons()).toHaveLength(1);
    await click(screen.getByRole('button', { name: 'Vote…' }));
    expect(api.callsOf('openWindow')).toEqual([['choice']]);
  });

  it('reviews a test’s winner: the prompt as a diff, samples side by side, then Promote', async () => {
    const waiting = makeSkill({
      review: makeReview(),
      state: makeSkillState({ kind: 'review', label: 'Ready to review', tone: 'accent' }),
    });
    const { api } = await renderApp('popover', { state: makeState({ skills: [waiting] }), histories: [] });
    const card = within(screen.getByRole('region', { name: 'File Naming: a new prompt won' }));
    expect(card.getByText('The new prompt won 9 of 12 votes.')).toBeVisible();
    const diff = card.getAllByRole('listitem').map((li) => li.className.replace('diff__line diff__line--', ''));
    expect(diff).toEqual(['removed', 'removed', 'added', 'added', 'same', 'same']);
    const rows = card.getAllByRole('row').map((r) => r.textContent);
    expect(rows).toEqual([
      'FileNowNewGold example',
      'Screenshot-2026-10-27.pngscreenshot-october.pnghero-section-mobile-mockup.pngPin',
      'IMG_4521.jpgimage-4521.jpggolden-gate-bridge-sunset.jpgPinned',
    ]);
    expect(card.getByRole('button', { name: 'Promote' }).className).toContain('button--default');
    await click(card.getByRole('button', { name: 'Promote' }));
    expect(api.callsOf('promote')).toEqual([['file-naming', 'C']]);
    expect(screen.queryByRole('region', { name: 'File Naming: a new prompt won' })).toBeNull();
    expect(screen.getByText('Promoted')).toBeVisible();
  });

  it('pins a sample as a gold example and unpins it', async () => {
    const waiting = makeSkill({ review: makeReview() });
    const { api } = await renderApp('popover', { state: makeState({ skills: [waiting] }) });
    const pin = screen.getByRole('button', { name: 'Pin Screenshot-2026-10-27.png: always get this right' });
    expect(pin.getAttribute('aria-pressed')).toBe('false');
    await click(pin);
    expect(api.callsOf('pinTask')).toEqual([['task_s1']]);
    expect(screen.getByRole('button', { name: 'Unpin Screenshot-2026-10-27.png: always get this right' }).textContent).toBe('Pinned');
    await click(screen.getByRole('button', { name: 'Unpin IMG_4521.jpg: always get this right' }));
    expect(api.callsOf('unpinTask')).toEqual([['task_s2']]);
  });

  it('has no pin for samples without a past task behind them (rounds of variant files)', async () => {
    const review = makeReview({ samples: [{ input: 'IMG_1.png', current: null, proposed: 'cat.png', taskId: null, pinned: false }] });
    await renderApp('popover', { state: makeState({ skills: [makeSkill({ review })] }) });
    expect(screen.queryByRole('button', { name: /always get this right/ })).toBeNull();
  });

  it('keeps the current prompt on request', async () => {
    const waiting = makeSkill({ review: makeReview() });
    const { api } = await renderApp('popover', { state: makeState({ skills: [waiting] }) });
    await click(screen.getByRole('button', { name: 'Keep Current' }));
    expect(api.callsOf('keepCurrent')).toEqual([['file-naming']]);
  });

  it('points to Preferences for a config.yaml problem, without its key paths', async () => {
    const { api } = await renderApp('popover', {
      state: makeState({
        configProblems: { file: '/x/config.yaml', lines: ['Line 4: prompt_evolution.triggers.sample_size must be ≥ 1'] },
      }),
    });
    expect(screen.getByRole('alert').textContent).toBe('Your config.yaml has a problem, so the last settings that worked are in use.Show…');
    await click(screen.getByRole('button', { name: 'Show…' }));
    expect(api.callsOf('openWindow')).toEqual([['preferences']]);
  });

  it('says what tinyArms cost and gained this month', async () => {
    await renderApp('popover');
    expect(screen.getByText(/14 votes asked, 1 evolution run; File Naming 74% → 90%\./)).toBeVisible();
  });

  it('runs the monitor, opens Preferences… and closes on Esc', async () => {
    const { api } = await renderApp('popover');
    await click(screen.getByRole('button', { name: 'Check accuracy now' }));
    await click(screen.getByRole('button', { name: 'Preferences…' }));
    await act(async () => fireEvent.keyDown(window, { key: 'Escape' }));
    expect(api.callsOf('runMonitor')).toHaveLength(1);
    expect(api.callsOf('openWindow')).toEqual([['preferences']]);
    expect(api.callsOf('closeWindow')).toHaveLength(1);
  });

  it('shows an action’s refusal as one line', async () => {
    const api = new FakeApi();
    api.failures.runMonitor = 'the monitor is already running';
    await renderApp('popover', api);
    await click(screen.getByRole('button', { name: 'Check accuracy now' }));
    expect(screen.getByRole('alert').textContent).toBe('the monitor is already running');
  });

  it('asks the app to fit its window to the content, and only in the app', async () => {
    const browser = await renderApp('popover');
    expect(browser.api.callsOf('fitWindow')).toEqual([]);
    browser.unmount();
    const state = makeState();
    state.shell = { kind: 'electron' };
    const app = await renderApp('popover', { state });
    expect(app.api.callsOf('fitWindow').length).toBeGreaterThan(0);
  });

  it('follows pushed state and unsubscribes on unmount', async () => {
    const { api, unmount } = await renderApp('popover');
    expect(api.listenerCount).toBe(1);
    await act(async () => {
      api.push({ skills: [makeSkill({ accuracy: 0.55, previousAccuracy: 0.9, trend: 'down' })] });
    });
    expect(screen.getByText('55%')).toBeVisible();
    unmount();
    expect(api.listenerCount).toBe(0);
  });
});
