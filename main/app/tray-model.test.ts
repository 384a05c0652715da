import { describe, expect, it } from 'vitest';
import { makeEvolution, makeSkillState } from '../../contract/view-fixtures';
import { proposalFixture, roundFixture, skillFixture, stateFixture } from '../test-support/app-state-fixture';
import { mostInNeed, trayIconKind, trayMenuModel, trayTitle, trayTooltip } from './tray-model';

const evolving = skillFixture({
  skill: 'code-linting-fast',
  accuracy: 0.85,
  trend: 'down',
  state: makeSkillState({ kind: 'evolving', label: 'Evolving (generation 3 of 30, about 15 min left)', tone: 'accent' }),
  evolution: makeEvolution({ fraction: 0.12 }),
});

describe('tray title and icon', () => {
  it('shows the accuracy of the skill most in need', () => {
    const state = stateFixture();
    expect(mostInNeed(state)?.skill).toBe('markdown-analysis');
    expect(trayTitle(state)).toBe('78%');
    expect(trayIconKind(state)).toBe('idle');
  });

  it('ignores skills without feedback and shows nothing before any', () => {
    expect(trayTitle(stateFixture({ skills: [skillFixture({ accuracy: null })] }))).toBe('');
    expect(trayTitle(stateFixture({ skills: [skillFixture({ accuracy: null }), skillFixture({ skill: 'x', accuracy: 0.5 })] }))).toBe(
      '50%',
    );
  });

  it('has a distinct state while a vote waits or an evolution runs', () => {
    const voting = stateFixture({ pendingVotes: [roundFixture()] });
    expect(trayTitle(voting)).toBe('78% • vote');
    expect(trayIconKind(voting)).toBe('vote');
    expect(trayTitle(stateFixture({ pendingVotes: [roundFixture(), roundFixture({ taskId: 't2' })] }))).toBe('78% • 2 votes');
    const busy = stateFixture({ skills: [...stateFixture().skills, evolving], pendingVotes: [roundFixture()] });
    expect(trayTitle(busy)).toBe('78% ↻ 12%');
    expect(trayIconKind(busy)).toBe('busy');
    expect(trayTooltip(busy)).toBe(
      'tinyArms\nMarkdown Analysis: 78%, needs a better prompt\nCode Linting Fast: Evolving (generation 3 of 30, about 15 min left)\n1 vote waiting',
    );
  });

  it('can be turned off in preferences', () => {
    const state = stateFixture({ pendingVotes: [roundFixture()] });
    expect(trayTitle({ ...state, preferences: { ...state.preferences, trayTitle: false } })).toBe('');
  });
});

describe('tray menu', () => {
  it('lists each skill with accuracy and its one live state, in the popover’s words, then the app actions', () => {
    const needs = makeSkillState({ kind: 'needs-prompt', label: 'Needs a better prompt', tone: 'bad' });
    const items = trayMenuModel(
      stateFixture({ skills: [skillFixture(), skillFixture({ skill: 'markdown-analysis', accuracy: 0.78, trend: 'down', state: needs })] }),
    );
    expect(items.map((i) => i.label ?? '---')).toEqual([
      'File Naming   92% · Healthy',
      'Markdown Analysis   78% ↓ · Needs a better prompt',
      '---',
      'Pause evolution',
      'Check accuracy now',
      '---',
      'Preferences…',
      'Launch at login',
      '---',
      'Quit tinyArms',
    ]);
    expect(items.find((i) => i.label === 'Pause evolution')).toMatchObject({
      type: 'checkbox',
      checked: false,
      action: { kind: 'pause', paused: true },
    });
    expect(items.find((i) => i.label === 'Launch at login')).toMatchObject({
      checked: false,
      action: { kind: 'launchAtLogin', enabled: true },
    });
    expect(items.at(-1)!.action).toEqual({ kind: 'quit' });
  });

  it('offers "Vote now" while votes wait and shows tests and evolutions per skill', () => {
    const testing = makeSkillState({ kind: 'testing', label: 'Testing (12 votes; a decision usually within ~9 more)', tone: 'accent' });
    const state = stateFixture({
      skills: [skillFixture({ state: testing }), evolving],
      pendingVotes: [roundFixture(), roundFixture({ taskId: 't2' })],
      evolutionPaused: true,
    });
    const items = trayMenuModel(state);
    expect(items[0].label).toBe('File Naming   92% · Testing (12 votes; a decision usually within ~9 more)');
    expect(items[1].label).toBe('Code Linting Fast   85% ↓ · Evolving (generation 3 of 30, about 15 min left)');
    expect(items.find((i) => i.label?.startsWith('Vote now'))).toMatchObject({
      label: 'Vote now… (2 waiting)',
      action: { kind: 'open', route: 'choice' },
    });
    expect(items.find((i) => i.label === 'Pause evolution')).toMatchObject({ checked: true, action: { kind: 'pause', paused: false } });
  });

  it('offers the rename suggestions while proposals wait', () => {
    const state = stateFixture({
      proposals: [proposalFixture(), proposalFixture({ id: 'fp_2' }), proposalFixture({ id: 'fp_3', status: 'stale' })],
    });
    expect(trayMenuModel(state).find((i) => i.label?.startsWith('Rename'))).toMatchObject({
      label: 'Rename suggestions… (2)',
      action: { kind: 'open', route: 'popover' },
    });
    expect(trayTooltip(state)).toContain('2 rename suggestions');
    expect(trayMenuModel(stateFixture()).find((i) => i.label?.startsWith('Rename'))).toBeUndefined();
  });
});

describe('reset to default prompt in the tray menu', () => {
  it('offers a reset for each skill that runs an evolved version, marked when the monthly reminder suggests it', () => {
    const state = stateFixture({
      skills: [
        skillFixture({ skill: 'file-naming', version: 3, canReset: true, resetSuggestion: 'file-naming version 3 has drifted far…' }),
        skillFixture({ skill: 'audio-actions', version: 2, canReset: true }),
        skillFixture({ skill: 'markdown-analysis', version: 1, canReset: false }),
      ],
    });
    const resets = trayMenuModel(state).filter((i) => i.action?.kind === 'reset');
    expect(resets.map((i) => [i.label, i.action])).toEqual([
      ['Reset File Naming to Default Prompt… (suggested)', { kind: 'reset', skill: 'file-naming', version: 3 }],
      ['Reset Audio Actions to Default Prompt…', { kind: 'reset', skill: 'audio-actions', version: 2 }],
    ]);
    expect(trayMenuModel(stateFixture()).some((i) => i.action?.kind === 'reset')).toBe(false);
  });
});
