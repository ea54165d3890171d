import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// The fast tier for the edit-test loop (`pnpm run test:unit`): the unit tests beside the code,
// without the ones that open sockets, start servers or spawn processes, and without type tests.
// The full test command still runs everything, these included.
//
// Most files share their workers' module cache (`isolate: false`): importing the packages once
// per worker instead of once per file is most of the speed. Files that check process-wide state
// (whether anything reads the flow context) run isolated, as the full run runs every file.

const root = fileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, '');
const unitTests = ts.sys
  .readDirectory(`${root}/packages`, ['.ts'], ['**/node_modules', '**/dist'], ['*/src/**/*.test.ts'])
  .map((file) => ({ file: file.slice(root.length + 1), text: readFileSync(file, 'utf8') }));

/** What makes a test slow or need the machine: sockets, servers, child processes. */
const needsTheMachine =
  /\.listen\(|createServer\(|startRedis|startPostgres|\bspawn\(|\bfork\(|execFile|node:child_process|node:net/;
/** Process-wide state a test checks, which another file in the same worker may have set. */
const readsProcessState = /isEventContextInUse\(/;

const fast = unitTests.filter(({ text }) => !needsTheMachine.test(text));
const shared = fast.filter(({ text }) => !readsProcessState.test(text)).map(({ file }) => file);
const isolated = fast.filter(({ text }) => readsProcessState.test(text)).map(({ file }) => file);

const { test: baseTest, ...shape } = base;
const { include: _include, typecheck: _typecheck, ...common } = baseTest ?? {};

export default defineConfig({
  ...shape,
  test: {
    ...common,
    exclude: configDefaults.exclude,
    typecheck: { enabled: false },
    pool: 'threads',
    projects: [
      { extends: true, test: { name: 'unit', include: shared, isolate: false } },
      { extends: true, test: { name: 'unit-isolated', include: isolated, isolate: true } },
    ],
  },
});
