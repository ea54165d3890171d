/**
 * Memory per connection and per event in flight, for raw node:http and our node:http adapter.
 * Each server runs pinned, with `--expose-gc`, and holds every request until told (see
 * servers/park-gate.ts). With N keep-alive sockets, each having had one answered request, the
 * server's RSS and heap (after a full collection) grow by the connections' cost; with one more
 * request on each socket held in flight, the heap grows by the cost of N events being handled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { requestBody } from './fixture.js';
import { expectedResponseBody } from './servers-bench.js';

/** What one server's memory figures are. */
export interface MemoryResult {
  key: string;
  label: string;
  connections: number;
  /** RSS growth, in MB, per 1,000 idle keep-alive connections. */
  rssMbPerThousandConnections: number;
  /** Heap growth, in bytes, per idle keep-alive connection. */
  heapBytesPerConnection: number;
  /** Heap growth, in bytes, per event held in flight on an open connection. */
  heapBytesPerInFlightEvent: number;
}

const memoryScenarios = [
  { key: 'raw-node', label: 'raw node:http, by hand (baseline)', script: 'raw-node-parked.js' },
  { key: 'events-node', label: 'events-protocol node:http adapter', script: 'events-node-parked.js' },
];

const request = `POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(requestBody)}\r\n\r\n${requestBody}`;

/** A server process whose stdout lines can be awaited by prefix. */
class ParkedServer {
  readonly #child: ChildProcess;
  #waiters: { prefix: string; resolve: (line: string) => void }[] = [];

  constructor(script: string, cpu: string) {
    const path = fileURLToPath(new URL(`./servers/${script}`, import.meta.url));
    this.#child = spawn('taskset', ['-c', cpu, process.execPath, '--expose-gc', path, '0'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let pending = '';
    this.#child.stdout?.setEncoding('utf8');
    this.#child.stdout?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const index = this.#waiters.findIndex((waiter) => line.startsWith(waiter.prefix));
        if (index !== -1) this.#waiters.splice(index, 1)[0]?.resolve(line);
      }
    });
  }

  line(prefix: string, command?: () => void): Promise<string> {
    const line = new Promise<string>((resolve) => this.#waiters.push({ prefix, resolve }));
    command?.();
    return line;
  }

  async port(): Promise<number> {
    return Number((await this.line('listening ')).split(' ')[1]);
  }

  send(command: string): Promise<string> {
    const prefix = command === 'count' ? 'parked ' : 'released ';
    return this.line(prefix, () => this.#child.stdin?.write(`${command}\n`));
  }

  async waitParked(count: number): Promise<void> {
    for (;;) {
      if (Number((await this.send('count')).split(' ')[1]) >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Heap after two full collections, and RSS read right after, in bytes. */
  async memory(): Promise<{ heap: number; rss: number }> {
    const heap = Number((await this.line('heap ', () => this.#child.kill('SIGUSR2'))).split(' ')[1]);
    const status = await readFile(`/proc/${String(this.#child.pid)}/status`, 'utf8');
    return { heap, rss: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024 };
  }

  kill(): void {
    this.#child.kill('SIGKILL');
  }
}

/** Sends the bench request on a socket; resolves with the answer's status and body. */
function exchange(socket: Socket): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const headerEnd = received.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const length = Number(/content-length: (\d+)/i.exec(received.slice(0, headerEnd))?.[1] ?? -1);
      if (received.length - headerEnd - 4 < length) return;
      socket.off('data', onData);
      socket.off('error', reject);
      const body = Buffer.from(received.slice(headerEnd + 4), 'latin1').toString('utf8');
      resolve({ status: Number(received.slice(9, 12)), body });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(request);
  });
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function openMany(port: number, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  while (sockets.length < count) {
    const batch = Math.min(100, count - sockets.length);
    sockets.push(...(await Promise.all(Array.from({ length: batch }, () => open(port)))));
  }
  return sockets;
}

/** One request on every socket, held by the server until all are in flight, then released. */
async function roundTrip(server: ParkedServer, sockets: readonly Socket[], measure?: () => Promise<void>) {
  const answers = Promise.all(sockets.map((socket) => exchange(socket)));
  await server.waitParked(sockets.length);
  await measure?.();
  await server.send('release');
  for (const answer of await answers) {
    if (answer.status !== 200 || answer.body !== expectedResponseBody)
      throw new Error(`memory bench: answered ${answer.status} ${answer.body}`);
  }
}

/** Measures each server once with `connections` sockets. */
export async function runMemoryScenarios(connections: number, serverCpu: string): Promise<MemoryResult[]> {
  const results: MemoryResult[] = [];
  for (const scenario of memoryScenarios) {
    const server = new ParkedServer(scenario.script, serverCpu);
    try {
      const port = await server.port();
      for (let warmup = 0; warmup < 3; warmup++) {
        const sockets = await openMany(port, 100);
        await roundTrip(server, sockets);
        for (const socket of sockets) socket.destroy();
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      const before = await server.memory();
      const sockets = await openMany(port, connections);
      await roundTrip(server, sockets);
      const idle = await server.memory();
      let inFlight = idle;
      await roundTrip(server, sockets, async () => {
        inFlight = await server.memory();
      });
      for (const socket of sockets) socket.destroy();
      results.push({
        key: scenario.key,
        label: scenario.label,
        connections,
        rssMbPerThousandConnections: ((idle.rss - before.rss) / connections) * (1000 / 1024 / 1024),
        heapBytesPerConnection: (idle.heap - before.heap) / connections,
        heapBytesPerInFlightEvent: (inFlight.heap - idle.heap) / connections,
      });
    } finally {
      server.kill();
    }
  }
  return results;
}
