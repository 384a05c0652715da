/**
 * Waits until `check` passes (polling), failing after `timeoutMs`; for tests that must not assert timings (a folder
 * watcher, lanes that keep working). `detail` adds context to the failure (e.g. a server's output).
 */
export async function eventually<T>(
  check: () => T | undefined | false,
  timeoutMs = 20_000,
  what = 'condition',
  detail?: () => string,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}${detail ? `\n${detail()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
