import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../support/http-server.js';
import { deviantEchoServer } from './deviant-server.js';
import { startNodeHttpEcho } from './echo-servers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = 'packages/conformance/dist/cli.js';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `events-conformance` binary without blocking this process's servers. */
function runCli(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { cwd: root, timeout: 15_000, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
      },
    );
  });
}

describe('the events-conformance binary', () => {
  beforeAll(async () => {
    await promisify(execFile)(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'packages/conformance'], {
      cwd: root,
    });
  }, 60_000);

  it('exits 0 and prints the table for our node:http server', async () => {
    await using server = await startNodeHttpEcho();
    const run = await runCli(`${server.origin}/events`);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain(
      `Events protocol conformance of ${server.origin}/events (echo event conformance:echo v1)`,
    );
    expect(run.stdout).toMatch(/^PASS {4}success-naming {2,}answered "conformance:echo:response"$/m);
    expect(run.stdout).toMatch(/^\d+ checks: \d+ passed, 0 warned, 0 failed: conforms$/m);
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('exits 1 and names the failing checks with their rule for a deviant server', async () => {
    await using server = await listen(deviantEchoServer({ echo: 'auth' }));
    const run = await runCli(`${server.origin}/events`, '--only', 'auth-not-echoed,success-naming');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("FAIL    auth-not-echoed  the request's auth.token appears in the answer");
    expect(run.stdout).toContain("rule: The request's `auth` is never echoed back");
    expect(run.stdout).toContain('2 checks: 1 passed, 0 warned, 1 failed: does not conform');
  });

  it('passes the echo name and version, and prints JSON with --json', async () => {
    await using server = await startNodeHttpEcho('shop:echo', 2);
    const run = await runCli(
      `${server.origin}/events`,
      '--event',
      'shop:echo',
      '--version',
      '2',
      '--json',
      '--timeout',
      '3000',
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { echoEvent: string; echoVersion: number; passed: boolean };
    expect([report.echoEvent, report.echoVersion, report.passed]).toEqual(['shop:echo', 2, true]);
  });

  it('exits 1 with a clear message for an unreachable URL', async () => {
    const server = await startNodeHttpEcho();
    await server.close();
    const run = await runCli(`${server.origin}/events`);
    expect([run.code, run.stderr]).toEqual([1, '']);
    expect(run.stdout.split('\n').slice(2)).toEqual([
      expect.stringMatching(
        /^UNREACHABLE connect ECONNREFUSED .*\(is the server running, and is the URL its events route\?\)$/,
      ),
      '',
    ]);
  });

  it('exits 2 with the usage for a usage error', async () => {
    const missing = await runCli();
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      'events-conformance: the server URL is missing\n\nUsage: events-conformance <url>',
    );
    const unknown = await runCli('http://127.0.0.1:1/events', '--only', 'no-such-check');
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('unknown check no-such-check')]);
  });

  it('prints help and the list of checks', async () => {
    const help = await runCli('--help');
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('Usage: events-conformance <url> [options]')]);
    const list = await runCli('--list');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('bad-protocol-missing-flowId\n  A request without `flowId` answers `badProtocol`');
  });
});
