import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '../test/fake-api';
import { makeProposal, makeState, makeVoteProposal } from '../test/fixtures';
import { renderApp } from '../test/render-app';

const item = (name: string) => within(screen.getByRole('listitem', { name }));
const SHOT = 'Screenshot 2026-11-02 at 09.41.12.png';

describe('Rename suggestions', () => {
  it('says where names will come from while nothing waits', async () => {
    await renderApp('popover');
    expect(screen.queryByRole('region', { name: /Rename Suggestions/ })).toBeNull();
    expect(screen.getByText('New files in ~/Desktop/Screenshots get a name suggestion here.')).toBeVisible();
  });

  it('shows original → proposed and accepts it', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeProposal()] }) });
    const row = item(SHOT);
    expect(row.getByText('login-form-desktop-error.png')).toBeVisible();
    await act(async () => fireEvent.click(row.getByRole('button', { name: 'Accept' })));
    expect(api.callsOf('acceptProposal')).toEqual([['fp_1', undefined]]);
    expect(screen.queryByRole('listitem', { name: SHOT })).toBeNull();
    expect(screen.getByRole('status').textContent).toBe(`Renamed ${SHOT} to login-form-desktop-error.png.`);
  });

  it('edits inline: Enter renames to the typed name', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeProposal()] }) });
    await act(async () => fireEvent.click(item(SHOT).getByRole('button', { name: 'Edit' })));
    const field = screen.getByRole('textbox', { name: `New name for ${SHOT}` }) as HTMLInputElement;
    expect(field.value).toBe('login-form-desktop-error.png');
    expect(document.activeElement).toBe(field);
    fireEvent.change(field, { target: { value: 'login-error.png' } });
    await act(async () => fireEvent.keyDown(field, { key: 'Enter' }));
    expect(api.callsOf('editProposal')).toEqual([['fp_1', 'login-error.png', undefined]]);
    expect(api.renamed).toEqual([{ from: SHOT, to: 'login-error.png' }]);
  });

  it('Esc cancels the edit without closing the popover', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeProposal()] }) });
    await act(async () => fireEvent.click(item(SHOT).getByRole('button', { name: 'Edit' })));
    await act(async () => fireEvent.keyDown(screen.getByRole('textbox'), { key: 'Escape' }));
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(api.callsOf('closeWindow')).toHaveLength(0);
    expect(api.callsOf('editProposal')).toHaveLength(0);
    expect(item(SHOT).getByRole('button', { name: 'Accept' })).toBeVisible();
  });

  it('skips without renaming', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeProposal()] }) });
    await act(async () => fireEvent.click(item(SHOT).getByRole('button', { name: 'Skip' })));
    expect(api.callsOf('skipProposal')).toEqual([['fp_1']]);
    expect(api.renamed).toEqual([]);
    expect(screen.queryByRole('listitem', { name: SHOT })).toBeNull();
  });

  it('a vote proposal offers the arms’ names; picking one renames to it', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeVoteProposal()] }) });
    const row = item('IMG_4521.jpg');
    expect(row.getByText('Which name fits best?')).toBeVisible();
    expect(row.queryByRole('button', { name: 'Accept' })).toBeNull();
    expect((row.getByRole('button', { name: '3 (no usable name)' }) as HTMLButtonElement).disabled).toBe(true);
    await act(async () => fireEvent.click(row.getByRole('button', { name: '2 orange-bridge-fog-photo.jpg' })));
    expect(api.callsOf('acceptProposal')).toEqual([['fp_2', '2']]);
    expect(api.renamed).toEqual([{ from: 'IMG_4521.jpg', to: 'orange-bridge-fog-photo.jpg' }]);
  });

  it('a proposal without a usable name can only be edited or skipped', async () => {
    await renderApp('popover', {
      state: makeState({
        proposals: [makeProposal({ proposed: null, note: "The model's answer is not a usable file name: edit it or skip" })],
      }),
    });
    const row = item(SHOT);
    expect(row.getByText('No usable name')).toBeVisible();
    expect((row.getByRole('button', { name: 'Accept' }) as HTMLButtonElement).disabled).toBe(true);
    expect(row.getByText(/not a usable file name/)).toBeVisible();
  });

  it('a stale proposal shows its note and can be dismissed', async () => {
    const stale = makeProposal({ status: 'stale', note: `${SHOT} was moved or deleted; left alone` });
    const { api } = await renderApp('popover', { state: makeState({ proposals: [stale] }) });
    const row = item(SHOT);
    expect(row.getByText(/was moved or deleted/)).toBeVisible();
    expect(row.queryByRole('button', { name: 'Accept' })).toBeNull();
    await act(async () => fireEvent.click(row.getByRole('button', { name: 'Dismiss' })));
    expect(api.callsOf('dismissProposal')).toEqual([['fp_1']]);
  });

  it('shows a refusal as one line on the proposal', async () => {
    const api = new FakeApi({ state: makeState({ proposals: [makeProposal()] }) });
    api.failures.acceptProposal = 'proposal fp_1 was already decided (renamed)';
    await renderApp('popover', api);
    await act(async () => fireEvent.click(item(SHOT).getByRole('button', { name: 'Accept' })));
    expect(item(SHOT).getByRole('alert').textContent).toBe('proposal fp_1 was already decided (renamed)');
  });

  it('undoes the last rename and says what it restored', async () => {
    const { api } = await renderApp('popover', { state: makeState({ proposals: [makeProposal()] }) });
    await act(async () => fireEvent.click(item(SHOT).getByRole('button', { name: 'Accept' })));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Undo Last Rename' })));
    expect(api.callsOf('undoRenames')).toEqual([[1]]);
    expect(screen.getByRole('status').textContent).toBe(`Restored ${SHOT} (was login-form-desktop-error.png)`);
    expect(screen.queryByRole('button', { name: 'Undo Last Rename' })).toBeNull();
  });

  it('follows pushed proposals', async () => {
    const { api } = await renderApp('popover');
    await act(async () => {
      api.push({ proposals: [makeProposal(), makeVoteProposal()] });
    });
    expect(screen.getAllByRole('listitem', { name: /Screenshot|IMG_4521/ })).toHaveLength(2);
  });
});
