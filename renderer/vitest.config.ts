import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Component tests: happy-dom against the typed fake API (src/test/fake-api.ts); dates render in UTC.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  // Keep Vite's cache in the repository's node_modules, not a second one under renderer/.
  cacheDir: fileURLToPath(new URL('../node_modules/.vite-renderer', import.meta.url)),
  test: {
    name: 'renderer',
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
    env: { TZ: 'UTC' },
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
  },
});
