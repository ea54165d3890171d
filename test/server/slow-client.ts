import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** What a server did to a client that trickled its request. */
export interface TrickleOutcome {
  /** ms from the first byte until the server closed the connection. */
  readonly closedAfterMs: number;
  /** Everything the server wrote back (a `408 Request Timeout`, when node:http cut it). */
  readonly received: string;
}

/** The port a listening server is bound to. */
export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

/**
 * A slowloris client: opens a socket, writes `head`, then one line of `drip` every `everyMs` and
 * never finishes, until the server closes the connection or `giveUpMs` passes (then it rejects,
 * which is what a server that does not bound slow clients earns).
 */
export function trickle(
  port: number,
  options: { head: string; drip: string; everyMs: number; giveUpMs: number },
): Promise<TrickleOutcome> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const started = performance.now();
    const chunks: Buffer[] = [];
    let dripping: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      clearInterval(dripping);
      socket.destroy();
      reject(new Error(`still open after ${options.giveUpMs} ms`));
    }, options.giveUpMs);
    socket.on('connect', () => {
      socket.write(options.head);
      dripping = setInterval(() => {
        if (socket.writable) socket.write(options.drip);
      }, options.everyMs);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined); // a reset is a close too
    socket.on('close', () => {
      clearInterval(dripping);
      clearTimeout(giveUp);
      resolve({ closedAfterMs: performance.now() - started, received: Buffer.concat(chunks).toString('latin1') });
    });
  });
}

/** A header block that never ends: a request line and a host, then more headers forever. */
export const endlessHeaders = { head: 'POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\n', drip: 'x-slow: 1\r\n' };

/** A body that never ends: complete headers announcing 10,000 bytes, then one byte at a time. */
export const endlessBody = {
  head: 'POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 10000\r\n\r\n{',
  drip: ' ',
};

/** What a burst of connections met. */
export interface BurstOutcome {
  /** The status line of every answer, or the socket error. */
  readonly statuses: string[];
  /** ms from the first socket until the last answer. */
  readonly elapsedMs: number;
  /** ms each socket took to connect, slowest first. */
  readonly connectMs: number[];
}

/**
 * Opens `count` sockets at once, each sending one event, and resolves to the status line of every
 * answer, how long each took to connect and the time until the last answer arrived.
 */
export async function burst(port: number, count: number): Promise<BurstOutcome> {
  // Client and server ends live in this process: it needs two descriptors per connection.
  const limit = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  if (limit < 2 * count + 100)
    throw new Error(`${count} connections need ulimit -n of ${2 * count + 100}, not ${limit}`);
  const body = JSON.stringify({ name: 'echo', version: 1, id: 'i', flowId: 'f', payload: 1 });
  const request =
    `POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
  const started = performance.now();
  const connectMs: number[] = [];
  const one = (): Promise<string> =>
    new Promise((resolve) => {
      const opened = performance.now();
      const socket = connect(port, '127.0.0.1', () => {
        connectMs.push(performance.now() - opened);
        socket.end(request);
      });
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', (error) => resolve(`error ${error.message}`));
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1').split('\r\n')[0] ?? ''));
    });
  const statuses = await Promise.all(Array.from({ length: count }, one));
  return { statuses, elapsedMs: performance.now() - started, connectMs: connectMs.sort((a, b) => b - a) };
}

/** The accept queue length the kernel gave a listening socket on 127.0.0.1 (Linux `ss`: its Send-Q). */
export function listenBacklog(port: number): number {
  const line = execFileSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' }).trim();
  const sendQ = Number(line.split(/\s+/)[2]);
  if (!Number.isInteger(sendQ)) throw new Error(`no listening socket on port ${port}: ${JSON.stringify(line)}`);
  return sendQ;
}

/**
 * How many connections the kernel has dropped because a listen queue was full, on this host
 * (Linux `TcpExt: ListenOverflows`). Only a burst past a backlog makes it grow.
 */
export function listenOverflows(): number {
  const [names, values] = readFileSync('/proc/net/netstat', 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('TcpExt:'))
    .map((line) => line.split(/\s+/));
  const at = names?.indexOf('ListenOverflows') ?? -1;
  const count = Number(values?.[at]);
  if (at === -1 || !Number.isInteger(count)) throw new Error('no ListenOverflows in /proc/net/netstat');
  return count;
}
