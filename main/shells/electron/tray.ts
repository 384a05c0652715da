import path from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage, type Rectangle } from 'electron';
import {
  trayIconKind,
  trayMenuModel,
  trayTitle,
  trayTooltip,
  type TrayAction,
  type TrayIconKind,
  type TrayMenuItem,
} from '../../app/tray-model';
import type { AppStateView } from '../../../contract/api';

export interface TrayOptions {
  assetsDir: string;
  /** Left click: the popover, placed under these bounds. */
  onClick(bounds: Rectangle): void;
  onAction(action: TrayAction): void;
}

const ICON_FILES: Record<TrayIconKind, string> = {
  idle: 'trayTemplate.png',
  busy: 'trayBusyTemplate.png',
  vote: 'trayVoteTemplate.png',
};

// Module-level on purpose: a Tray (or its Menu) held only by a local variable is garbage-collected and the
// icon disappears from the menu bar.
let tray: Tray | null = null;
let menu: Menu | null = null;
let options: TrayOptions | null = null;
let iconKind: TrayIconKind | null = null;
const icons = new Map<TrayIconKind, NativeImage>();

function icon(kind: TrayIconKind, assetsDir: string): NativeImage {
  let image = icons.get(kind);
  if (!image) {
    // Electron picks up the @2x file beside it; the "Template" suffix makes macOS tint it for light and dark bars.
    image = nativeImage.createFromPath(path.join(assetsDir, ICON_FILES[kind]));
    image.setTemplateImage(true);
    icons.set(kind, image);
  }
  return image;
}

export function menuTemplate(items: TrayMenuItem[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    const action = item.action;
    return {
      type: item.type,
      label: item.label,
      checked: item.checked,
      enabled: item.enabled ?? true,
      accelerator: item.accelerator,
      click: action ? () => onAction(action) : undefined,
    };
  });
}

export function createTray(trayOptions: TrayOptions): Tray {
  if (tray) return tray;
  options = trayOptions;
  iconKind = 'idle';
  tray = new Tray(icon('idle', trayOptions.assetsDir));
  tray.setToolTip('tinyArms');
  tray.on('click', (_event, bounds) => trayOptions.onClick(bounds));
  tray.on('right-click', () => {
    if (menu) tray?.popUpContextMenu(menu);
  });
  return tray;
}

/** Icon, title, tooltip and menu from one state. */
export function updateTray(state: AppStateView): void {
  if (!tray || !options) return;
  const kind = trayIconKind(state);
  if (kind !== iconKind) {
    tray.setImage(icon(kind, options.assetsDir));
    iconKind = kind;
  }
  tray.setTitle(trayTitle(state), { fontType: 'monospacedDigit' });
  tray.setToolTip(trayTooltip(state));
  menu = Menu.buildFromTemplate(menuTemplate(trayMenuModel(state), options.onAction));
  // Linux desktops only show a tray menu that is set as its context menu; macOS keeps left click for the popover.
  if (process.platform === 'linux') tray.setContextMenu(menu);
}

export const getTray = (): Tray | null => tray;
export const getTrayMenu = (): Menu | null => menu;

/** Removes the icon and forgets everything (quit, tests). */
export function resetTray(): void {
  tray?.destroy();
  tray = null;
  menu = null;
  options = null;
  iconKind = null;
  icons.clear();
}
