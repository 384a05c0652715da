import { describe, expect, it } from 'vitest';
import { resolveDataDir } from './data-paths';

describe('resolveDataDir', () => {
  it('prefers --data-dir, then TINYARMS_HOME', () => {
    expect(resolveDataDir({ dataDir: '/tmp/x', env: { TINYARMS_HOME: '/tmp/y' } })).toBe('/tmp/x');
    expect(resolveDataDir({ env: { TINYARMS_HOME: '/tmp/y' } })).toBe('/tmp/y');
  });

  it('uses Application Support on macOS', () => {
    expect(resolveDataDir({ env: {}, platform: 'darwin', home: '/Users/ada' })).toBe('/Users/ada/Library/Application Support/tinyArms');
  });

  it('follows XDG on Linux and ignores a relative XDG_DATA_HOME', () => {
    expect(resolveDataDir({ env: { XDG_DATA_HOME: '/data' }, platform: 'linux', home: '/home/ada' })).toBe('/data/tinyarms');
    expect(resolveDataDir({ env: { XDG_DATA_HOME: 'rel' }, platform: 'linux', home: '/home/ada' })).toBe('/home/ada/.local/share/tinyarms');
  });
});
