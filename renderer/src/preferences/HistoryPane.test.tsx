import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '../test/fake-api';
import { makeHistory, makeInsight, makeSkill, makeState, makeVersion } from '../test/fixtures';
import { renderApp } from '../test/render-app';

const history = () =>
  makeHistory('file-naming', [
    makeVersion({
      version: 1,
      prompt: 'Rename this file.\nUse kebab-case.\n{{input}}',
      activeTo: '2026-11-03T10:00:00.000Z',
      accuracyEnd: 0.78,
      current: false,
    }),
    makeVersion({
      version: 2,
      prompt: 'Rename this file.\nFormat: subject-platform.ext\n{{input}}',
      activeFrom: '2026-11-03T10:00:00.000Z',
      source: 'promotion',
      current: true,
    }),
  ]);

async function openHistory(
  api = new FakeApi({
    state: makeState({ skills: [makeSkill({ version: 2 }), makeSkill({ skill: 'audio-actions' })] }),
    histories: [history(), makeHistory('audio-actions')],
  }),
) {
  await renderApp('preferences', api);
  await act(async () => fireEvent.click(screen.getByRole('tab', { name: 'History' })));
  return api;
}

const select = async (name: RegExp) => {
  await act(async () => fireEvent.click(screen.getByRole('checkbox', { name })));
};

