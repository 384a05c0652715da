import type { AppStateView, SkillView, WindowRoute } from '../../contract/api';
import { percent } from '../engine';

// What the menu-bar icon shows, derived from the state alone. Plain data: main/shells/electron/tray.ts turns it into
// Electron's Tray calls, and tests read it without Electron.

export type TrayIconKind = 'idle' | 'busy' | 'vote';

export type TrayAction =
  | { kind: 'open'; route: WindowRoute }
  | { kind: 'pause'; paused: boolean }
  | { kind: 'runMonitor' }
  /** Reset a skill to its default prompt; the shell asks for confirmation first. */
  | { kind: 'reset'; skill: string; version: number }
  | { kind: 'launchAtLogin'; enabled: boolean }
  | { kind: 'quit' };

export interface TrayMenuItem {
  type: 'normal' | 'separator' | 'checkbox';
  label?: string;
  checked?: boolean;
  enabled?: boolean;
  accelerator?: string;
  action?: TrayAction;
}

export const isEvolving = (skill: SkillView): boolean => skill.state.kind === 'evolving';

/** The skill whose accuracy is furthest below (or least above) the threshold; null before any feedback. */
export function mostInNeed(state: AppStateView): SkillView | null {
  const measured = state.skills.filter((s) => s.accuracy !== null);
  if (measured.length === 0) return null;
  const evolvable = measured.filter((s) => s.evolvable);
  const pool = evolvable.length > 0 ? evolvable : measured;
  return pool.reduce((worst, s) => ((s.accuracy as number) < (worst.accuracy as number) ? s : worst));
}

const pendingProposals = (state: AppStateView): number => state.proposals.filter((p) => p.status === 'pending').length;

export function trayIconKind(state: AppStateView): TrayIconKind {
  if (state.skills.some(isEvolving)) return 'busy';
  return state.pendingVotes.length > 0 ? 'vote' : 'idle';
}

/** The text beside the icon: "78%", "78% ↻ 14%" while evolving, "78% • vote" while a vote waits; "" when turned off. */
export function trayTitle(state: AppStateView): string {
  if (!state.preferences.trayTitle) return '';
  const parts: string[] = [];
  const need = mostInNeed(state);
  if (need) parts.push(percent(need.accuracy as number));
  const evolving = state.skills.find(isEvolving);
  if (evolving?.evolution) parts.push(`↻ ${percent(evolving.evolution.fraction)}`);
  else if (state.pendingVotes.length === 1) parts.push('• vote');
  else if (state.pendingVotes.length > 1) parts.push(`• ${state.pendingVotes.length} votes`);
  return parts.join(' ');
}

export function trayTooltip(state: AppStateView): string {
  const lines = ['tinyArms'];
  const need = mostInNeed(state);
  if (need) lines.push(`${skillTitle(need.skill)}: ${percent(need.accuracy as number)}, ${need.state.label.toLowerCase()}`);
  const evolving = state.skills.find(isEvolving);
  if (evolving) lines.push(`${skillTitle(evolving.skill)}: ${evolving.state.label}`);
  if (state.pendingVotes.length > 0) lines.push(`${state.pendingVotes.length} vote${state.pendingVotes.length === 1 ? '' : 's'} waiting`);
  const renames = pendingProposals(state);
  if (renames > 0) lines.push(`${renames} rename suggestion${renames === 1 ? '' : 's'}`);
  if (state.evolutionPaused) lines.push('Evolution paused');
  return lines.join('\n');
}

/** "file-naming" → "File Naming", as the popover names skills. */
export const skillTitle = (skill: string): string =>
  skill
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(' ');

const trend = (skill: SkillView): string => (skill.trend === 'up' ? ' ↑' : skill.trend === 'down' ? ' ↓' : '');

/** A skill's menu line: its name, accuracy and its one live state, in the popover's words. */
export function skillMenuLabel(skill: SkillView): string {
  const accuracy = skill.accuracy === null ? '—' : `${percent(skill.accuracy)}${trend(skill)}`;
  return `${skillTitle(skill.skill)}   ${accuracy} · ${skill.state.label}`;
}

export function trayMenuModel(state: AppStateView, options: { launchAtLogin?: boolean } = {}): TrayMenuItem[] {
  const items: TrayMenuItem[] = state.skills.map((skill) => ({
    type: 'normal',
    label: skillMenuLabel(skill),
    action: { kind: 'open', route: 'popover' },
  }));
  if (items.length === 0) items.push({ type: 'normal', label: 'No skills', enabled: false });
  items.push({ type: 'separator' });
  const votes = state.pendingVotes.length;
  if (votes > 0) {
    items.push({
      type: 'normal',
      label: votes === 1 ? 'Vote now…' : `Vote now… (${votes} waiting)`,
      action: { kind: 'open', route: 'choice' },
    });
  }
  const renames = pendingProposals(state);
  if (renames > 0) {
    items.push({ type: 'normal', label: `Rename suggestions… (${renames})`, action: { kind: 'open', route: 'popover' } });
  }
  // Only skills that run an evolved version can be reset; a suggested reset says so in its label.
  for (const skill of state.skills.filter((s) => s.canReset)) {
    const label = `Reset ${skillTitle(skill.skill)} to Default Prompt…${skill.resetSuggestion ? ' (suggested)' : ''}`;
    items.push({ type: 'normal', label, action: { kind: 'reset', skill: skill.skill, version: skill.version } });
  }
  items.push(
    {
      type: 'checkbox',
      label: 'Pause evolution',
      checked: state.evolutionPaused,
      action: { kind: 'pause', paused: !state.evolutionPaused },
    },
    { type: 'normal', label: 'Check accuracy now', action: { kind: 'runMonitor' } },
    { type: 'separator' },
    { type: 'normal', label: 'Preferences…', accelerator: 'CommandOrControl+,', action: { kind: 'open', route: 'preferences' } },
  );
  const launch = options.launchAtLogin ?? state.preferences.launchAtLogin;
  items.push(
    { type: 'checkbox', label: 'Launch at login', checked: launch, action: { kind: 'launchAtLogin', enabled: !launch } },
    { type: 'separator' },
    { type: 'normal', label: 'Quit tinyArms', accelerator: 'CommandOrControl+Q', action: { kind: 'quit' } },
  );
  return items;
}
