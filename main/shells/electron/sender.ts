/** The renderer is served from app://tinyarms/ (see app-protocol.ts): a standard, secure scheme of our own. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'tinyarms';
export const APP_PAGE = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Whether a frame's URL is the app's own page: app://tinyarms/ (or /index.html), whatever the route in its hash;
 * in development also the Vite dev server's origin when one is configured. Anything else (a navigated-away frame,
 * a file:// page, an iframe's site) is not trusted with the engine.
 */
export function isAppPageUrl(url: string | null | undefined, devServerUrl?: string | null): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:`) {
    return parsed.host.toLowerCase() === APP_HOST && (parsed.pathname === '/' || parsed.pathname === '/index.html') && !parsed.username;
  }
  if (!devServerUrl) return false;
  try {
    return parsed.origin === new URL(devServerUrl).origin;
  } catch {
    return false;
  }
}
