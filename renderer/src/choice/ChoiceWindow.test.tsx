import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '../test/fake-api';
import { makeRound } from '../test/fixtures';
import { renderApp } from '../test/render-app';

const rounds = () => [
  makeRound({ taskId: 't1', input: 'Screenshot-2026-10-27.png' }),
  makeRound({
    taskId: 't2',
    input: 'dashboard_FINAL_v3.png',
    options: [
      { label: '1', output: 'dashboard-desktop-v3.png', pBest: 0.5 },
      { label: '2', output: 'gray-dashboard-layout.png', pBest: 0.5 },
    ],
  }),
];

const press = async (key: string) => {
  await act(async () => {
    fireEvent.keyDown(window, { key });
  });
};

describe('ChoiceWindow', () => {
  it('shows the task, one radio per option with its confidence, the votes and the tip', async () => {
    await renderApp('choice', { rounds: rounds() });
    expect(screen.getByRole('heading', { name: 'File Naming — help us improve' })).toBeTruthy();
    expect(screen.getByText('Screenshot-2026-10-27.png')).toBeTruthy();
    const radios = screen.getAllByRole('radio');
    expect(radios.map((r) => r.getAttribute('aria-label'))).toEqual([
      'Option 1: hero-section-mobile-mockup.png',
      'Option 2: website-header-blue-accent.png',
      'Option 3: hero-mobile-v1.png',
    ]);
    expect(screen.getByRole('meter', { name: 'Option 1 confidence' }).getAttribute('aria-valuetext')).toBe('67%');
    expect(screen.getByText('Votes so far: 15/50')).toBeTruthy();
    expect(screen.getByText('Option 1 is leading at 67%. Next check after 5 more votes.')).toBeTruthy();
    expect(document.activeElement).toBe(radios[0]);
  });

  it('votes with a click and shows the next waiting round, then thanks', async () => {
    const { api } = await renderApp('choice', { rounds: rounds() });
    await act(async () => fireEvent.click(screen.getByRole('radio', { name: /website-header-blue-accent/ })));
    expect(api.callsOf('vote')).toEqual([['t1', '2']]);
    expect(screen.getByText('dashboard_FINAL_v3.png')).toBeTruthy();
    expect(screen.getByText('Votes so far: 16/50')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'None is good' })));
    expect(api.callsOf('vote')).toEqual([['t1', '2'], ['t2', 'none']]);
    expect(screen.getByRole('heading', { name: 'Thanks — nothing else to vote on' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Close' })));
    expect(api.callsOf('closeWindow')).toHaveLength(1);
  });

  it('takes 1/2/3 to pick, N for none, S to skip and Esc to close', async () => {
    const { api } = await renderApp('choice', { rounds: [...rounds(), makeRound({ taskId: 't3' })] });
    await press('3');
    await press('s');
    await press('N');
    await press('Escape');
    expect(api.callsOf('vote')).toEqual([['t1', '3'], ['t2', 'skip'], ['t3', 'none']]);
    expect(api.callsOf('closeWindow')).toHaveLength(1);
  });

  it('ignores keys for options the round does not have', async () => {
    const api = new FakeApi({ rounds: rounds().slice(1) });
    await renderApp('choice', api);
    await press('3');
    expect(api.callsOf('vote')).toEqual([]);
  });

  it('moves focus between options with the arrow keys', async () => {
    await renderApp('choice', { rounds: rounds() });
    const radios = screen.getAllByRole('radio');
    fireEvent.keyDown(radios[0], { key: 'ArrowDown' });
    expect(document.activeElement).toBe(radios[1]);
    fireEvent.keyDown(radios[1], { key: 'ArrowUp' });
    fireEvent.keyDown(radios[0], { key: 'ArrowUp' });
    expect(document.activeElement).toBe(radios[2]);
  });

  it('shows the engine’s conclusion when a vote decides the test', async () => {
    const api = new FakeApi({ rounds: rounds().slice(0, 1) });
    api.conclusionFor = () => 'Variant C promoted: 100% accuracy against 60%.';
    await renderApp('choice', api);
    await press('1');
    expect(screen.getByText('Variant C promoted: 100% accuracy against 60%.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Thanks — nothing else to vote on' })).toBeTruthy();
  });

  it('treats a duplicate vote as harmless', async () => {
    const api = new FakeApi({ rounds: rounds() });
    await renderApp('choice', api);
    await act(async () => {
      await api.vote('t1', '1');
    });
    // The window still shows t1 (its push arrives below); voting the same again is a duplicate, not an error.
    const result = await api.vote('t1', '1');
    expect(result.duplicate).toBe(true);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('dashboard_FINAL_v3.png')).toBeTruthy();
  });

  it('shows a refused vote and goes on with the next round', async () => {
    const api = new FakeApi({ rounds: rounds() });
    api.failures.vote = 'A/B session ses_1 is completed; it takes no more votes';
    await renderApp('choice', api);
    await press('2');
    expect(screen.getByRole('alert').textContent).toBe('A/B session ses_1 is completed; it takes no more votes');
  });

  it('follows rounds answered elsewhere and new rounds after “nothing else”', async () => {
    const api = new FakeApi({ rounds: [] });
    await renderApp('choice', api);
    expect(screen.getByRole('heading', { name: 'Thanks — nothing else to vote on' })).toBeTruthy();
    await act(async () => {
      api.rounds.push(makeRound({ taskId: 'late', input: 'late-file.png' }));
      api.push({ pendingVotes: api.rounds });
    });
    expect(screen.getByText('late-file.png')).toBeTruthy();
    await act(async () => {
      api.rounds[0].status = 'skipped';
      api.push({ pendingVotes: [] });
    });
    expect(screen.getByRole('heading', { name: 'Thanks — nothing else to vote on' })).toBeTruthy();
  });

  it('opens a specific round from the route', async () => {
    const api = new FakeApi({ rounds: rounds() });
    await renderApp('choice?task=t2', api);
    expect(new Set(api.callsOf('getRound').map(([taskId]) => taskId))).toEqual(new Set(['t2']));
    expect(screen.getByText('dashboard_FINAL_v3.png')).toBeTruthy();
  });
});
