/**
 * Test hook for crash safety: when TINYARMS_CRASH_AT names this point, the process dies on the spot with
 * SIGKILL, as a power cut would: no finally blocks, no exit handlers. A no-op otherwise.
 */
export function crashPoint(name: string): void {
  if (process.env.TINYARMS_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
