import { defineConfig } from 'vitest/config';

// Two projects: the engine and shells in Node, the renderer's components in happy-dom.
// The e2e suite (real `tinyarms serve` + Chromium) has its own config and runner: e2e/run-e2e.mjs.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'main',
          include: ['main/**/*.test.ts', 'bench/**/*.test.ts'],
          environment: 'node',
          // Model and child-process tests are slow on 2-core machines; they assert behaviour, never timings.
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      './renderer/vitest.config.ts',
    ],
  },
});
