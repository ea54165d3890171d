import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// What the test command runs again on Node 22 and 24 (scripts/test-node-versions.sh): every
// package's own tests, and the cross-package suites of the protocol half (core, client, server,
// adapters, conformance), whose behaviour depends most on the runtime (undici, streams, timers).
// The suites that drive databases, brokers and crashes run on the installing Node only.

const { test: baseTest, ...shape } = base;
const { typecheck: _typecheck, ...common } = baseTest ?? {};

export default defineConfig({
  ...shape,
  test: {
    ...common,
    include: [
      'packages/*/src/**/*.test.ts',
      'test/core/**/*.test.ts',
      'test/client/**/*.test.ts',
      'test/server/**/*.test.ts',
      'test/conformance/**/*.test.ts',
      'test/publish/**/*.test.ts',
    ],
    typecheck: { enabled: false },
  },
});
