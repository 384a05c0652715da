import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeProposal, makeState, makeVoteProposal } from '../test/fixtures';
import { renderApp } from '../test/render-app';

// Number keys in a vote proposal: 1/2/3 pick that option, like the choice window.

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

describe('vote proposal keys', () => {
  it('names each option and its key for assistive tech', async () => {
    await renderApp('popover', { state: makeState({ proposals: [makeVoteProposal()] }) });
    const row = screen.getByRole('listitem', { name: VOTE });
    expect(row.tabIndex).toBe(0);
    const names = within(row).getByRole('group', { name: `Names for ${VOTE}` });
    const option2 = within(names).getByRole('button', { name: 'Option 2: orange-bridge-fog-photo.jpg' });
    expect(option2.getAttribute('aria-keyshortcuts')).toBe('2');
    const option3 = within(names).getByRole('button', { name: 'Option 3: (no usable name)' }) as HTMLButtonElement;
    expect(option3.disabled).toBe(true);
    expect(option3.hasAttribute('aria-keyshortcuts')).toBe(false);
    expect(within(row).getByText('Press 1/2 to pick · none fits? Edit it.')).toBeTruthy();
  });

  it('a number key picks that option of the first vote while nothing is focused', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeProposal(), makeVoteProposal(), otherVote()] }) });
    await press('2');
    expect(api.callsOf('acceptProposal')).toEqual([['fp_2', '2']]);
    expect(api.renamed).toEqual([{ from: VOTE, to: 'orange-bridge-fog-photo.jpg' }]);
    expect(screen.queryByRole('listitem', { name: VOTE })).toBeNull();
    // The next vote now takes the keys.
    await press('3');
    expect(api.callsOf('acceptProposal')).toEqual([['fp_2', '2'], ['fp_3', '3']]);
    expect(api.renamed.at(-1)).toEqual({ from: OTHER, to: 'street-photo.jpg' });
  });

  it('an unusable option, a modified key or another key picks nothing', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeVoteProposal()] }) });
    await press('3');
    await press('1', window, { metaKey: true });
    await press('1', window, { ctrlKey: true });
    await press('4');
    await press('a');
    expect(api.callsOf('acceptProposal')).toEqual([]);
    expect(screen.getByRole('listitem', { name: VOTE })).toBeTruthy();
  });

  it('a focused vote row takes the keys, not the first one', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeVoteProposal(), otherVote()] }) });
    const row = screen.getByRole('listitem', { name: OTHER });
    act(() => row.focus());
    await press('1', row);
    expect(api.callsOf('acceptProposal')).toEqual([['fp_3', '1']]);
    expect(api.renamed).toEqual([{ from: OTHER, to: 'red-car-street.jpg' }]);
  });

  it('a focused option button picks by key too', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeVoteProposal(), otherVote()] }) });
    const button = within(screen.getByRole('listitem', { name: OTHER })).getByRole('button', { name: 'Option 3: street-photo.jpg' });
    act(() => button.focus());
    await press('2', button);
    expect(api.callsOf('acceptProposal')).toEqual([['fp_3', '2']]);
  });

  it('keys typed into a text field stay in the field', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeProposal(), makeVoteProposal()] }) });
    await act(async () => fireEvent.click(within(screen.getByRole('listitem', { name: SHOT })).getByRole('button', { name: 'Edit' })));
    const field = screen.getByRole('textbox', { name: `New name for ${SHOT}` });
    expect(document.activeElement).toBe(field);
    await press('1', field);
    await press('2', field);
    expect(api.callsOf('acceptProposal')).toEqual([]);
  });

  it('while its own name is being edited, a vote row ignores number keys', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeVoteProposal()] }) });
    await act(async () => fireEvent.click(within(screen.getByRole('listitem', { name: VOTE })).getByRole('button', { name: 'Edit' })));
    await press('1', screen.getByRole('textbox', { name: `New name for ${VOTE}` }));
    await press('1');
    expect(api.callsOf('acceptProposal')).toEqual([]);
  });
});
