import type { Server } from 'node:http';
import { ServerError, ServerErrorCode } from './server-error.js';

/**
 * How long slow clients may take and how many connections may wait to be accepted: the bounds
 * {@link applyServerLimits} puts on a `node:http` server.
 */
export interface ServerLimits {
  /** ms to receive the request headers; 10 s by default. */
  headersTimeoutMs?: number;
  /** ms to receive the whole request, headers included; 30 s by default. At least `headersTimeoutMs`. */
  requestTimeoutMs?: number;
  /** ms an idle keep-alive connection stays open; 5 s by default. */
  keepAliveTimeoutMs?: number;
  /**
   * Connections the kernel queues before they are accepted; 2048 by default (Node's own is 511).
   * Connections past it wait a second for their SYN to be resent. Linux caps it at
   * `net.core.somaxconn` (4096 since kernel 5.4).
   */
  backlog?: number;
}

/** The limits every server gets unless told otherwise. */
export const defaultServerLimits: Readonly<Required<ServerLimits>> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  backlog: 2048,
});

/** The longest node:http waits between looks for expired requests: a limit is held within this. */
const maxCheckingIntervalMs = 1000;

function checked(name: string, value: number, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum) {
    throw new ServerError(
      ServerErrorCode.InvalidOptions,
      `${name} must be an integer of at least ${minimum}, got ${String(value)}`,
    );
  }
  return value;
}

/** The limits with defaults filled in, checked. @throws {ServerError} `INVALID_OPTIONS`. */
export function resolveServerLimits(limits: ServerLimits = {}): Readonly<Required<ServerLimits>> {
  const resolved = {
    headersTimeoutMs: checked('headersTimeoutMs', limits.headersTimeoutMs ?? defaultServerLimits.headersTimeoutMs, 1),
    requestTimeoutMs: checked('requestTimeoutMs', limits.requestTimeoutMs ?? defaultServerLimits.requestTimeoutMs, 1),
    keepAliveTimeoutMs: checked(
      'keepAliveTimeoutMs',
      limits.keepAliveTimeoutMs ?? defaultServerLimits.keepAliveTimeoutMs,
      1,
    ),
    backlog: checked('backlog', limits.backlog ?? defaultServerLimits.backlog, 1),
  };
  if (resolved.headersTimeoutMs > resolved.requestTimeoutMs) {
    throw new ServerError(
      ServerErrorCode.InvalidOptions,
      `headersTimeoutMs (${resolved.headersTimeoutMs}) must not exceed requestTimeoutMs (${resolved.requestTimeoutMs})`,
    );
  }
  return resolved;
}

/**
 * Bounds slow clients and connection bursts on any `node:http` server (an Express or other app's
 * included): sets its headers, request and keep-alive timeouts, makes node:http look for expired
 * requests often enough to cut them within 1 s of their limit (by default it looks every 30 s,
 * so a 10 s limit holds for up to 40 s), and gives `listen` a larger default backlog. Call it
 * before `listen`. Returns the server.
 *
 * @example
 * const server = applyServerLimits(http.createServer(app), { headersTimeoutMs: 5000 });
 * server.listen(8080);
 * @throws {ServerError} `INVALID_OPTIONS` for a limit that is not a positive integer, a headers
 * timeout over the request timeout, or a server that already listens.
 */
export function applyServerLimits(server: Server, limits: ServerLimits = {}): Server {
  const resolved = resolveServerLimits(limits);
  if (server.listening) {
    throw new ServerError(
      ServerErrorCode.InvalidOptions,
      'apply server limits before the server listens: node:http schedules its timeout checks when it starts listening',
    );
  }
  server.headersTimeout = resolved.headersTimeoutMs;
  server.requestTimeout = resolved.requestTimeoutMs;
  server.keepAliveTimeout = resolved.keepAliveTimeoutMs;
  // A property of every node:http server since Node 18.12 (missing from @types/node 20), read when it starts listening.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(
    maxCheckingIntervalMs,
    Math.max(10, Math.floor(resolved.headersTimeoutMs / 4)),
  );
  const listen = server.listen.bind(server) as (...args: unknown[]) => Server;
  server.listen = ((...args: unknown[]) => listen(...withBacklog(args, resolved.backlog))) as Server['listen'];
  return server;
}

/**
 * `listen`'s arguments with `backlog` added where the caller gave none, in each of its forms:
 * `(options[, cb])`, `([port[, host]][, backlog][, cb])` and `(path[, backlog][, cb])`.
 */
function withBacklog(args: unknown[], backlog: number): unknown[] {
  const [first] = args;
  if (typeof first === 'object' && first !== null) {
    const options = first as { backlog?: unknown; port?: unknown; path?: unknown };
    // A handle or file descriptor to listen on keeps Node's own handling.
    if (options.backlog !== undefined || !('port' in options || 'path' in options)) return args;
    return [{ ...options, backlog }, ...args.slice(1)];
  }
  const callbackAt = args.findIndex((arg) => typeof arg === 'function');
  const positional = callbackAt === -1 ? args : args.slice(0, callbackAt);
  const callback = callbackAt === -1 ? [] : args.slice(callbackAt);
  if (positional.slice(1).some((arg) => typeof arg === 'number')) return args;
  const [port, host] = positional;
  return typeof host === 'string' ? [port, host, backlog, ...callback] : [port, backlog, ...callback];
}
