import { defineConfig } from 'vitest/config';

// Tests run on the packages' TypeScript sources through their `@events-protocol/source` export
// condition, so no build is needed to test and stack traces point at the sources.
// No bundlers' `module` condition: vitest hands these to Node as `--conditions`, and Node then
// loads builds it cannot run (@opentelemetry/api's extensionless `build/esm`). Tests resolve
// packages as Node does for users.
const conditions = ['@events-protocol/source', 'node', 'development|production'];

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
    // Limits end hung tests; they are not performance checks. Others share this machine's cores
    // during a run, so a test that takes 2 s alone can take 20 s: leave that slack. Property tests
    // are budgeted by case count and set their own, longer limits.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
