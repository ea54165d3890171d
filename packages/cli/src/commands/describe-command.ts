import { parseArgs } from 'node:util';
import { request } from 'undici';
import { readJson, writeJson } from '@events-protocol/core';
import { asyncApiDocument, openApiDocument, type DiscoveryDocument } from '@events-protocol/server';
import { paint, UsageError, wantsColor, type CliIo } from '../cli-io.js';

export const describeUsage = `Usage: events describe <url> [options]

Lists the events a server handles, from its discovery route (GET on the events URL;
our adapters serve it with { discovery: true }).

Options:
  --json        print the whole discovery document, JSON Schemas included
  --asyncapi    print an AsyncAPI 3.0 document of the server's events
  --openapi     print an OpenAPI 3.1 document of the server's events
  --title <t>   the document's title (default: the server's host)
  --doc-version <v>
                the document's version (default 0.0.0)
  --no-color    plain output
  -h, --help    this help
`;

interface DescribedEvent {
  name: string;
  version: number;
  description?: string;
  deprecated?: { sunset?: string; note?: string };
}

function isDiscoveryDocument(value: unknown): value is { protocol: string; events: DescribedEvent[] } {
  const events = (value as { events?: unknown } | null)?.events;
  return Array.isArray(events) && events.every((event) => typeof (event as DescribedEvent | null)?.name === 'string');
}

/** `events describe`: resolves to the exit code. */
export async function describeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      asyncapi: { type: 'boolean', default: false },
      openapi: { type: 'boolean', default: false },
      title: { type: 'string' },
      'doc-version': { type: 'string' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(describeUsage);
    return 0;
  }
  const [url] = positionals;
  if (values.asyncapi && values.openapi) throw new UsageError('describe prints one document: --asyncapi or --openapi');
  if (url === undefined || !/^https?:\/\//i.test(url))
    throw new UsageError('describe needs the http(s) URL of an events route');
  let status: number;
  let text: string;
  try {
    const response = await request(url, { method: 'GET', headersTimeout: 10_000, bodyTimeout: 10_000 });
    status = response.statusCode;
    text = await response.body.text();
  } catch (error) {
    io.stderr.write(`events describe: could not reach ${url}: ${(error as Error).message}\n`);
    return 1;
  }
  let document: unknown;
  try {
    document = readJson(text);
  } catch {
    document = undefined;
  }
  if (status !== 200 || !isDiscoveryDocument(document)) {
    io.stderr.write(
      `events describe: ${url} answered HTTP ${status} without a discovery document (is discovery on?)\n`,
    );
    return 1;
  }
  if (values.json) {
    io.stdout.write(`${writeJson(document, 2)}\n`);
    return 0;
  }
  if (values.asyncapi || values.openapi) {
    const target = new URL(url);
    const options = {
      title: values.title ?? target.host,
      version: values['doc-version'] ?? '0.0.0',
      path: target.pathname,
      servers: [{ url: target.origin }],
    };
    // The discovery route's answer has the shape the generators read; they check nothing more of it.
    const discovery = document as unknown as DiscoveryDocument;
    const generated = values.asyncapi ? asyncApiDocument(discovery, options) : openApiDocument(discovery, options);
    io.stdout.write(`${writeJson(generated, 2)}\n`);
    return 0;
  }
  const color = wantsColor(io, values['no-color'] === true ? false : values.color);
  const width = Math.max(5, ...document.events.map((event) => event.name.length));
  io.stdout.write(`${paint(color, 'bold', `${'event'.padEnd(width)}  version  description`)}\n`);
  for (const event of document.events) {
    const deprecation =
      event.deprecated === undefined
        ? ''
        : paint(
            color,
            'yellow',
            ` [deprecated${event.deprecated.sunset === undefined ? '' : `, sunset ${event.deprecated.sunset}`}]`,
          );
    io.stdout.write(
      `${paint(color, 'cyan', event.name.padEnd(width))}  ${String(event.version).padStart(7)}  ${event.description ?? ''}${deprecation}\n`,
    );
  }
  return 0;
}
