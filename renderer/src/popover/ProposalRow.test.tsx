import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '../test/fake-api';
import { makeProposal, makeState, makeVoteProposal } from '../test/fixtures';
import { renderApp } from '../test/render-app';

// A vote proposal's number keys act only on the row that has focus: a key pressed anywhere else in the popover
// must never rename a real file.

const SHOT = 'Screenshot 2026-11-02 at 09.41.12.png';
const VOTE = 'IMG_4521.jpg';
const OTHER = 'IMG_4522.jpg';
const otherVote = () =>
  makeVoteProposal({
    id: 'fp_3',
    path: `/Users/me/Desktop/${OTHER}`,
    name: OTHER,
    options: [
      { label: '1', name: 'red-car-street.jpg', text: 'red-car-street.jpg' },
      { label: '2', name: 'parked-car.jpg', text: 'parked-car.jpg' },
      { label: '3', name: 'street-photo.jpg', text: 'street-photo.jpg' },
    ],
  });
const press = (key: string, target: Window | Element = window, init: Partial<KeyboardEventInit> = {}) =>
  act(async () => {
    fireEvent.keyDown(target, { key, ...init });
  });

describe('a rename suggestion', () => {
  it('shows the file as the person knows it: preview, kind, size and where it is', async () => {
    const api = new FakeApi({ state: makeState({ proposals: [makeProposal()] }) });
    api.thumbnails.set('fp_1', 'data:image/png;base64,AAAA');
    await renderApp('popover', api);
    const row = within(screen.getByRole('listitem', { name: SHOT }));
    expect(row.getByText('PNG image · 471 KB', { exact: false })).toBeVisible();
    expect(row.getByText('· in /Users/me/Desktop', { exact: false })).toBeVisible();
    expect(document.querySelector('.thumbnail__image')?.getAttribute('src')).toBe('data:image/png;base64,AAAA');
    expect(api.callsOf('getThumbnail')).toContainEqual(['fp_1']);
  });

  it('in the app, reveals its file in Finder', async () => {
    const state = makeState({ proposals: [makeProposal()] });
    state.shell = { kind: 'electron' };
    const { api } = await renderApp('popover', { state });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Show in Finder' })));
    expect(api.callsOf('revealInFinder')).toEqual([['/Users/me/Desktop/Screenshot 2026-11-02 at 09.41.12.png']]);
  });

  it('says what happened once accepted, and a vote says it counted', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeVoteProposal()] }) });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '1 golden-gate-bridge-sunset.jpg' })));
    expect(api.renamed).toEqual([{ from: VOTE, to: 'golden-gate-bridge-sunset.jpg' }]);
    expect(screen.getByRole('status').textContent).toBe(
      'Renamed IMG_4521.jpg to golden-gate-bridge-sunset.jpg. Your vote counted: 8 votes so far; a decision usually within ~12 more.',
    );
  });
});

describe('vote proposal keys', () => {
  it('names each option by its visible text, with its key', async () => {
    await renderApp('popover', { state: makeState({ proposals: [makeVoteProposal()] }) });
    const row = screen.getByRole('listitem', { name: VOTE });
    expect(row.tabIndex).toBe(0);
    const names = within(row).getByRole('group', { name: 'Which name fits best?' });
    const option2 = within(names).getByRole('button', { name: '2 orange-bridge-fog-photo.jpg' });
    expect(option2.textContent).toBe('2 orange-bridge-fog-photo.jpg');
    expect(option2.getAttribute('aria-keyshortcuts')).toBe('2');
    const option3 = within(names).getByRole('button', { name: '3 (no usable name)' }) as HTMLButtonElement;
    expect(option3.disabled).toBe(true);
    expect(within(row).getByText('Select the row, then press 1 or 2.')).toBeVisible();
  });

  it('a number key pressed with no row focused renames nothing', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeProposal(), makeVoteProposal(), otherVote()] }) });
    await press('2');
    await press('1', document.body);
    expect(api.callsOf('acceptProposal')).toEqual([]);
    expect(api.renamed).toEqual([]);
  });

  it('the focused vote row takes the keys', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeVoteProposal(), otherVote()] }) });
    const row = screen.getByRole('listitem', { name: OTHER });
    act(() => row.focus());
    await press('1', row);
    expect(api.callsOf('acceptProposal')).toEqual([['fp_3', '1']]);
    expect(api.renamed).toEqual([{ from: OTHER, to: 'red-car-street.jpg' }]);
  });

  it('an unusable option, a modified key or another key picks nothing, even on the focused row', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeVoteProposal()] }) });
    const row = screen.getByRole('listitem', { name: VOTE });
    act(() => row.focus());
    await press('3', row);
    await press('1', row, { metaKey: true });
    await press('4', row);
    await press('a', row);
    expect(api.callsOf('acceptProposal')).toEqual([]);
  });

  it('keys typed into a text field stay in the field', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeProposal(), makeVoteProposal()] }) });
    await act(async () => fireEvent.click(within(screen.getByRole('listitem', { name: VOTE })).getByRole('button', { name: 'Edit' })));
    const field = screen.getByRole('textbox', { name: `New name for ${VOTE}` });
    expect(document.activeElement).toBe(field);
    await press('1', field);
    expect(api.callsOf('acceptProposal')).toEqual([]);
  });
});
