/**
 * The rule both notification kinds share: alert once per new item, at most once per interval, never while
 * silent (notifications off, or the window that shows the items already open). Items that arrive while
 * silent are only marked seen: the tray still shows them, and unsilencing does not replay old ones.
 */
export function createAlertThrottle(options: { minIntervalMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const seen = new Set<string>();
  let lastShown = Number.NEGATIVE_INFINITY;
  return {
    /** The unseen items when an alert may show now, else null; every item is marked seen either way. */
    fresh<T>(items: readonly T[], key: (item: T) => string, silent: boolean): T[] | null {
      const unseen = items.filter((item) => !seen.has(key(item)));
      for (const item of unseen) seen.add(key(item));
      if (unseen.length === 0 || silent) return null;
      const at = now();
      if (at - lastShown < options.minIntervalMs) return null;
      lastShown = at;
      return unseen;
    },
  };
}
