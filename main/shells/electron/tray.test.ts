import { makeEvolution, makeSkillState } from '../../../contract/view-fixtures';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { roundFixture, skillFixture, stateFixture } from '../../test-support/app-state-fixture';
import type { TrayAction } from '../../app/tray-model';
import * as fake from './fake-electron';
import { createTray, getTrayMenu, resetTray, updateTray } from './tray';

vi.mock('electron', () => import('./fake-electron'));

const actions: TrayAction[] = [];
const clicks: unknown[] = [];

beforeEach(() => {
  resetTray();
  fake.resetFakeElectron();
  actions.length = 0;
  clicks.length = 0;
  createTray({ assetsDir: '/app/assets', onAction: (a) => actions.push(a), onClick: (b) => clicks.push(b) });
});

const tray = () => fake.Tray.instances[0];
const menuItems = () => (getTrayMenu() as unknown as { items: fake.FakeMenuItem[] }).items;

describe('tray', () => {
  it('starts with the template icon and one module-level Tray', () => {
    expect(fake.Tray.instances).toHaveLength(1);
    expect(tray().image).toMatchObject({ path: '/app/assets/trayTemplate.png', template: true });
    createTray({ assetsDir: '/elsewhere', onAction: () => {}, onClick: () => {} });
    expect(fake.Tray.instances).toHaveLength(1);
  });

  it('titles itself with the accuracy of the skill most in need, in monospaced digits', () => {
    updateTray(stateFixture());
    expect(tray().title).toBe('78%');
    expect(tray().titleOptions).toEqual({ fontType: 'monospacedDigit' });
    expect(tray().tooltip).toContain('Markdown Analysis: 78%');
  });

  it('switches icon and title while a vote waits or an evolution runs, and drops the title when turned off', () => {
    updateTray(stateFixture({ pendingVotes: [roundFixture()] }));
    expect(tray().image).toMatchObject({ path: '/app/assets/trayVoteTemplate.png', template: true });
    expect(tray().title).toBe('78% • vote');
    const evolving = skillFixture({
      skill: 'audio-actions',
      accuracy: 0.9,
      state: makeSkillState({ kind: 'evolving', label: 'Evolving (comparing the best prompts)', tone: 'accent' }),
      evolution: makeEvolution({ step: 'Comparing the best prompts', fraction: 0.97 }),
    });
    updateTray(stateFixture({ skills: [skillFixture(), evolving] }));
    expect(tray().image).toMatchObject({ path: '/app/assets/trayBusyTemplate.png' });
    expect(tray().title).toBe('90% ↻ 97%');
    const state = stateFixture();
    updateTray({ ...state, preferences: { ...state.preferences, trayTitle: false } });
    expect(tray().title).toBe('');
    expect(tray().image).toMatchObject({ path: '/app/assets/trayTemplate.png' });
  });

  it('builds the menu from the state and runs its actions', () => {
    updateTray(stateFixture({ pendingVotes: [roundFixture()], evolutionPaused: true }));
    const items = menuItems();
    expect(items.map((i) => i.label ?? i.type)).toEqual([
      'File Naming   92% · Healthy',
      'Markdown Analysis   78% ↓ · Needs a better prompt',
      'separator',
      'Vote now…',
      'Pause evolution',
      'Check accuracy now',
      'separator',
      'Preferences…',
      'Launch at login',
      'separator',
      'Quit tinyArms',
    ]);
    expect(items.find((i) => i.label === 'Pause evolution')).toMatchObject({ type: 'checkbox', checked: true });
    for (const label of ['Vote now…', 'Pause evolution', 'Preferences…', 'Launch at login', 'Quit tinyArms']) {
      items.find((i) => i.label === label)!.click!();
    }
    expect(actions).toEqual([
      { kind: 'open', route: 'choice' },
      { kind: 'pause', paused: false },
      { kind: 'open', route: 'preferences' },
      { kind: 'launchAtLogin', enabled: true },
      { kind: 'quit' },
    ]);
  });

  it('opens the popover on click and the menu on right-click', () => {
    updateTray(stateFixture());
    tray().emit('click', {}, { x: 1000, y: 0, width: 24, height: 24 });
    expect(clicks).toEqual([{ x: 1000, y: 0, width: 24, height: 24 }]);
    tray().emit('right-click');
    expect(fake.callsOf('tray.popUpContextMenu')).toEqual([[getTrayMenu()]]);
  });

  it('reset removes the icon', () => {
    resetTray();
    expect(tray().destroyed).toBe(true);
    updateTray(stateFixture());
    expect(tray().title).toBe('');
  });
});
