import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import {
  closeGracefully,
  createEventLogger,
  createEventServer,
  EventProcessor,
  EventRegistry,
} from '@events-protocol/server';
import { UsageError, type CliIo } from '../cli-io.js';
import { readPositiveInteger } from '../json-argument.js';

export const serveUsage = `Usage: events serve <module> [options]

Starts an events server from a module that exports an EventRegistry (as \`registry\` or
default) or an EventProcessor (as \`processor\`). Stops gracefully on SIGINT/SIGTERM.

Options:
  --port <n>       port to listen on (default 8080; 0 picks a free one)
  --host <host>    address to bind (default 127.0.0.1)
  --path <path>    events route (default /events)
  --no-discovery   do not serve the discovery document on GET
  --log <level>    log one line per event at this pino level (default info; silent to turn off)
  -h, --help       this help
`;

/** A registry of any context: what its middleware adds is its own business. */
function isRegistry(value: unknown): value is EventRegistry<object> {
  return value instanceof EventRegistry;
}

/** The processor a module exports, found the ways the usage describes. */
function processorOf(module: Record<string, unknown>, level: string): EventProcessor | undefined {
  const logger = level === 'silent' ? undefined : createEventLogger({ level });
  for (const candidate of [module['processor'], module['registry'], module['default']]) {
    if (candidate instanceof EventProcessor) return candidate;
    if (isRegistry(candidate)) return new EventProcessor(candidate, logger === undefined ? {} : { logger });
  }
  return undefined;
}

/** Whether a module failed to load because Node does not run its TypeScript as it is. */
function isTypeScript(modulePath: string, error: unknown): boolean {
  return (
    /\.[cm]?tsx?$/i.test(modulePath) && (error as { code?: unknown } | null)?.code === 'ERR_UNKNOWN_FILE_EXTENSION'
  );
}

/** How to serve a TypeScript module: build it, or load a TypeScript loader into Node. */
export function typeScriptHint(modulePath: string, nodeVersion: string = process.versions.node): string {
  const [major = 0, minor = 0] = nodeVersion.split('.').map(Number);
  const stripTypes =
    major > 22 || (major === 22 && minor >= 6)
      ? `, or on this Node (${nodeVersion}) strip the types: NODE_OPTIONS=--experimental-strip-types events serve ${modulePath}`
      : '';
  return (
    `events serve needs JavaScript: build ${modulePath} (tsc) and serve the .js file, or run it with a ` +
    `TypeScript loader: NODE_OPTIONS="--import tsx" events serve ${modulePath}${stripTypes}`
  );
}

/**
 * `events serve`: resolves once the server has stopped (after a signal, or `signal` aborts, for
 * tests), to the exit code.
 */
export async function serveCommand(argv: readonly string[], io: CliIo, stop?: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      path: { type: 'string', default: '/events' },
      'no-discovery': { type: 'boolean', default: false },
      log: { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(serveUsage);
    return 0;
  }
  const [modulePath] = positionals;
  if (modulePath === undefined) throw new UsageError('serve needs the path of a module exporting a registry');
  const port = values.port === '0' ? 0 : (readPositiveInteger('port', values.port) ?? 8080);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(resolve(modulePath)).href)) as Record<string, unknown>;
  } catch (error) {
    const hint = isTypeScript(modulePath, error) ? `\n${typeScriptHint(modulePath)}` : '';
    io.stderr.write(`events serve: cannot load ${modulePath}: ${(error as Error).message}${hint}\n`);
    return 1;
  }
  const processor = processorOf(module, values.log);
  if (processor === undefined) {
    io.stderr.write(
      `events serve: ${modulePath} exports no EventRegistry (registry, default) or EventProcessor (processor)\n`,
    );
    return 1;
  }
  const server = createEventServer(processor, { path: values.path, discovery: !values['no-discovery'] });
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(port, values.host, () => listening());
  }).catch((error: unknown) => {
    throw new UsageError(`cannot listen on ${values.host}:${port}: ${(error as Error).message}`);
  });
  const address = server.address() as AddressInfo;
  const count = processor.registry.list().length;
  io.stdout.write(`events server on http://${values.host}:${address.port}${values.path} (${count} events)\n`);
  await new Promise<void>((stopped) => {
    const shutdown = (): void => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      void closeGracefully(server, { graceMs: 10_000 }).then(() => stopped());
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    stop?.addEventListener('abort', shutdown, { once: true });
  });
  io.stdout.write('events server stopped\n');
  return 0;
}
