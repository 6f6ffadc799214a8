import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts', 'tools/**/*.test.ts', 'web/src/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/contract/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Needs PostgreSQL and Redis: eval "$(scripts/services.sh start)".
        test: {
          name: 'multi',
          include: ['test/multi/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'resilience',
          include: ['test/resilience/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['test/e2e/screenshots.test.ts'],
          globalSetup: ['test/e2e/need-chromium.mjs'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Polls that time something say so ({ timeout: 2000 }); the rest only wait, and a loaded machine is slow.
          expect: { poll: { timeout: 10_000 } },
          fileParallelism: false,
        },
      },
      {
        // The earlier engine's original files, kept outside the repository
        // (../shared/fixtures/compat-game or CTFG_COMPAT_GAME): `npm run test:compat`.
        test: {
          name: 'compat',
          include: ['test/compat/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Rewrites docs/screenshots/*.png: `npm run screenshots`.
        test: {
          name: 'screenshots',
          include: ['test/e2e/screenshots.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
