import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeSkill, makeState, makeTeamWithMates } from '../test/fixtures';
import { renderApp } from '../test/render-app';

const openTeam = async () => {
  await act(async () => fireEvent.click(screen.getByRole('tab', { name: 'Team' })));
};

const click = async (element: HTMLElement) => {
  await act(async () => fireEvent.click(element));
};

describe('Preferences › Team', () => {
  it('joins with a typed folder and the default name, and says at the form why a name is refused', async () => {
    const { api } = await renderApp('preferences');
    await openTeam();
    expect(screen.getByLabelText('Your name').getAttribute('placeholder')).toBe('me-macbook');
    await click(screen.getByRole('button', { name: 'Join Team' }));
    expect(screen.getByRole('alert').textContent).toBe('Type the shared folder’s full path, e.g. /Users/you/Dropbox/tinyarms-team.');
    await act(async () => fireEvent.change(screen.getByLabelText('Folder'), { target: { value: ' /Users/me/Dropbox/team ' } }));
    await act(async () => fireEvent.change(screen.getByLabelText('Your name'), { target: { value: 'me too' } }));
    await click(screen.getByRole('button', { name: 'Join Team' }));
    expect(screen.getByRole('alert').textContent).toBe("'me too' is not a member name (letters, digits, - _ .)");
    await act(async () => fireEvent.change(screen.getByLabelText('Your name'), { target: { value: '' } }));
    await click(screen.getByRole('button', { name: 'Join Team' }));
    expect(api.callsOf('joinTeam').at(-1)).toEqual(['/Users/me/Dropbox/team', null]);
    expect(screen.getByText('You are me-macbook there.')).toBeTruthy();
  });

  it('lists teammates with what they offer; Vote Too and Test It start the tests; what cannot be taken says why', async () => {
    const { api } = await renderApp('preferences', {
      state: makeState({ team: makeTeamWithMates(), skills: [makeSkill(), makeSkill({ skill: 'markdown-analysis' })] }),
    });
    await openTeam();
    const ana = screen.getByRole('listitem', { name: 'ana' });
    await click(within(ana).getByRole('button', { name: 'Vote Too: Testing 3 prompts for Markdown Analysis · 9 votes' }));
    expect(api.callsOf('joinTeammateTest')).toEqual([['ana', 'markdown-analysis']]);
    await click(within(ana).getByRole('button', { name: 'Test It: File Naming version 4 · 93% for them' }));
    expect(api.callsOf('testTeammateVersion')).toEqual([['ana', 'file-naming']]);
    expect(within(screen.getByRole('listitem', { name: 'ana' })).getAllByText('A test of this skill is under way here.')).toHaveLength(2);
    const ben = screen.getByRole('listitem', { name: 'ben' });
    expect(within(ben).queryByRole('button')).toBeNull();
    expect(within(ben).getByText('You run this version.')).toBeTruthy();
    expect(screen.getByText(/not complete JSON \(half-synced or edited by hand\)\. Left out until it is whole again\./)).toBeTruthy();
  });

  it('sets the vote weight and input sharing, and leaves after the sheet', async () => {
    const { api } = await renderApp('preferences', { state: makeState({ team: makeTeamWithMates() }) });
    await openTeam();
    const weight = screen.getByLabelText('A teammate’s pick') as HTMLInputElement;
    expect(weight.value).toBe('0.5');
    await act(async () => {
      fireEvent.change(weight, { target: { value: '1' } });
      fireEvent.blur(weight);
    });
    await click(screen.getByRole('switch', { name: 'Share task inputs' }));
    expect(api.callsOf('setPreference')).toEqual([
      ['teamVoteWeight', 1],
      ['shareTaskInputs', true],
    ]);
    await click(screen.getByRole('button', { name: 'Leave Team…' }));
    const sheet = screen.getByRole('alertdialog', { name: 'Leave the team?' });
    expect(sheet.textContent).toContain('What you already shared stays in /Users/me/Dropbox/tinyarms-team.');
    await click(within(sheet).getByRole('button', { name: 'Leave Team' }));
    expect(api.callsOf('leaveTeam')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Join Team' })).toBeTruthy();
  });
});
