export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const MARGIN = 8;

/**
 * Where the popover goes: centred under the tray icon (or above it, for a taskbar at the bottom), kept inside
 * the display's work area, whole pixels. Without tray bounds (some Linux desktops report none) it sits in the
 * top-right corner.
 */
export function popoverPosition(tray: Rect | null, size: { width: number; height: number }, workArea: Rect): { x: number; y: number } {
  const clampX = (x: number) => Math.min(Math.max(x, workArea.x + MARGIN), workArea.x + workArea.width - size.width - MARGIN);
  if (!tray || (tray.width === 0 && tray.height === 0)) {
    return { x: Math.round(workArea.x + workArea.width - size.width - MARGIN), y: Math.round(workArea.y + MARGIN) };
  }
  const x = Math.round(clampX(tray.x + tray.width / 2 - size.width / 2));
  const trayAtTop = tray.y + tray.height / 2 < workArea.y + workArea.height / 2;
  const y = trayAtTop ? Math.max(workArea.y, tray.y + tray.height) : Math.min(workArea.y + workArea.height, tray.y) - size.height;
  return { x, y: Math.round(y) };
}
