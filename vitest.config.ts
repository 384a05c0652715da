import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['main/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    // Model and child-process tests are slow on 2-core machines; they assert behaviour, never timings.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