describe('History', () => {
  it('draws the skill’s accuracy over the weeks with its promotion, and this month’s cost and gain', async () => {
    await openHistory();
    expect(screen.getByRole('img', { name: /^Accuracy over 8 weeks: 86% to 91%; promoted to version 2 on Oct 30, 2026$/ })).toBeVisible();
    expect(screen.getByText('This month: 14 votes asked (12 given), 1 evolution run; version 2: 74% → 90%.')).toBeVisible();
  });

  it('says plainly when nothing was asked this month for the skill', async () => {
    const month = { votesAsked: 0, votesGiven: 0, evolutionsRun: 0, promotions: [] };
    const skill = makeSkill({ insight: makeInsight({ month }) });
    await openHistory(new FakeApi({ state: makeState({ skills: [skill] }), histories: [history()] }));
    expect(screen.getByText('This month: nothing asked of you for this skill yet.')).toBeVisible();
  });

  it('leaves out what did not happen this month: a promotion by hand with no votes and no evolution', async () => {
    const month = {
      votesAsked: 0,
      votesGiven: 0,
      evolutionsRun: 0,
      promotions: [{ version: 2, at: '2026-11-20T10:00:00.000Z', before: 0.75, after: 0.8, samples: 20 }],
    };
    await openHistory(
      new FakeApi({ state: makeState({ skills: [makeSkill({ version: 2, insight: makeInsight({ month }) })] }), histories: [history()] }),
    );
    expect(screen.getByText('This month: version 2: 75% → 80%.')).toBeVisible();
  });

  it('says a version promoted this month is not measured yet until it has results, as the popover does', async () => {
    const month = {
      votesAsked: 3,
      votesGiven: 3,
      evolutionsRun: 0,
      promotions: [{ version: 2, at: '2026-11-20T10:00:00.000Z', before: 0.75, after: null, samples: 0 }],
    };
    const skill = makeSkill({ version: 2, insight: makeInsight({ month }) });
    await openHistory(new FakeApi({ state: makeState({ skills: [skill] }), histories: [history()] }));
    expect(screen.getByText('This month: 3 votes asked (3 given); version 2: 75% → not measured yet.')).toBeVisible();
  });

  it('lists the first skill’s versions, newest first, with dates, accuracy and source', async () => {
    const api = await openHistory();
    expect(api.callsOf('getHistory')[0]).toEqual(['file-naming']);
    const rows = within(screen.getByRole('list', { name: 'Prompt versions' })).getAllByRole('listitem');
    expect(rows.map((r) => r.textContent)).toEqual([
      'v2CurrentNov 3, 2026 – nowno accuracy yet · promotion',
      'v1Sep 15, 2026 – Nov 3, 2026accuracy 78% · initial',
    ]);
  });

  it('says where a version’s idea came from when another skill taught it (cross-skill learning)', async () => {
    const learned = 'learned from audio-actions v3 (added an output rule: "Reply with only the name.")';
    const taught = makeHistory('file-naming', [makeVersion({ version: 2, source: 'promotion', learnedFrom: learned })]);
    await openHistory(new FakeApi({ state: makeState({ skills: [makeSkill({ version: 2 })] }), histories: [taught] }));
    expect(screen.getByText(learned)).toBeVisible();
  });

  it('shows one selected version’s prompt and a line diff of two', async () => {
    await openHistory();
    await select(/Select version 1/);
    expect(screen.getByRole('region', { name: 'Prompt of version 1' }).textContent).toContain('Use kebab-case.');
    await select(/Select version 2/);
    const diff = screen.getByRole('region', { name: 'Changes from version 1 to version 2' });
    const lines = within(diff)
      .getAllByRole('listitem')
      .map((li) => `${li.className.replace('diff__line diff__line--', '')}:${li.lastChild?.textContent}`);
    expect(lines).toEqual(['same:Rename this file.', 'removed:Use kebab-case.', 'added:Format: subject-platform.ext', 'same:{{input}}']);
    expect(within(diff).getByText('+1')).toBeVisible();
  });

  it('rolls back after a confirmation, and can be cancelled', async () => {
    const api = await openHistory();
    await select(/Select version 1/);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Roll back to v1' })));
    expect(screen.getByRole('alertdialog', { name: 'Roll back File Naming to version 1?' })).toBeVisible();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Cancel' })));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(api.callsOf('rollback')).toEqual([]);

    const opener = screen.getByRole('button', { name: 'Roll back to v1' });
    act(() => opener.focus());
    await act(async () => fireEvent.click(opener));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Roll Back' }));
    // Focus stays in the sheet.
    fireEvent.keyDown(document, { key: 'Tab' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    fireEvent.keyDown(document, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Roll Back' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Roll Back' })));
    expect(api.callsOf('rollback')).toEqual([['file-naming', 1]]);
    expect(screen.getByRole('status').textContent).toBe('File Naming now runs version 1.');
    const rows = within(screen.getByRole('list', { name: 'Prompt versions' })).getAllByRole('listitem');
    expect(rows).toHaveLength(3);
    expect(rows[0].textContent).toContain('v1Current');
  });

  it('offers no rollback to the version in use', async () => {
    await openHistory();
    await select(/Select version 2/);
    expect(screen.queryByRole('button', { name: /Roll back/ })).toBeNull();
  });

  it('shows a refused rollback as one line', async () => {
    const api = new FakeApi({ state: makeState({ skills: [makeSkill({ version: 2 })] }), histories: [history()] });
    api.failures.rollback = 'a promotion of file-naming is in progress';
    await openHistory(api);
    await select(/Select version 1/);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Roll back to v1' })));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Roll Back' })));
    expect(screen.getByRole('alert').textContent).toBe('a promotion of file-naming is in progress');
  });

  it('switches skills and reloads when the version changes elsewhere', async () => {
    const api = await openHistory();
    await act(async () => fireEvent.change(screen.getByLabelText('Skill'), { target: { value: 'audio-actions' } }));
    expect(api.callsOf('getHistory').at(-1)).toEqual(['audio-actions']);
    await act(async () => fireEvent.change(screen.getByLabelText('Skill'), { target: { value: 'file-naming' } }));
    const calls = api.callsOf('getHistory').length;
    await act(async () => {
      api.histories.get('file-naming')!.versions.push(makeVersion({ version: 3, prompt: 'v3\n{{input}}' }));
      api.histories.get('file-naming')!.versions[1].current = false;
      api.push({ skills: [makeSkill({ version: 3 }), makeSkill({ skill: 'audio-actions' })] });
    });
    expect(api.callsOf('getHistory').length).toBe(calls + 1);
    expect(screen.getByText('v3')).toBeVisible();
  });

  it('resets the skill to its default prompt after a confirm sheet, and says how to undo', async () => {
    const api = new FakeApi({ state: makeState({ skills: [makeSkill({ version: 2, canReset: true })] }), histories: [history()] });
    await openHistory(api);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Reset to Default Prompt…' })));
    const sheet = screen.getByRole('alertdialog', { name: 'Reset File Naming to its default prompt?' });
    expect(sheet.textContent).toContain('Version 2 and every other version stay in the history');
    await act(async () => fireEvent.click(within(sheet).getByRole('button', { name: 'Cancel' })));
    expect(api.callsOf('resetToDefault')).toEqual([]);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Reset to Default Prompt…' })));
    await act(async () => fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Reset' })));
    expect(api.callsOf('resetToDefault')).toEqual([['file-naming']]);
    expect(screen.getByRole('status').textContent).toBe(
      'File Naming now runs its default prompt (version 1). To undo, select version 2 and roll back to it.',
    );
    expect((screen.getByRole('button', { name: 'Reset to Default Prompt…' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('disables the reset with a reason', async () => {
    await openHistory(new FakeApi({ state: makeState({ skills: [makeSkill({ version: 1 })] }), histories: [history()] }));
    const button = screen.getByRole('button', { name: 'Reset to Default Prompt…' }) as HTMLButtonElement;
    expect([button.disabled, button.title]).toEqual([true, 'This skill already runs its default prompt.']);
  });

  it('shows the monthly reset reminder when there is one', async () => {
    const suggestion =
      'file-naming version 3 has drifted far from its default prompt (80% of its words changed): consider resetting it to the default.';
    await openHistory(
      new FakeApi({
        state: makeState({ skills: [makeSkill({ version: 3, canReset: true, resetSuggestion: suggestion })] }),
        histories: [history()],
      }),
    );
    expect(screen.getByText(suggestion)).toBeVisible();
  });
});
