import { parseArgs } from 'node:util';
import { EventClient, type SendResult } from '@events-protocol/client';
import { writeJson } from '@events-protocol/core';
import { paint, UsageError, wantsColor, type CliIo } from '../cli-io.js';
import { readJsonArgument, readJsonObjectArgument, readPositiveInteger } from '../json-argument.js';

export const sendUsage = `Usage: events send <url> <name> [options]

Sends one event and prints the response event. Exits 0 on success, 1 on an error
event, a timeout or an unreachable server, 2 on a usage error.

Options:
  --version <n>        event version (default 1)
  --payload <json|@f>  payload as JSON, or @file to read it (default null)
  --identity <json>    identity object
  --auth <json>        auth object (never printed back)
  --metadata <json>    metadata object
  --timeout <ms>       total time to wait (default 15000)
  --json               print the raw response event as one JSON line
  --no-color           plain output (also when NO_COLOR is set or not a terminal)
  -h, --help           this help

Example:
  events send http://localhost:8080/events user:get --payload '{"userId":"42"}'
`;

function describeOutcome(result: SendResult): string {
  switch (result.kind) {
    case 'success':
      return result.redirect ? 'redirect' : 'success';
    case 'error':
      return `error (${result.errorType})`;
    case 'timeout':
      return `timeout after ${result.timeoutMs} ms`;
    case 'failedDependency':
      return `failed dependency: ${result.reason}${result.status === undefined ? '' : ` (HTTP ${result.status})`}`;
  }
}

/** `events send`: resolves to the exit code. */
export async function sendCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      version: { type: 'string' },
      payload: { type: 'string' },
      identity: { type: 'string' },
      auth: { type: 'string' },
      metadata: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean', default: false },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(sendUsage);
    return 0;
  }
  const [url, name, ...rest] = positionals;
  if (url === undefined || name === undefined) throw new UsageError('send needs a URL and an event name');
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0] ?? ''}'`);
  if (!/^https?:\/\//i.test(url)) throw new UsageError(`'${url}' is not an http(s) URL`);
  const init = {
    name,
    version: readPositiveInteger('version', values.version) ?? 1,
    payload: values.payload === undefined ? null : readJsonArgument('payload', values.payload),
    ...optional('identity', readJsonObjectArgument('identity', values.identity)),
    ...optional('auth', readJsonObjectArgument('auth', values.auth)),
    ...optional('metadata', readJsonObjectArgument('metadata', values.metadata)),
  };
  const timeout = readPositiveInteger('timeout', values.timeout);
  const client = new EventClient({ url, origin: 'events-cli', ...optional('timeout', timeout) });
  try {
    const result = await client.sendEvent(init);
    const color = wantsColor(io, values['no-color'] === true ? false : values.color);
    if (values.json) {
      io.stdout.write(
        `${result.kind === 'success' || result.kind === 'error' ? writeJson(result.event) : writeJson({ kind: result.kind })}\n`,
      );
    } else {
      const outcome = describeOutcome(result);
      io.stdout.write(`${paint(color, result.kind === 'success' ? 'green' : 'red', outcome)}\n`);
      if (result.kind === 'success' || result.kind === 'error') {
        io.stdout.write(`${writeJson(result.event, 2)}\n`);
      } else if (result.kind === 'failedDependency') {
        const detail = result.body ?? (result.cause as Error | undefined)?.message ?? '';
        if (detail !== '') io.stderr.write(`${paint(color, 'dim', detail)}\n`);
      }
    }
    return result.kind === 'success' ? 0 : 1;
  } finally {
    await client.close();
  }
}

function optional<TKey extends string, TValue>(key: TKey, value: TValue | undefined): { [K in TKey]?: TValue } {
  return (value === undefined ? {} : { [key]: value }) as { [K in TKey]?: TValue };
}
