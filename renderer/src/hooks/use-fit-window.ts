import { useLayoutEffect, type RefObject } from 'react';
import type { TinyArmsApi } from '../../../contract/api';

/**
 * Tells the app how tall the popover's content wants to be (its header and footer plus everything in its body,
 * scrolled or not), so the window fits it; the app clamps the height. Only in the app: a browser tab is as tall
 * as it is, and the page there simply ends where its content does.
 */
/**
 * The height of the body's content, whatever the body's own height. The body fills the window (flex: 1), so its
 * scrollHeight is never less than the window's: measured that way the window could grow but never shrink again.
 */
export function contentHeight(body: HTMLElement): number {
  const style = getComputedStyle(body);
  const bottom = parseFloat(style.paddingBottom) || 0;
  const last = body.lastElementChild as HTMLElement | null;
  if (!last) return (parseFloat(style.paddingTop) || 0) + bottom;
  const below = bottom + (parseFloat(getComputedStyle(last).marginBottom) || 0);
  return last.getBoundingClientRect().bottom - body.getBoundingClientRect().top + body.scrollTop + below;
}

export function useFitWindow(
  api: TinyArmsApi,
  parts: { header: RefObject<HTMLElement | null>; body: RefObject<HTMLElement | null>; footer: RefObject<HTMLElement | null> },
  enabled: boolean,
): void {
  useLayoutEffect(() => {
    const [header, body, footer] = [parts.header.current, parts.body.current, parts.footer.current];
    if (!enabled || !header || !body || !footer || typeof ResizeObserver === 'undefined') return;
    let last = Number.NEGATIVE_INFINITY;
    const report = () => {
      const height = Math.ceil(header.offsetHeight + contentHeight(body) + footer.offsetHeight);
      if (Math.abs(height - last) < 2) return;
      last = height;
      void api.fitWindow(height).catch(() => undefined);
    };
    const observer = new ResizeObserver(report);
    observer.observe(body);
    for (const child of body.children) observer.observe(child);
    const mutations = new MutationObserver(() => {
      for (const child of body.children) observer.observe(child);
      report();
    });
    mutations.observe(body, { childList: true });
    report();
    return () => {
      observer.disconnect();
      mutations.disconnect();
    };
  }, [api, parts.header, parts.body, parts.footer, enabled]);
}
