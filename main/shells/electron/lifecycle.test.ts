import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './fake-electron';
import { acquireSingleInstance, applyLaunchAtLogin, hideDockInDevelopment, keepRunningWithoutWindows, onResume } from './lifecycle';

vi.mock('electron', () => import('./fake-electron'));

const realPlatform = process.platform;
const setPlatform = (platform: NodeJS.Platform) => Object.defineProperty(process, 'platform', { value: platform });

beforeEach(() => fake.resetFakeElectron());
afterEach(() => setPlatform(realPlatform));

describe('app lifecycle', () => {
  it('takes the single-instance lock, and a second launch wakes the first', () => {
    let woken = 0;
    expect(acquireSingleInstance(() => (woken += 1))).toBe(true);
    fake.app.emit('second-instance');
    expect(woken).toBe(1);
    expect(fake.callsOf('app.quit')).toEqual([]);
  });

  it('quits when another instance holds the lock', () => {
    fake.app.gotLock = false;
    expect(acquireSingleInstance(() => {})).toBe(false);
    expect(fake.callsOf('app.quit')).toHaveLength(1);
    expect(fake.app.listenerCount('second-instance')).toBe(0);
  });

  it('hides the Dock icon in development on macOS only (the packaged app uses LSUIElement)', () => {
    setPlatform('darwin');
    hideDockInDevelopment();
    expect(fake.callsOf('app.dock.hide')).toHaveLength(1);
    fake.app.isPackaged = true;
    hideDockInDevelopment();
    expect(fake.callsOf('app.dock.hide')).toHaveLength(1);
    setPlatform('linux');
    fake.app.isPackaged = false;
    fake.app.dock = undefined;
    expect(() => hideDockInDevelopment()).not.toThrow();
  });

  it('keeps running with every window closed', () => {
    keepRunningWithoutWindows();
    expect(fake.app.listenerCount('window-all-closed')).toBe(1);
  });

  it('catches up after sleep and unsubscribes', () => {
    let runs = 0;
    const off = onResume(() => (runs += 1));
    fake.powerMonitor.emit('resume');
    off();
    fake.powerMonitor.emit('resume');
    expect(runs).toBe(1);
  });

  it('sets the login item on macOS and leaves Linux alone', () => {
    setPlatform('darwin');
    applyLaunchAtLogin(true);
    setPlatform('linux');
    applyLaunchAtLogin(false);
    expect(fake.callsOf('app.setLoginItemSettings')).toEqual([[{ openAtLogin: true }]]);
  });
});
