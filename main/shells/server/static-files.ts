import fs from 'node:fs';
import path from 'node:path';

// Serving the renderer build (renderer/dist) to a page: used by browser mode's HTTP server and by Electron's
// app:// protocol, so both get the same path checks and the same Content-Security-Policy.

/**
 * Scripts only from the app itself; no eval, no inline script, no plugins, no framing, no foreign connections.
 * Inline styles stay allowed because React style attributes and Vite's CSS injection in development use them.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every response from the app carries. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  // The page URL carries the token in browser mode; it must never leave in a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export const contentTypeOf = (file: string): string => CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

export type StaticLookup =
  | { kind: 'file'; file: string; contentType: string }
  /** The renderer has not been built: the caller shows how to build it. */
  | { kind: 'no-build' }
  | { kind: 'not-found' }
  | { kind: 'forbidden' };

/**
 * Maps a URL path to a file inside `root`, or refuses: encoded or plain "..", backslashes, NUL bytes and
 * symlinks leading out of the folder never reach the file system's answer.
 */
export function resolveStaticFile(root: string, urlPath: string): StaticLookup {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'forbidden' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'forbidden' };
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  if (relative.split('/').some((part) => part === '..')) return { kind: 'forbidden' };
  const base = path.resolve(root);
  const full = path.resolve(base, relative);
  if (!full.startsWith(base + path.sep)) return { kind: 'forbidden' };
  if (!fs.existsSync(path.join(base, 'index.html'))) return relative === 'index.html' ? { kind: 'no-build' } : { kind: 'not-found' };
  let real: string;
  try {
    real = fs.realpathSync(full);
    if (!real.startsWith(fs.realpathSync(base) + path.sep)) return { kind: 'forbidden' };
    if (!fs.statSync(real).isFile()) return { kind: 'not-found' };
  } catch {
    return { kind: 'not-found' };
  }
  return { kind: 'file', file: real, contentType: contentTypeOf(real) };
}

/** The page shown when renderer/dist is missing, instead of a bare 404. */
export function rendererMissingPage(rendererDir: string): string {
  const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tinyArms: renderer not built</title>
<style>body{font:15px/1.5 -apple-system,system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em}code{background:#eee;padding:.1em .3em}</style>
</head><body>
<h1>tinyArms is running, but its window is not built yet</h1>
<p>The engine and its API are up. The page itself comes from <code>${escapeHtml(rendererDir)}</code>, which does not exist.</p>
<p>Run <code>npm run build:renderer</code> in the tinyArms folder, then reload this page (keep the <code>?token=</code> part of the URL).</p>
</body></html>
`;
}
