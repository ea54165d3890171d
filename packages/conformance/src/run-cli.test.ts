import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { conformanceChecks } from './conformance-checks.js';
import { runCli } from './run-cli.js';

function streams(env: Record<string, string | undefined> = {}, isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (text: string) => out.push(text), isTTY },
      stderr: { write: (text: string) => err.push(text) },
      env,
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}/events`;
}

describe('runCli', () => {
  it('exits 2 with the message and usage for usage errors', async () => {
    for (const argv of [['ftp://example.com/events'], ['http://h/events', '--only', 'nope'], ['--version']]) {
      const cli = streams();
      expect(await runCli(argv, cli.io)).toBe(2);
      expect(cli.stderr()).toMatch(/^events-conformance: /);
      expect(cli.stdout()).toBe('');
    }
  });

  it('prints the usage for --help and every check with its rule for --list', async () => {
    const help = streams();
    expect(await runCli(['--help'], help.io)).toBe(0);
    expect(help.stdout()).toContain('Exit codes: 0 every check passed');
    const list = streams();
    expect(await runCli(['--list'], list.io)).toBe(0);
    expect(
      list
        .stdout()
        .split('\n')
        .filter((line) => /^\S/.test(line)),
    ).toEqual(conformanceChecks.map((check) => check.id));
  });

  it('exits 1 for an unreachable server, in colour on a terminal unless NO_COLOR is set', async () => {
    const url = await closedPortUrl();
    const tty = streams({}, true);
    expect(await runCli([url], tty.io)).toBe(1);
    expect(tty.stdout()).toContain('\n\n\u001b[31mUNREACHABLE\u001b[0m connect ECONNREFUSED ');
    expect(tty.stdout()).toContain('(is the server running, and is the URL its events route?)\n');
    expect(tty.stderr()).toBe('');
    const noColor = streams({ NO_COLOR: '1' }, true);
    expect(await runCli([url], noColor.io)).toBe(1);
    expect(noColor.stdout()).not.toContain('\u001b[');
    const json = streams();
    expect(await runCli([url, '--json'], json.io)).toBe(1);
    expect(JSON.parse(json.stdout())).toMatchObject({ url, passed: false, results: [] });
  });
});
