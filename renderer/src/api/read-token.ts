import { HTTP_TOKEN_PARAM } from '../../../contract/api';

export const TOKEN_STORAGE_KEY = 'tinyarms.token';

/**
 * The browser-mode token: from `?token=` when present (remembered in sessionStorage), else the remembered
 * one, so hash navigation and reloads without the query keep working.
 */
export function readToken(search: string, storage: Pick<Storage, 'getItem' | 'setItem'> | null): string | null {
  const fromUrl = new URLSearchParams(search).get(HTTP_TOKEN_PARAM);
  if (fromUrl) {
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage may be disabled; the URL still has the token.
    }
    return fromUrl;
  }
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}
