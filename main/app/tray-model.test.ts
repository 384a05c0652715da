import { describe, expect, it } from 'vitest';
import { proposalFixture, roundFixture, skillFixture, stateFixture } from '../test-support/app-state-fixture';
import { mostInNeed, trayIconKind, trayMenuModel, trayTitle, trayTooltip } from './tray-model';

const evolving = skillFixture({
  skill: 'code-linting-fast',
  accuracy: 0.85,
  trend: 'down',
  evolution: { skill: 'code-linting-fast', phase: 'evolving', generation: 3, generations: 30, bestFitness: 0.7, meanFitness: 0.5, llmCalls: 90, maxLlmCalls: 5000, tokensPerSecond: 40, etaSeconds: 900, message: null },
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
    expect(trayTitle(stateFixture({ skills: [skillFixture({ accuracy: null }), skillFixture({ skill: 'x', accuracy: 0.5 })] }))).toBe('50%');
  });

  it('has a distinct state while a vote waits or an evolution runs', () => {
    const voting = stateFixture({ pendingVotes: [roundFixture()] });
    expect(trayTitle(voting)).toBe('78% • vote');
    expect(trayIconKind(voting)).toBe('vote');
    expect(trayTitle(stateFixture({ pendingVotes: [roundFixture(), roundFixture({ taskId: 't2' })] }))).toBe('78% • 2 votes');
    const busy = stateFixture({ skills: [...stateFixture().skills, evolving], pendingVotes: [roundFixture()] });
    expect(trayTitle(busy)).toBe('78% ↻ 3/30');
    expect(trayIconKind(busy)).toBe('busy');
    expect(trayTooltip(busy)).toBe('tinyArms\nmarkdown-analysis: 78% (threshold 80%)\nEvolving code-linting-fast\n1 vote waiting');
  });

  it('can be turned off in preferences', () => {
    const state = stateFixture({ pendingVotes: [roundFixture()] });
    expect(trayTitle({ ...state, preferences: { ...state.preferences, trayTitle: false } })).toBe('');
  });
});

describe('tray menu', () => {
  it('lists each skill with accuracy and state, then the app actions', () => {
    const items = trayMenuModel(stateFixture());
    expect(items.map((i) => i.label ?? '---')).toEqual([
      'file-naming   92% · healthy',
      'markdown-analysis   78% ↓ · below 80%',
      '---',
      'Pause evolution',
      'Check accuracy now',
      '---',
      'Preferences…',
      'Launch at login',
      '---',
      'Quit tinyArms',
    ]);
    expect(items.find((i) => i.label === 'Pause evolution')).toMatchObject({ type: 'checkbox', checked: false, action: { kind: 'pause', paused: true } });
    expect(items.find((i) => i.label === 'Launch at login')).toMatchObject({ checked: false, action: { kind: 'launchAtLogin', enabled: true } });
    expect(items.at(-1)!.action).toEqual({ kind: 'quit' });
  });

  it('offers "Vote now" while votes wait and shows tests and evolutions per skill', () => {
    const session = { id: 's', skill: 'file-naming', status: 'active' as const, votes: 12, maxVotes: 50, none: 0, skips: 0, elapsedDays: 1, leader: 'C', leaderPBest: 0.6, decisionReason: '', outcome: null, arms: [] };
    const state = stateFixture({
      skills: [skillFixture({ session }), evolving],
      pendingVotes: [roundFixture(), roundFixture({ taskId: 't2' })],
      evolutionPaused: true,
    });
    const items = trayMenuModel(state);
    expect(items[0].label).toBe('file-naming   92% · A/B test, 12/50 votes');
    expect(items[1].label).toBe('code-linting-fast   85% ↓ · evolving, generation 3/30');
    expect(items.find((i) => i.label?.startsWith('Vote now'))).toMatchObject({ label: 'Vote now… (2 waiting)', action: { kind: 'open', route: 'choice' } });
    expect(items.find((i) => i.label === 'Pause evolution')).toMatchObject({ checked: true, action: { kind: 'pause', paused: false } });
  });

  it('offers the rename suggestions while proposals wait', () => {
    const state = stateFixture({ proposals: [proposalFixture(), proposalFixture({ id: 'fp_2' }), proposalFixture({ id: 'fp_3', status: 'stale' })] });
    expect(trayMenuModel(state).find((i) => i.label?.startsWith('Rename'))).toMatchObject({ label: 'Rename suggestions… (2)', action: { kind: 'open', route: 'popover' } });
    expect(trayTooltip(state)).toContain('2 rename suggestions');
    expect(trayMenuModel(stateFixture()).find((i) => i.label?.startsWith('Rename'))).toBeUndefined();
  });
});
