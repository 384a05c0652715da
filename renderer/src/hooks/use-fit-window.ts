import { useLayoutEffect, type RefObject } from 'react';
import type { TinyArmsApi } from '../../../contract/api';

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

/**
 * Tells the app how tall a window's content wants to be (what is laid out above the body, everything in the body,
 * scrolled or not, and the footer), so the window fits it; the app clamps the height. Only in the app: a browser
 * tab is as tall as it is, and the page there simply ends where its content does.
 */
export function useFitWindow(
  api: TinyArmsApi,
  parts: { body: RefObject<HTMLElement | null>; footer: RefObject<HTMLElement | null> },
  enabled: boolean,
  /** Grow only (the choice window): a window that shrank after every vote would move its buttons under the mouse. */
  growOnly = false,
): void {
  useLayoutEffect(() => {
    const [body, footer] = [parts.body.current, parts.footer.current];
    if (!enabled || !body || !footer || typeof ResizeObserver === 'undefined') return;
    let last = Number.NEGATIVE_INFINITY;
    const report = () => {
      // Above the body is whatever is laid out there: a header kept only for screen readers takes no room.
      const above = body.getBoundingClientRect().top - document.documentElement.getBoundingClientRect().top;
      const height = Math.ceil(above + contentHeight(body) + footer.offsetHeight);
      if (Math.abs(height - last) < 2 || (growOnly && height < last)) return;
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
  }, [api, parts.body, parts.footer, enabled, growOnly]);
}
