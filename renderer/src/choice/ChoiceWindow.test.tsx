import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '../test/fake-api';
import { makeRound, makeState } from '../test/fixtures';
import { renderApp } from '../test/render-app';

const rounds = () => [
  makeRound({ taskId: 't1', input: 'Screenshot-2026-10-27.png' }),
  makeRound({
    taskId: 't2',
    skill: 'markdown-analysis',
    input: '# Release 4.2\n- Added dark mode\n- Fixed a crash\n- Typo fixes\n- Faster start-up\n- Removed sync',
    options: [
      { label: '1', output: '- Dark mode\n- Crash fix\n- Faster start-up\n- Sync removed\n- Typos fixed', pBest: null },
      { label: '2', output: '- Added dark mode', pBest: null },
    ],
  }),
];

const press = async (key: string) => {
  await act(async () => {
    fireEvent.keyDown(window, { key });
  });
};

const click = async (element: HTMLElement) => {
  await act(async () => fireEvent.click(element));
};

describe('ChoiceWindow before the vote', () => {
  it('shows the file as the person knows it and every option in full, with no confidence, no leader and nothing focused', async () => {
    await renderApp('choice', { rounds: rounds() });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('File Naming: Which name is better?');
    expect(screen.getAllByRole('heading', { level: 1 })).toHaveLength(1);
    expect(screen.getByText('Screenshot-2026-10-27.png')).toBeVisible();
    expect(screen.getByText('PNG image')).toBeVisible();
    // Accessible names are the visible text: the key, then the option.
    const radios = screen.getAllByRole('radio');
    expect(radios.map((r) => r.textContent)).toEqual([
      '1 hero-section-mobile-mockup.png',
      '2 website-header-blue-accent.png',
      '3 hero-mobile-v1.png',
    ]);
    expect(screen.getByRole('radio', { name: '2 website-header-blue-accent.png' })).toBe(radios[1]);
    expect(screen.queryByRole('meter')).toBeNull();
    expect(document.body.textContent).not.toMatch(/lead|confiden|%/i);
    expect(document.activeElement).toBe(document.body);
    expect(screen.getByText('15 votes so far; a decision usually within ~12 more.')).toBeVisible();
  });

  it('shows long text whole on request and long outputs whole at once', async () => {
    await renderApp('choice?task=t2', { rounds: rounds() });
    const more = screen.getByRole('button', { name: 'Show all 6 lines' });
    expect(more.getAttribute('aria-expanded')).toBe('false');
    await click(more);
    expect(screen.getByRole('button', { name: 'Show less' }).getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('radio', { name: /Sync removed/ }).textContent).toContain('- Typos fixed');
  });

  it('keeps the design’s confidence bars for those who asked to see them before voting', async () => {
    const state = makeState();
    state.preferences.showConfidenceBeforeVote = true;
    await renderApp('choice', { state, rounds: rounds() });
    expect(screen.getByRole('meter', { name: 'Confidence of option 1' }).getAttribute('aria-valuetext')).toBe('67%');
  });
});

