import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioReport } from './client-scenarios.js';
import { expectNodeOutcomes, startScenarioServer, type ScenarioServer } from './scenario-server.js';

// The client under Deno 2, on the packages' sources: Deno reads test/node_modules (a package.json
// is there), follows the `@events-protocol/source` condition given with --conditions, and maps
// the sources' `./x.js` imports to `./x.ts` with --sloppy-imports. Deno runs npm's undici on its
// node:net, so the client keeps undici there; the fetch transport is checked too, chosen explicitly.
const run = promisify(execFile);
const testRoot = join(import.meta.dirname, '..', '..');
const deno = join(testRoot, 'node_modules', '.bin', 'deno');
const present = existsSync(deno);
if (!present) console.warn(`skipping the Deno client tests: ${deno} is missing (pnpm install in test/)`);

async function runScenarios(server: ScenarioServer, forceFetch: boolean): Promise<ScenarioReport> {
  const { stdout } = await run(
    deno,
    [
      'run',
      '--allow-net',
      '--allow-env',
      '--allow-read',
      '--allow-sys',
      '--no-lock',
      '--sloppy-imports',
      '--conditions=@events-protocol/source',
      join(import.meta.dirname, 'run-client-scenarios.ts'),
    ],
    {
      cwd: testRoot,
      env: {
        ...process.env,
        DENO_NO_UPDATE_CHECK: '1',
        SCENARIO_EVENTS_URL: server.url,
        SCENARIO_UNREACHABLE_URL: server.unreachableUrl,
        SCENARIO_FORCE_FETCH: forceFetch ? '1' : '0',
      },
      timeout: 60_000,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ScenarioReport;
}

describe.skipIf(!present)('the client on Deno', () => {
  let server: ScenarioServer;
  beforeAll(async () => {
    server = await startScenarioServer();
  });
  afterAll(async () => {
    await server[Symbol.asyncDispose]();
  });

  it('keeps the undici transport and gives the outcomes, timeouts and deadline header of Node', async () => {
    const report = await runScenarios(server, false);
    expect(report.runtime).toBe('deno');
    expect(report.transport).toBe('HttpTransport');
    expectNodeOutcomes(report, server);
    expect(report.unreachable.phase).toBe('connect');
    expect(report.timeout.phase).toBe('headers');
    console.log(`deno, undici: timeout of ${report.timeout.budgetMs} ms reported after ${report.timeout.elapsedMs} ms`);
  });

  it('gives the same outcomes through the fetch transport, chosen explicitly', async () => {
    server.marked.clear();
    const report = await runScenarios(server, true);
    expect(report.runtime).toBe('deno');
    expect(report.transport).toBe('FetchTransport');
    expectNodeOutcomes(report, server);
    // Deno's fetch names no code, but says a connection failed.
    expect(report.unreachable.phase).toBe('connect');
    console.log(`deno, fetch: timeout of ${report.timeout.budgetMs} ms reported after ${report.timeout.elapsedMs} ms`);
  });
});
