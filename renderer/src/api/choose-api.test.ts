import { describe, expect, it } from 'vitest';
import type { TinyArmsApi } from '../../../contract/api';
import { FakeApi } from '../test/fake-api';
import { chooseApi } from './choose-api';
import { readToken, TOKEN_STORAGE_KEY } from './read-token';

const memoryStorage = () => {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), map };
};

describe('readToken', () => {
  it('takes the token from the URL and remembers it', () => {
    const storage = memoryStorage();
    expect(readToken('?token=abc', storage)).toBe('abc');
    expect(storage.map.get(TOKEN_STORAGE_KEY)).toBe('abc');
    expect(readToken('', storage)).toBe('abc');
  });

  it('is null without a token anywhere', () => {
    expect(readToken('?x=1', memoryStorage())).toBeNull();
    expect(readToken('', null)).toBeNull();
  });
});

describe('chooseApi', () => {
  it('prefers Electron’s bridge', () => {
    const bridge = new FakeApi();
    const win = { tinyArms: bridge } as unknown as Window;
    expect(
      chooseApi(win, () => {
        throw new Error('not used');
      }),
    ).toEqual({ ok: true, api: bridge, mode: 'electron' });
  });

  it('builds the HTTP client from the page origin and the token', () => {
    const made: [string, string][] = [];
    const replaced: string[] = [];
    const win = {
      location: { search: '?token=t0k', origin: 'http://127.0.0.1:4321', href: 'http://127.0.0.1:4321/?token=t0k#/popover' },
      history: { state: null, replaceState: (_state: unknown, _title: string, url: string) => replaced.push(url) },
      sessionStorage: memoryStorage(),
    } as unknown as Window;
    const choice = chooseApi(win, (base, token) => {
      made.push([base, token]);
      return new FakeApi() as TinyArmsApi;
    });
    expect(choice.ok && choice.mode).toBe('browser');
    expect(made).toEqual([['http://127.0.0.1:4321', 't0k']]);
    // The token leaves the address bar (and so the history); the route stays.
    expect(replaced).toEqual(['/#/popover']);
  });

  it('explains what to open when there is no token', () => {
    const win = { location: { search: '', origin: 'http://127.0.0.1:4321' }, sessionStorage: memoryStorage() } as unknown as Window;
    const choice = chooseApi(win, () => new FakeApi());
    expect(choice.ok).toBe(false);
    expect(!choice.ok && choice.message).toMatch(/tinyarms serve/);
  });
});
