import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '../test/fake-api';
import { makeRound, makeSession, makeSkill, makeState } from '../test/fixtures';
import { renderApp } from '../test/render-app';

const evolving = makeSkill({
  skill: 'audio-actions',
  accuracy: 0.71,
  previousAccuracy: 0.84,
  trend: 'down',
  verdict: 'triggered',
  verdictReason: '71% of 31 tasks is below 80%',
  evolution: {
    skill: 'audio-actions', phase: 'evolving', generation: 12, generations: 30, bestFitness: 0.82, meanFitness: 0.6,
    llmCalls: 100, maxLlmCalls: 5000, tokensPerSecond: 30, etaSeconds: 240, message: null,
  },
});

const testing = makeSkill({
  skill: 'file-naming',
  version: 2,
  accuracy: 0.78,
  previousAccuracy: 0.92,
  trend: 'down',
  verdict: 'testing',
  verdictReason: 'A/B session ses_1 is running',
  session: makeSession({ votes: 15, maxVotes: 50, leader: 'B', leaderPBest: 0.67 }),
});

describe('Popover', () => {
  it('shows each skill with accuracy, trend, version and the monitor’s verdict', async () => {
    await renderApp('popover', { state: makeState({ skills: [testing, evolving, makeSkill({ skill: 'markdown-analysis', accuracy: 0.91, previousAccuracy: 0.88, trend: 'up' })] }) });
    const fileNaming = within(screen.getByRole('listitem', { name: 'File Naming' }));
    expect(fileNaming.getByText('78%')).toBeTruthy();
    expect(fileNaming.getByRole('img', { name: 'down from 92%' })).toBeTruthy();
    expect(fileNaming.getByText('v2')).toBeTruthy();
    expect(fileNaming.getByText('A/B test running')).toBeTruthy();
    const markdown = within(screen.getByRole('listitem', { name: 'Markdown Analysis' }));
    expect(markdown.getByRole('img', { name: 'up from 88%' })).toBeTruthy();
    const audio = within(screen.getByRole('listitem', { name: 'Audio Actions' }));
    expect(audio.getByText('Evolution due')).toBeTruthy();
    expect(audio.getByText('71% of 31 tasks is below 80%')).toBeTruthy();
  });

  it('shows an evolution’s progress and cancels it', async () => {
    const { api } = await renderApp('popover', { state: makeState({ skills: [evolving] }) });
    const bar = screen.getByRole('progressbar', { name: 'Evolution progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('40');
    expect(screen.getByText('Generation 12/30')).toBeTruthy();
    expect(screen.getByText('best fitness 0.82 · about 4 min left')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Cancel' })));
    expect(api.callsOf('cancelEvolution')).toEqual([['audio-actions']]);
    expect(screen.getByText('Evolution cancelled')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('shows the A/B session: votes, leader and P(best)', async () => {
    await renderApp('popover', { state: makeState({ skills: [testing] }) });
    const panel = within(screen.getByRole('region', { name: 'A/B test of File Naming' }));
    expect(panel.getByText('15/50 votes')).toBeTruthy();
    expect(panel.getByText('Variant B leads')).toBeTruthy();
    expect(panel.getByText('P(best) 67%')).toBeTruthy();
  });

  it('offers a hand promotion when a finished test waits for the user', async () => {
    const waiting = makeSkill({ session: makeSession({ status: 'completed', outcome: 'awaiting_manual', leader: 'C', leaderPBest: 0.98 }) });
    const { api } = await renderApp('popover', { state: makeState({ skills: [waiting] }) });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Promote C' })));
    expect(api.callsOf('promote')).toEqual([['file-naming', 'C']]);
  });

  it('opens the choice window from “Vote now (N waiting)” only when votes wait', async () => {
    const { api } = await renderApp('popover', { rounds: [makeRound({ taskId: 't1' }), makeRound({ taskId: 't2' })] });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Vote now (2 waiting)' })));
    expect(api.callsOf('openWindow')).toEqual([['choice']]);
    await act(async () => {
      api.rounds.forEach((r) => (r.status = 'skipped'));
      api.push({ pendingVotes: [] });
    });
    expect(screen.queryByRole('button', { name: /Vote now/ })).toBeNull();
  });

  it('pauses evolution, opens Preferences… and runs the monitor', async () => {
    const { api } = await renderApp('popover');
    const pause = screen.getByRole('switch', { name: 'Pause evolution' }) as HTMLInputElement;
    expect(pause.checked).toBe(false);
    await act(async () => fireEvent.click(pause));
    expect(api.callsOf('setEvolutionPaused')).toEqual([[true]]);
    expect((screen.getByRole('switch', { name: 'Pause evolution' }) as HTMLInputElement).checked).toBe(true);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Preferences…' })));
    expect(api.callsOf('openWindow')).toEqual([['preferences']]);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Check accuracy now' })));
    expect(api.callsOf('runMonitor')).toHaveLength(1);
  });

  it('closes on Esc', async () => {
    const { api } = await renderApp('popover');
    await act(async () => fireEvent.keyDown(window, { key: 'Escape' }));
    expect(api.callsOf('closeWindow')).toHaveLength(1);
  });

  it('shows config issues as a warning line', async () => {
    await renderApp('popover', { state: makeState({ configIssues: ['config.yaml:4: prompt_evolution.triggers.sample_size must be ≥ 1'] }) });
    const alert = screen.getByRole('alert', { name: 'Problems in config.yaml' });
    expect(within(alert).getByText('config.yaml:4: prompt_evolution.triggers.sample_size must be ≥ 1')).toBeTruthy();
  });

  it('shows an action’s refusal as one line', async () => {
    const api = new FakeApi();
    api.failures.runMonitor = 'the monitor is already running';
    await renderApp('popover', api);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Check accuracy now' })));
    expect(screen.getByRole('alert').textContent).toBe('the monitor is already running');
  });

  it('follows pushed state and unsubscribes on unmount', async () => {
    const { api, unmount } = await renderApp('popover');
    expect(api.listenerCount).toBe(1);
    await act(async () => {
      api.push({ skills: [makeSkill({ accuracy: 0.55, previousAccuracy: 0.9, trend: 'down' })] });
    });
    expect(screen.getByText('55%')).toBeTruthy();
    unmount();
    expect(api.listenerCount).toBe(0);
  });
});
