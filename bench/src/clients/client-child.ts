/**
 * One client of the client bench, in a process of its own: `node client-child.js <key> <url>
 * <connections> [client entry]`. Clients that share a process share the JIT's feedback on the
 * modules they both run (undici's, for undici's `request` and our sendEvent), so whichever runs
 * second there runs code tuned for the other; an application runs one. The parent
 * (client-process.ts) asks for one measurement at a time over IPC and gets one answer each.
 */
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { quantile } from '../measure.js';
import { openClient, type ClientCall, type ClientKey } from './client-calls.js';
import type { ClientCommand, ClientReply } from './client-messages.js';

const latencies = new Float64Array(5_000_000);

/** `concurrency` calls in flight for `seconds`: calls per second, p50 and p99 in ms, failed calls. */
async function drive(call: ClientCall, concurrency: number, seconds: number): Promise<ClientReply> {
  let count = 0;
  let errors = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  async function worker(): Promise<void> {
    while (performance.now() < end) {
      const before = performance.now();
      try {
        await call();
      } catch {
        errors++;
      }
      if (count < latencies.length) latencies[count] = performance.now() - before;
      count++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const recorded = Math.min(count, latencies.length);
  return {
    kind: 'drove',
    rate: count / elapsed,
    p50: quantile(latencies, recorded, 0.5),
    p99: quantile(latencies, recorded, 0.99),
    errors,
  };
}

/** The collections of this process so far: their time in ms, and how many were full (mark-compact). */
const collections = { ms: 0, full: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
    collections.ms += entry.duration;
    if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) collections.full += 1;
  }
}).observe({ entryTypes: ['gc'] });

/**
 * CPU µs (user and system) of this process per call, over `calls` calls, `concurrency` at a
 * time, and what the collector took of it.
 */
async function cpuPerCall(call: ClientCall, concurrency: number, calls: number): Promise<ClientReply> {
  let left = calls;
  async function worker(): Promise<void> {
    while (left-- > 0) await call();
  }
  await nextTurn();
  const { ms, full } = collections;
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const spent = process.cpuUsage(before);
  // The observer hears of a collection a turn after it.
  await nextTurn();
  return {
    kind: 'spent',
    microsPerCall: (spent.user + spent.system) / calls,
    collectionMsPerThousandCalls: ((collections.ms - ms) * 1000) / calls,
    fullCollections: collections.full - full,
  };
}

const [key, url, connectionsText, clientEntry] = process.argv.slice(2);
if (key === undefined || url === undefined || connectionsText === undefined || process.send === undefined) {
  throw new Error('usage: client-child.js <key> <url> <connections> [client entry], started with an IPC channel');
}
const connections = Number(connectionsText);
const client = await openClient(key as ClientKey, url, connections, clientEntry);
const reply = (message: ClientReply): void => {
  process.send?.(message);
};

process.on('message', (command: ClientCommand) => {
  const work =
    command.kind === 'drive'
      ? drive(client.call, connections, command.seconds)
      : command.kind === 'spend'
        ? cpuPerCall(client.call, connections, command.calls)
        : client.close().then((): ClientReply => ({ kind: 'closed' }));
  work.then(reply, (error: unknown) => reply({ kind: 'failed', message: String(error) }));
  if (command.kind === 'close') void work.finally(() => process.disconnect());
});
reply({ kind: 'ready' });
