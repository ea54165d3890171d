/**
 * Soak: drives the node adapter at high concurrency for a fixed time and checks that every request
 * got a 2xx answer, no response was lost, and the server's memory stops growing; then drives a
 * server with EventClient and checks that its sockets stay within the pool and are all released.
 *
 *   pnpm soak                 # 60 s server soak, 20 s client soak
 *   pnpm soak --seconds=5     # the short run CI makes
 *
 * Exits 1 when a check fails. Not a benchmark: no timing thresholds, only correctness and leaks.
 */
import { EventClient } from '@events-protocol/client';
import autocannon from 'autocannon';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestBody, requestEvent } from './fixture.js';
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

async function serverSoak(): Promise<void> {
  const { child, port } = await startServer('events-node.js', '1');
  const pid = child.pid ?? 0;
  // Warm up first: the heap grows to its working size in the first seconds of any server.
  await autocannon({
    url: `http://127.0.0.1:${port}/events`,
    method: 'POST',
    body: requestBody,
    headers: { 'content-type': 'application/json' },
    connections: 200,
    duration: Math.max(2, Math.round(seconds / 4)),
  });
  const samples: number[] = [];
  const sampler = setInterval(() => {
    void rssMb(pid).then((mb) => samples.push(mb));
  }, 250);
  try {
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/events`,
      method: 'POST',
      body: requestBody,
      headers: { 'content-type': 'application/json' },
      connections: 200,
      duration: seconds,
    });
    clearInterval(sampler);
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
    const third = Math.max(1, Math.floor(samples.length / 3));
    const middle = Math.max(...samples.slice(third, 2 * third));
    const last = Math.max(...samples.slice(2 * third));
    process.stdout.write(
      `server RSS: start ${samples[0]?.toFixed(1)} MB, middle third peak ${middle.toFixed(1)} MB, last third peak ${last.toFixed(1)} MB\n`,
    );
    check(last <= middle * 1.1 + 4, 'RSS stops growing (last third within 10 % + 4 MB of the middle third)');
  } finally {
    clearInterval(sampler);
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
