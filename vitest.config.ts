import { defineConfig } from 'vitest/config';

// Tests run on the packages' TypeScript sources through their `@events-protocol/source` export
// condition, so no build is needed to test and stack traces point at the sources.
const conditions = ['@events-protocol/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: {
      enabled: true,
      include: ['packages/*/src/**/*.test-d.ts', 'test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
