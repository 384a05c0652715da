import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '../test/fake-api';
import { makeState } from '../test/fixtures';
import { renderApp } from '../test/render-app';

const openTab = async (name: string) => {
  await act(async () => fireEvent.click(screen.getByRole('tab', { name })));
};

const edit = async (label: string, text: string, commit: 'blur' | 'enter' = 'blur') => {
  const field = screen.getByLabelText(label) as HTMLInputElement;
  await act(async () => {
    fireEvent.change(field, { target: { value: text } });
    if (commit === 'enter') fireEvent.keyDown(field, { key: 'Enter' });
    else fireEvent.blur(field);
  });
  return field;
};

describe('Preferences', () => {
  it('Esc first cancels a field edit, and only then closes the window', async () => {
    const { api } = await renderApp('preferences');
    await openTab('Evolution');
    const field = screen.getByLabelText('Evolve below') as HTMLInputElement;
    await act(async () => {
      fireEvent.change(field, { target: { value: '60' } });
      fireEvent.keyDown(field, { key: 'Escape' });
    });
    expect(field.value).toBe('80');
    expect(api.callsOf('closeWindow')).toHaveLength(0);
    await act(async () => fireEvent.keyDown(window, { key: 'Escape' }));
    expect(api.callsOf('closeWindow')).toHaveLength(1);
  });

  it('shows the settings in tabs', async () => {
    await renderApp('preferences');
    expect(screen.getByRole('tab', { name: 'General' }).getAttribute('aria-selected')).toBe('true');
    await openTab('Evolution');
    expect((screen.getByLabelText('Evolve below') as HTMLInputElement).value).toBe('80');
    expect((screen.getByLabelText('Judge after') as HTMLInputElement).value).toBe('20');
    expect((screen.getByLabelText('Wait between') as HTMLInputElement).value).toBe('168');
    expect((screen.getByLabelText('Promote a gain of') as HTMLInputElement).value).toBe('5');
    expect((screen.getByLabelText('Roll back below') as HTMLInputElement).value).toBe('70');
    await openTab('A/B Testing');
    expect((screen.getByLabelText('Votes per test') as HTMLInputElement).value).toBe('50');
    expect((screen.getByLabelText('Decide when') as HTMLInputElement).value).toBe('97');
    expect((screen.getByLabelText('Ask about') as HTMLInputElement).value).toBe('50');
    expect((screen.getByLabelText('Longest test') as HTMLInputElement).value).toBe('7');
  });

  it('sends a changed value on blur and on Enter, as the engine’s units', async () => {
    const { api } = await renderApp('preferences');
    await openTab('Evolution');
    await edit('Evolve below', '75');
    await edit('Judge after', '30', 'enter');
    expect(api.callsOf('setPreference')).toEqual([
      ['accuracyThreshold', 0.75],
      ['sampleSize', 30],
    ]);
    expect((screen.getByLabelText('Evolve below') as HTMLInputElement).value).toBe('75');
    expect(api.state.preferences.sampleSize).toBe(30);
  });

  it('does not send an unchanged value', async () => {
    const { api } = await renderApp('preferences');
    await openTab('A/B Testing');
    await edit('Votes per test', '50');
    expect(api.callsOf('setPreference')).toEqual([]);
  });

  it('says at the field when what was typed is not a number, without asking the engine', async () => {
    const { api } = await renderApp('preferences');
    await openTab('A/B Testing');
    const field = await edit('Votes per test', '1.5');
    expect(screen.getByRole('alert').textContent).toBe('Enter a whole number.');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    await edit('Votes per test', '40');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(api.callsOf('setPreference')).toEqual([['votesRequired', 40]]);
  });

  it('shows the engine’s refusal at the field, in words, and keeps the typed text', async () => {
    const api = new FakeApi();
    api.refusePreference = (key, value) =>
      key === 'votesRequired' && value === 2 ? 'Must be at least 10, the votes a test waits for before its first look.' : null;
    await renderApp('preferences', api);
    await openTab('A/B Testing');
    const field = await edit('Votes per test', '2');
    expect(api.callsOf('setPreference')).toEqual([['votesRequired', 2]]);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('Must be at least 10, the votes a test waits for before its first look.');
    expect(field.getAttribute('aria-describedby')).toBe(alert.id);
    expect(field.value).toBe('2');
    await act(async () => fireEvent.keyDown(field, { key: 'Escape' }));
    expect(field.value).toBe('50');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('restores the defaults after a sheet that keeps focus inside and gives it back after', async () => {
    const { api } = await renderApp('preferences', {
      state: makeState({ preferences: { ...makeState().preferences, accuracyThreshold: 0.6 } }),
    });
    await openTab('Evolution');
    const opener = screen.getByRole('button', { name: 'Restore Defaults…' });
    act(() => opener.focus());
    await act(async () => fireEvent.click(opener));
    const sheet = screen.getByRole('alertdialog', { name: 'Restore every preference to its default?' });
    const [cancel, confirm] = [screen.getByRole('button', { name: 'Cancel' }), screen.getByRole('button', { name: 'Restore Defaults' })];
    expect(document.activeElement).toBe(confirm);
    fireEvent.keyDown(document, { key: 'Tab' });
    expect(document.activeElement).toBe(cancel);
    fireEvent.keyDown(document, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(confirm);
    expect(sheet.contains(document.activeElement)).toBe(true);
    await act(async () => fireEvent.keyDown(sheet, { key: 'Escape' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Restore Defaults…' }));
    expect(api.callsOf('closeWindow')).toHaveLength(0);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Restore Defaults…' })));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Restore Defaults' })));
    expect(api.callsOf('restoreDefaults')).toHaveLength(1);
    expect((screen.getByLabelText('Evolve below') as HTMLInputElement).value).toBe('80');
  });

  it('shows config.yaml’s problems at their lines, where the file is, and puts the last good one back', async () => {
    const { api } = await renderApp('preferences', {
      state: makeState({
        configProblems: {
          file: '/Users/me/tinyArms/config.yaml',
          lines: ['Line 4: sample_size must be a whole number >= 1 (got "twenty")'],
        },
      }),
    });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Line 4: sample_size must be a whole number >= 1 (got "twenty")');
    expect(alert.textContent).toContain('The file is /Users/me/tinyArms/config.yaml');
    expect(screen.queryByRole('button', { name: 'Open config.yaml' })).toBeNull();
    expect((screen.getByRole('switch', { name: 'Notifications' }) as HTMLInputElement).disabled).toBe(true);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Use Last Good' })));
    expect(api.callsOf('useLastGoodConfig')).toHaveLength(1);
    expect(screen.getByRole('status').textContent).toMatch(/^config\.yaml is back as it last worked\. The file with errors was kept as /);
  });

  it('in the app, opens config.yaml', async () => {
    const state = makeState({ configProblems: { file: '/x/config.yaml', lines: ['Line 1: app must be a mapping'] } });
    state.shell = { kind: 'electron' };
    const { api } = await renderApp('preferences', { state });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Open config.yaml' })));
    expect(api.callsOf('openConfigFile')).toHaveLength(1);
  });

  it('explains and switches “Show confidence before I vote”, off by default', async () => {
    const { api } = await renderApp('preferences');
    const toggle = screen.getByRole('switch', { name: 'Show confidence before I vote' }) as HTMLInputElement;
    expect(toggle.checked).toBe(false);
    expect(screen.getByText(/seeing which option leads makes people pick it/)).toBeVisible();
    await act(async () => fireEvent.click(toggle));
    expect(api.callsOf('setPreference')).toEqual([['showConfidenceBeforeVote', true]]);
  });

  it('switches launch at login, the tray title and notifications', async () => {
    const { api } = await renderApp('preferences');
    await act(async () => fireEvent.click(screen.getByRole('switch', { name: 'Launch at login' })));
    await act(async () => fireEvent.click(screen.getByRole('switch', { name: 'Show accuracy in the menu bar' })));
    await act(async () => fireEvent.click(screen.getByRole('switch', { name: 'Notifications' })));
    expect(api.callsOf('setPreference')).toEqual([
      ['launchAtLogin', true],
      ['trayTitle', false],
      ['notifications', false],
    ]);
    expect((screen.getByRole('switch', { name: 'Launch at login' }) as HTMLInputElement).checked).toBe(true);
  });

  it('sets the model path (empty = automatic) and starts a download with progress', async () => {
    const api = new FakeApi();
    api.refusePreference = (key, value) => (key === 'modelPath' && value === '/nope.gguf' ? 'There is nothing at /nope.gguf.' : null);
    api.state.model = { configuredPath: null, resolvedPath: null, source: null, loaded: false, download: null, error: null };
    await renderApp('preferences', api);
    await openTab('Model');
    expect(screen.getByText('No model yet.')).toBeVisible();
    await edit('Model file', '  /models/smol.gguf ', 'enter');
    await edit('Model file', '');
    await edit('Model file', '/nope.gguf');
    expect(api.callsOf('setPreference')).toEqual([
      ['modelPath', '/models/smol.gguf'],
      ['modelPath', null],
      ['modelPath', '/nope.gguf'],
    ]);
    expect(screen.getByRole('alert').textContent).toBe('There is nothing at /nope.gguf.');

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Download' })));
    expect(api.callsOf('pullModel')).toHaveLength(1);
    await act(async () => {
      api.push({ model: { ...api.state.model, download: { downloadedBytes: 135_000_000, totalBytes: 270_000_000 } } });
    });
    expect(screen.getByRole('progressbar', { name: 'Model download' }).getAttribute('aria-valuenow')).toBe('50');
    expect((screen.getByRole('button', { name: 'Downloading…' }) as HTMLButtonElement).disabled).toBe(true);
    await act(async () => {
      api.push({ model: { ...api.state.model, download: null, error: 'download failed: connection reset' } });
    });
    expect(screen.getByText('download failed: connection reset')).toBeVisible();
  });

  it('shows the model in use', async () => {
    await renderApp('preferences', {
      state: makeState({
        model: {
          configuredPath: null,
          resolvedPath: '/data/models/smol.gguf',
          source: 'data-folder',
          loaded: true,
          download: null,
          error: null,
        },
      }),
    });
    await openTab('Model');
    expect(screen.getByText('/data/models/smol.gguf')).toBeVisible();
    expect(screen.getByText('Loaded; from the data folder.')).toBeVisible();
  });

  it('in the app, chooses the model file with the native dialog and shows it in Finder', async () => {
    const state = makeState();
    state.shell = { kind: 'electron' };
    const api = new FakeApi({ state });
    api.chosenFile = '/Users/me/models/other.gguf';
    await renderApp('preferences', api);
    await openTab('Model');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Choose…' })));
    expect(api.callsOf('setPreference')).toEqual([['modelPath', '/Users/me/models/other.gguf']]);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Show in Finder' })));
    expect(api.callsOf('revealInFinder')).toEqual([[state.model.resolvedPath]]);
  });

  it('moves between tabs with the arrow keys', async () => {
    await renderApp('preferences');
    fireEvent.keyDown(screen.getByRole('tab', { name: 'General' }), { key: 'ArrowLeft' });
    expect(screen.getByRole('tab', { name: 'History' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'History' }));
  });
});
