import { defineConfig } from 'vitest/config';

// One vitest run over every workspace project; each lib/app keeps its tests beside its code.
export default defineConfig({
  test: {
    include: ['libs/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'tools/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['tools/test/buildAgent.setup.ts'],
  },
});
