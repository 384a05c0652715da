import { describe, expect, it } from 'vitest';
import { isAppPageUrl } from './sender';

describe('isAppPageUrl', () => {
  it('trusts only the app page, whatever its route', () => {
    expect(isAppPageUrl('app://tinyarms/index.html#/popover')).toBe(true);
    expect(isAppPageUrl('app://tinyarms/#/choice')).toBe(true);
    expect(isAppPageUrl('app://TINYARMS/index.html')).toBe(true);
    for (const url of [
      'app://tinyarms/assets/evil.html',
      'app://tinyarms.evil/index.html',
      'app://user@tinyarms/index.html',
      'https://tinyarms/index.html',
      'file:///index.html',
      'http://localhost:5173/',
      'about:blank',
      '',
      null,
      'not a url',
    ]) {
      expect(isAppPageUrl(url), String(url)).toBe(false);
    }
  });

  it('trusts the Vite dev server origin only when one is configured', () => {
    expect(isAppPageUrl('http://localhost:5173/#/popover', 'http://localhost:5173/')).toBe(true);
    expect(isAppPageUrl('http://localhost:5174/#/popover', 'http://localhost:5173/')).toBe(false);
    expect(isAppPageUrl('http://localhost:5173/', null)).toBe(false);
  });
});
