import { conformanceChecks, formatConformanceTable, runCli, runConformance } from '@events-protocol/conformance';
import { describe, expect, it } from 'vitest';
import { listen } from '../support/http-server.js';
import { deviantEchoServer } from './deviant-server.js';

/** A stdout that records each write apart. */
function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return {
    writes,
    io: {
      stdout: { write: (text: string) => writes.push(text), isTTY },
      stderr: { write: (text: string) => writes.push(`stderr: ${text}`) },
      env: { NO_COLOR: '1' },
    },
  };
}

describe('events-conformance output', () => {
  it('on a terminal, shows the title at once, then one row per check as it is known, then the summary', async () => {
    await using server = await listen(deviantEchoServer({ echo: 'auth' }));
    const tty = recorder(true);
    expect(await runCli([`${server.origin}/events`], tty.io)).toBe(1);
    const [title, ...rest] = tty.writes;
    expect(title).toBe(`Events protocol conformance of ${server.origin}/events (echo event conformance:echo v1)\n\n`);
    const rows = rest.slice(0, -1);
    expect(rows).toHaveLength(conformanceChecks.length);
    expect(rows[0]).toMatch(/^STATUS {2}CHECK +DETAIL\nPASS {4}success-naming /);
    expect(rows.map((row) => /(?:PASS|FAIL|WARN|SKIP) {4}(\S+)/.exec(row)?.[1])).toEqual(
      conformanceChecks.map((check) => check.id),
    );
    expect(rows.find((row) => row.includes('auth-not-echoed'))).toMatch(/^FAIL {4}auth-not-echoed .*\n +rule: /);
    expect(rest.at(-1)).toBe(
      `\n${conformanceChecks.length} checks: ${conformanceChecks.length - 1} passed, 0 warned, 1 failed: does not conform\n`,
    );
  });

  it('without a terminal, prints the whole table once, as formatConformanceTable does', async () => {
    await using server = await listen(deviantEchoServer({}));
    const piped = recorder(false);
    expect(await runCli([`${server.origin}/events`], piped.io)).toBe(0);
    expect(piped.writes).toHaveLength(1);
    const report = await runConformance({ url: `${server.origin}/events` });
    const withoutDetails = (table: string): string => table.replace(/conformance:unknown-[0-9a-f]+/g, 'unknown');
    expect(withoutDetails(piped.writes[0] ?? '')).toBe(withoutDetails(formatConformanceTable(report)));
  });

  it('on a terminal, says in one line that the echo handler is missing and how to add it', async () => {
    await using server = await listen(deviantEchoServer({ echoName: 'shop:echo' }));
    const tty = recorder(true);
    expect(await runCli([`${server.origin}/events`], tty.io)).toBe(1);
    expect(tty.writes).toHaveLength(2);
    expect(tty.writes[1]).toMatch(
      /^NO ECHO HANDLER the server has no handler for conformance:echo v1 \(it answered eventNotFound\); the kit needs one that answers its payload unchanged, .*--event and --version\n$/,
    );
  });
});
