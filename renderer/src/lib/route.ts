import { WINDOW_ROUTES, type WindowRoute } from '../../../contract/api';

export interface Route {
  route: WindowRoute;
  params: Record<string, string>;
}

/** "#/choice?task=t1" → { route: 'choice', params: { task: 't1' } }; anything else is the popover. */
export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const [name, query = ''] = body.split('?', 2);
  const route = (WINDOW_ROUTES as readonly string[]).includes(name) ? (name as WindowRoute) : 'popover';
  return { route, params: Object.fromEntries(new URLSearchParams(query)) };
}
