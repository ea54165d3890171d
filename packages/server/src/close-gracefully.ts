import type { Server } from 'node:http';

/** How {@link closeGracefully} ends a server. */
export interface GracefulCloseOptions {
  /** How long in-flight requests may take to finish before their connections are cut, in ms; 10 s by default. */
  graceMs?: number;
}

/** What a graceful close did. */
export interface GracefulCloseReport {
  /** Connections still busy at the end of the grace period, cut without an answer. */
  readonly forcedConnections: number;
  /** How long the close took, in ms. */
  readonly durationMs: number;
}

const idleSweepMs = 25;

/**
 * Shuts a server down without dropping answered work: stops accepting connections at once, closes
 * idle keep-alive connections, lets in-flight requests finish and closes their connections as
 * they go idle, and after `graceMs` cuts whatever is still open. Resolves when the server is closed.
 *
 * @example
 * process.once('SIGTERM', () => void closeGracefully(server, { graceMs: 15_000 }));
 */
export function closeGracefully(server: Server, options: GracefulCloseOptions = {}): Promise<GracefulCloseReport> {
  const graceMs = options.graceMs ?? 10_000;
  const started = performance.now();
  return new Promise((resolve) => {
    let forcedConnections = 0;
    // Connections that finish their request go idle: close them as soon as they do.
    const sweep = setInterval(() => server.closeIdleConnections(), idleSweepMs);
    const force = setTimeout(() => {
      server.getConnections((_error, count) => {
        forcedConnections = count;
        server.closeAllConnections();
      });
    }, graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(force);
      resolve({ forcedConnections, durationMs: Math.round(performance.now() - started) });
    });
    server.closeIdleConnections();
  });
}
