import { runEventsCli, serveCommand, type CliIo } from '@events-protocol/cli';
import { createEventServer } from '@events-protocol/server';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { exampleProcessor } from '../support/example-service.js';
import { listen } from '../support/http-server.js';
import { testDirectory } from '../support/test-directory.js';

function memoryIo(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env: {},
    out: () => out,
    err: () => err,
  };
}

async function run(argv: string[]) {
  const io = memoryIo();
  const code = await runEventsCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('events send', () => {
  it('prints the response event and exits 0 on success, 1 on an error event', async () => {
    await using server = await listen(createEventServer(exampleProcessor()));
    const url = `${server.origin}/events`;
    const success = await run(['send', url, 'user:get', '--payload', '{"userId":"42"}', '--auth', '{"token":"t"}']);
    expect(success.code).toBe(0);
    expect(success.out).toContain('success');
    expect(success.out).toContain('"name": "user:get:response"');
    expect(success.out).toContain('"Ada Lovelace"');

    const error = await run(['send', url, 'user:get', '--payload', '{"userId":"missing"}', '--json']);
    expect(error.code).toBe(1);
    expect(JSON.parse(error.out)).toMatchObject({ name: 'user:get:notFound', payload: { code: 'USER_NOT_FOUND' } });

    const big = await run(['send', url, 'echo', '--payload', '{"id":9223372036854775807}', '--json']);
    expect(big.out).toContain('"payload":{"id":9223372036854775807}');
  });

  it('reads the payload from a file', async () => {
    await using server = await listen(createEventServer(exampleProcessor()));
    const directory = await testDirectory('events-cli');
    await writeFile(join(directory, 'payload.json'), '{"userId":"from-file"}');
    const result = await run([
      'send',
      `${server.origin}/events`,
      'user:get',
      '--payload',
      `@${join(directory, 'payload.json')}`,
    ]);
    expect(result.out).toContain('from-file');
  });

  it('exits 1 with a clear message for an unreachable server or a timeout', async () => {
    const closed = await listen(() => undefined);
    await closed.close();
    const unreachable = await run(['send', `${closed.origin}/events`, 'x']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.out).toContain('failed dependency: unreachable');
    expect(unreachable.err).toMatch(/ECONNREFUSED|connect/);

    await using silent = await listen(() => undefined);
    const timeout = await run(['send', `${silent.origin}/events`, 'x', '--timeout', '100']);
    expect(timeout).toMatchObject({ code: 1 });
    expect(timeout.out).toContain('timeout after 100 ms');
  });

  it('exits 2 with the usage for bad flags', async () => {
    for (const argv of [
      ['send'],
      ['send', 'not-a-url', 'x'],
      ['send', 'http://localhost/events', 'x', '--payload', '{oops'],
      ['send', 'http://localhost/events', 'x', '--identity', '[1]'],
      ['send', 'http://localhost/events', 'x', '--version', 'two'],
      ['send', 'http://localhost/events', 'x', '--bogus'],
    ]) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err).toContain('Usage: events send');
    }
    expect(await run(['frobnicate'])).toMatchObject({ code: 2 });
    expect((await run(['send', '--help'])).out).toContain('--payload');
    expect((await run(['--help'])).out).toContain('conformance <url>');
  });
});

describe('events describe, serve and conformance', () => {
  it('serves a registry module, describes it, and passes the conformance kit against it', async () => {
    const io = memoryIo();
    const stop = new AbortController();
    const serving = serveCommand(
      ['test/cli/fixtures/echo-registry.mjs', '--port', '0', '--log', 'silent'],
      io,
      stop.signal,
    );
    while (!io.out().includes('events server on')) await new Promise((resolve) => setTimeout(resolve, 10));
    const url = /on (http:\/\/\S+)/.exec(io.out())?.[1] ?? '';
    try {
      const described = await run(['describe', url]);
      expect(described.code).toBe(0);
      expect(described.out).toMatch(/echo\s+1\s+Answers its payload\./);
      expect(described.out).toContain('[deprecated, sunset 2030-01-01]');
      expect(JSON.parse((await run(['describe', url, '--json'])).out)).toMatchObject({ protocol: 'events' });
      const conformance = await run(['conformance', url, '--event', 'echo']);
      expect(conformance.code, conformance.out).toBe(0);
    } finally {
      stop.abort();
    }
    expect(await serving).toBe(0);
    expect(io.out()).toContain('events server stopped');
  });

  it('explains what is wrong with a module that exports no registry, and a server without discovery', async () => {
    const directory = await testDirectory('events-cli');
    await writeFile(join(directory, 'empty.mjs'), 'export const nothing = 1;\n');
    const io = memoryIo();
    expect(await serveCommand([join(directory, 'empty.mjs'), '--port', '0'], io)).toBe(1);
    expect(io.err()).toContain('exports no EventRegistry');

    await using server = await listen(createEventServer(exampleProcessor()));
    const described = await run(['describe', `${server.origin}/events`]);
    expect(described.code).toBe(1);
    expect(described.err).toContain('without a discovery document');
  });

  it('runs as a binary', async () => {
    await using server = await listen(createEventServer(exampleProcessor()));
    const binary = 'packages/cli/dist/cli.js';
    const { stdout } = await promisify(execFile)(process.execPath, [
      binary,
      'send',
      `${server.origin}/events`,
      'echo',
      '--payload',
      '"hi"',
      '--json',
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ name: 'echo:response', payload: 'hi' });
    const failed = await promisify(execFile)(process.execPath, [
      binary,
      'send',
      `${server.origin}/events`,
      'nope',
    ]).catch((error: unknown) => error as { code: number });
    expect(failed).toMatchObject({ code: 1 });
  });
});
