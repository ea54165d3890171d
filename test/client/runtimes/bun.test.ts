import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioReport } from './client-scenarios.js';
import { expectNodeOutcomes, startScenarioServer, type ScenarioServer } from './scenario-server.js';

// The client under Bun, on the packages' sources (Bun runs TypeScript and honours --conditions),
// against our node:http server in this process.
const run = promisify(execFile);
const testRoot = join(import.meta.dirname, '..', '..');
const bun = join(testRoot, 'node_modules', '.bin', 'bun');
const present = existsSync(bun);
if (!present) console.warn(`skipping the Bun client tests: ${bun} is missing (pnpm install in test/)`);

describe.skipIf(!present)('the client on Bun', () => {
  let server: ScenarioServer;
  beforeAll(async () => {
    server = await startScenarioServer();
  });
  afterAll(async () => {
    await server[Symbol.asyncDispose]();
  });

  it('chooses the fetch transport and gives the outcomes, timeouts and deadline header of Node', async () => {
    const { stdout } = await run(
      bun,
      ['--conditions=@events-protocol/source', join(import.meta.dirname, 'run-client-scenarios.ts')],
      {
        cwd: testRoot,
        env: { ...process.env, SCENARIO_EVENTS_URL: server.url, SCENARIO_UNREACHABLE_URL: server.unreachableUrl },
        timeout: 60_000,
      },
    );
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as ScenarioReport;
    expect(report.runtime).toBe('bun');
    expect(report.transport).toBe('FetchTransport');
    expectNodeOutcomes(report, server);
    // Bun's fetch names a refused connection.
    expect(report.unreachable.phase).toBe('connect');
    console.log(`bun: timeout of ${report.timeout.budgetMs} ms reported after ${report.timeout.elapsedMs} ms`);
  });
});