describe('ChoiceWindow after the vote', () => {
  it('reveals what the vote did, then goes on to the next round', async () => {
    const { api } = await renderApp('choice', { rounds: rounds() });
    await click(screen.getByRole('radio', { name: /website-header-blue-accent/ }));
    expect(api.callsOf('vote')).toEqual([['t1', '2']]);
    expect(screen.getByRole('status').textContent).toBe(' Your vote for option 2 counts.');
    const meters = screen.getAllByRole('meter');
    expect(meters.map((m) => [m.getAttribute('aria-label'), m.getAttribute('aria-valuetext')])).toEqual([
      ['Chance option 1 is the best', '67%'],
      ['Chance option 2 is the best', '13%'],
      ['Chance option 3 is the best', '20%'],
    ]);
    expect(within(screen.getByRole('list')).getByText('Your pick')).toBeVisible();
    expect(screen.getByText('16 votes so far; a decision usually within ~11 more.')).toBeVisible();
    // Number keys do nothing on the reveal; Next has focus.
    await press('1');
    expect(api.callsOf('vote')).toHaveLength(1);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Next' }));
    await click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByText('# Release 4.2', { exact: false })).toBeVisible();
    expect(screen.queryByRole('meter')).toBeNull();
  });

  it('takes the last vote back: the same round is asked again and can be voted differently', async () => {
    const { api } = await renderApp('choice', { rounds: rounds() });
    await press('1');
    await click(screen.getByRole('button', { name: 'Undo' }));
    expect(api.callsOf('undoVote')).toEqual([['t1']]);
    expect(screen.getByText('15 votes so far; a decision usually within ~12 more.')).toBeVisible();
    expect(screen.getAllByRole('radio')).toHaveLength(3);
    expect(screen.queryByRole('meter')).toBeNull();
    await press('3');
    expect(api.callsOf('vote')).toEqual([
      ['t1', '1'],
      ['t1', '3'],
    ]);
  });

  it('offers no Undo once the vote decided the test, and says the decision', async () => {
    const api = new FakeApi({ rounds: rounds().slice(0, 1) });
    api.conclusionFor = () => 'The test is decided: a new prompt won. Review it in the tinyArms menu to use it or keep the current one.';
    await renderApp('choice', api);
    await press('1');
    expect(screen.getByText(/^The test is decided: a new prompt won/)).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
    await click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByText('Thank you: that was every vote for now.')).toBeVisible();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
  });

  it('takes N for none (revealed too) and S to skip (straight on), and Esc closes', async () => {
    const { api } = await renderApp('choice', { rounds: [...rounds(), makeRound({ taskId: 't3' })] });
    await press('s');
    expect(screen.getByText('# Release 4.2', { exact: false })).toBeVisible();
    await press('n');
    expect(screen.getByRole('status').textContent).toBe(' Your vote for none of them counts.');
    await press('Escape');
    expect(api.callsOf('vote')).toEqual([
      ['t1', 'skip'],
      ['t2', 'none'],
    ]);
    expect(api.callsOf('closeWindow')).toHaveLength(1);
  });
});

describe('ChoiceWindow and the engine', () => {
  it('moves on when the round shown was answered elsewhere, without an error', async () => {
    const api = new FakeApi({ rounds: rounds() });
    await renderApp('choice', api);
    await act(async () => {
      await api.vote('t1', '1');
    });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('# Release 4.2', { exact: false })).toBeVisible();
  });

  it('shows a refused vote and goes on with the next round', async () => {
    const api = new FakeApi({ rounds: rounds() });
    api.failures.vote = 'this test has already been decided';
    await renderApp('choice', api);
    await press('2');
    expect(screen.getByRole('alert').textContent).toBe('this test has already been decided');
  });

  it('asks the same round again, without the option, when its arm left the test while it was shown', async () => {
    const api = new FakeApi({ rounds: rounds() });
    const vote = api.vote.bind(api);
    api.vote = async (taskId) => {
      // Another process's votes made option 2's arm lose: the engine now shows the round without it.
      const round = api.rounds.find((r) => r.taskId === taskId)!;
      round.options = round.options.filter((o) => o.label !== '2');
      api.vote = vote;
      throw Object.assign(new Error(`option 2 of task '${taskId}' has left the A/B test; choose 1, 3, none`), { code: 'option_withdrawn' });
    };
    await renderApp('choice', api);
    await press('2');
    expect(screen.getByRole('alert').textContent).toBe('That option has just left the test. Pick one of those shown now.');
    expect(screen.getByText('Screenshot-2026-10-27.png')).toBeVisible();
    expect(screen.getAllByRole('radio').map((r) => r.textContent?.slice(0, 1))).toEqual(['1', '3']);
    await press('3');
    expect(api.callsOf('vote').at(-1)).toEqual(['t1', '3']);
  });

  it('ignores keys for options the round does not have, and moves focus with the arrows', async () => {
    const { api } = await renderApp('choice?task=t2', { rounds: rounds() });
    await press('3');
    expect(api.callsOf('vote')).toEqual([]);
    const radios = screen.getAllByRole('radio');
    fireEvent.keyDown(radios[0], { key: 'ArrowDown' });
    expect(document.activeElement).toBe(radios[1]);
    fireEvent.keyDown(radios[1], { key: 'ArrowDown' });
    expect(document.activeElement).toBe(radios[0]);
  });

  it('follows new rounds after “nothing else”', async () => {
    const api = new FakeApi({ rounds: [] });
    await renderApp('choice', api);
    expect(screen.getByText('Thank you: that was every vote for now.')).toBeVisible();
    await act(async () => {
      api.rounds.push(makeRound({ taskId: 'late', input: 'late-file.png' }));
      api.push({ pendingVotes: api.rounds });
    });
    expect(screen.getByText('late-file.png')).toBeVisible();
  });
});
