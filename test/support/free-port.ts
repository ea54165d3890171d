/**
 * Free TCP ports for test servers, chosen below the kernel's ephemeral range.
 *
 * Asking the kernel for port 0 hands out a port from the ephemeral range, the same range it uses for
 * the source port of every outgoing connection. Between closing the probe and the test server's
 * own bind, any connection made by a parallel test can take that port, and the server then fails
 * with "address already in use". Ports below the ephemeral range are never handed out that way, so
 * only another test picking the same port at random could collide, and the probe rules out any
 * port already bound.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const fallbackEphemeralStart = 32_768;
const lowestPort = 10_000;

function ephemeralRangeStart(): number {
  try {
    const [start] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return start !== undefined && Number.isInteger(start) && start > lowestPort + 1_000
      ? start
      : fallbackEphemeralStart;
  } catch {
    return fallbackEphemeralStart;
  }
}

const highestPort = ephemeralRangeStart() - 1;

async function canBind(port: number): Promise<boolean> {
  const server = createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(true));
  });
  if (bound) await new Promise<void>((resolve) => server.close(() => resolve()));
  return bound;
}

/** A port on 127.0.0.1 that nothing listens on now and the kernel will not hand to an outgoing connection. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = lowestPort + Math.floor(Math.random() * (highestPort - lowestPort + 1));
    if (await canBind(port)) return port;
  }
  throw new Error(`no free port found between ${lowestPort} and ${highestPort}`);
}
