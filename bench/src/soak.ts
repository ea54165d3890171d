/**
 * Soak: drives the node adapter at high concurrency for a fixed time and checks that every request
 * got a 2xx answer, no response was lost, and the server's heap after a full collection does not grow
 * with the requests served; then drives a
 * server with EventClient and checks that its sockets stay within the pool and are all released.
 *
 *   npx --yes pnpm@10 soak                 # 60 s server soak, 20 s client soak
 *   npx --yes pnpm@10 soak --seconds=5     # the short run CI makes
 *
 * Exits 1 when a check fails. Not a benchmark: no timing thresholds, only correctness and leaks.
 */
import { EventClient } from '@events-protocol/client';
import type autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postEvents } from './event-load.js';
import { requestEvent } from './fixture.js';
import { startServer } from './servers-bench.js';

const secondsArgument = process.argv.find((argument) => argument.startsWith('--seconds='));
const seconds = Number(secondsArgument?.slice('--seconds='.length) ?? 60);
const failures: string[] = [];

function check(ok: boolean, message: string): void {
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'}  ${message}\n`);
  if (!ok) failures.push(message);
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Asks the server (started with --expose-gc) for its heap in use after a full collection, in MB. */
async function heapAfterGcMb(child: ChildProcess): Promise<number> {
  const stdout = child.stdout;
  if (stdout === null) throw new Error('the server has no stdout to answer on');
  const answer = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not report its heap within 10 s')), 10_000);
    const onData = (chunk: Buffer): void => {
      const match = /heap (\d+)/.exec(chunk.toString());
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      stdout.off('data', onData);
      resolve(Number(match[1]) / 1024 / 1024);
    };
    stdout.on('data', onData);
  });
  child.kill('SIGUSR2');
  return answer;
}

function load(port: number, duration: number): Promise<autocannon.Result> {
  return postEvents(port, { connections: 200, seconds: duration });
}

async function serverSoak(): Promise<void> {
  const { child, port } = await startServer('events-node.js', '1', ['--expose-gc']);
  const pid = child.pid ?? 0;
  // Warm up first: code is compiled and pools reach their working size in the first seconds.
  await load(port, Math.max(2, Math.round(seconds / 4)));
  const heapBefore = await heapAfterGcMb(child);
  const rssBefore = await rssMb(pid);
  try {
    const result = await load(port, seconds);
    const answered = result['2xx'];
    process.stdout.write(
      `server soak: ${result.requests.sent} requests sent, ${answered} answered 2xx, ${result.non2xx} non-2xx, ` +
        `${result.errors} errors, ${result.timeouts} timeouts over ${seconds} s at 200 connections\n`,
    );
    check(result.non2xx === 0, 'no non-2xx answer');
    check(result.errors === 0 && result.timeouts === 0, 'no connection error or timeout');
    // Requests still in flight when the run stopped are the only ones allowed to lack an answer.
    check(
      result.requests.sent - answered <= 200,
      `no lost response (${result.requests.sent - answered} in flight at the end)`,
    );
    const heapAfter = await heapAfterGcMb(child);
    const rssAfter = await rssMb(pid);
    process.stdout.write(
      `server heap after a full GC: ${heapBefore.toFixed(1)} MB after warm-up, ${heapAfter.toFixed(1)} MB after the soak ` +
        `(RSS ${rssBefore.toFixed(1)} -> ${rssAfter.toFixed(1)} MB)\n`,
    );
    // A leak of even 50 bytes per request would keep several MB over a run of this length.
    check(
      heapAfter <= heapBefore * 1.1 + 2,
      'heap after GC does not grow with the requests served (within 10 % + 2 MB of the warm-up heap)',
    );
  } finally {
    child.kill('SIGKILL');
  }
}

async function clientSoak(): Promise<void> {
  let open = 0;
  let peak = 0;
  let opened = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { name: string; id: string; flowId: string };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ...event, name: `${event.name}:response`, payload: { ok: true } }));
    });
  });
  server.on('connection', (socket) => {
    open++;
    opened++;
    peak = Math.max(peak, open);
    socket.once('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const connections = 16;
  const client = new EventClient({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    connections,
  });
  const { name, payload } = requestEvent;
  let calls = 0;
  let failed = 0;
  const end = Date.now() + Math.max(2, seconds / 3) * 1000;
  await Promise.all(
    Array.from({ length: 100 }, async () => {
      while (Date.now() < end) {
        const result = await client.sendEvent({ name, payload });
        calls++;
        if (result.kind !== 'success') failed++;
      }
    }),
  );
  await client.close();
  await new Promise((resolve) => setTimeout(resolve, 200));
  process.stdout.write(
    `client soak: ${calls} calls by 100 callers over a pool of ${connections}: ${opened} sockets opened, peak ${peak} open\n`,
  );
  check(failed === 0, 'every call succeeded');
  check(peak <= connections, `sockets stay within the pool (${peak} <= ${connections})`);
  check(open === 0, `close() releases every socket (${open} left open)`);
  server.close();
}

await serverSoak();
await clientSoak();
process.stdout.write(failures.length === 0 ? 'soak passed\n' : `soak FAILED: ${failures.join('; ')}\n`);
process.exitCode = failures.length === 0 ? 0 : 1;
