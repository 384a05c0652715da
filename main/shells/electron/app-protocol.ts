import fs from 'node:fs';
import { protocol } from 'electron';
import { rendererMissingPage, resolveStaticFile, SECURITY_HEADERS } from '../server/static-files';
import { APP_HOST, APP_SCHEME } from './sender';

/** Must run before the app is ready: app:// behaves like https (an origin, fetch, secure context). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}

/** The answer for one app:// request: a file of the renderer build with the CSP, or a refusal. Exported for tests. */
export async function rendererResponse(rendererDir: string, requestUrl: string): Promise<Response> {
  const prefix = `${APP_SCHEME}://${APP_HOST}`;
  if (!requestUrl.toLowerCase().startsWith(`${prefix}/`)) return new Response('forbidden', { status: 403 });
  const rawPath = requestUrl.slice(prefix.length).split(/[?#]/)[0];
  const found = resolveStaticFile(rendererDir, rawPath);
  switch (found.kind) {
    case 'file':
      return new Response(await fs.promises.readFile(found.file), {
        status: 200,
        headers: { ...SECURITY_HEADERS, 'Content-Type': found.contentType },
      });
    case 'no-build':
      return new Response(rendererMissingPage(rendererDir), {
        status: 503,
        headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' },
      });
    case 'not-found':
      return new Response('not found', { status: 404 });
    default:
      return new Response('forbidden', { status: 403 });
  }
}

/** Serves renderer/dist at app://tinyarms/ (after the app is ready). */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(rendererDir, request.url));
}
