/**
 * The operator console's first page over an outbox holding 10,000 undelivered events, against the
 * raw store call it makes, in one run on one SQLite file:
 *
 * - baseline: `outbox.listUndelivered({ limit: 50 })`, in process;
 * - the console's API: `GET /ops/api/outboxes/topics/undelivered` over HTTP (node:http, the
 *   web-standard handler, authorization and the JSON answer included), one request at a time;
 * - the console's overview: `GET /ops/api/overview` (the store's `stats()`: counts over indexes).
 *
 * Every request is checked to read no more than one page from the store (the outbox is wrapped
 * in a counter): the bench fails otherwise. Rounds of the three scenarios are interleaved.
 *
 *   node --import tsx --conditions=@events-protocol/source bench/src/console-bench.ts [--quick] [--json=<file>]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOperatorConsole, type ConsoleOutbox } from '@events-protocol/console';
import { Outbox, type OutboxEntry } from '@events-protocol/outbox';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { createPublishedEvent } from '@events-protocol/publish';
import { Agent, request } from 'undici';
import { median, quantile, type GroupRun, type ScenarioResult } from './measure.js';

const quick = process.argv.includes('--quick');
const jsonFile = process.argv.find((argument) => argument.startsWith('--json='))?.slice('--json='.length);
const plan = quick ? { rounds: 1, seconds: 1, entries: 10_000 } : { rounds: 5, seconds: 3, entries: 10_000 };
const pageSize = 50;
const token = 'bench-operator-token';

/** The outbox, counting the entries each list call reads, so a request reading more than a page is caught. */
function countingOutbox(outbox: Outbox): ConsoleOutbox & { maxRowsRead: number } {
  const counted = {
    maxRowsRead: 0,
    store: outbox.store,
    stats: () => outbox.stats(),
    listPending: async (options?: Parameters<Outbox['listPending']>[0]) => {
      const page = await outbox.listPending(options);
      counted.maxRowsRead = Math.max(counted.maxRowsRead, page.events.length);
      return page;
    },
    listUndelivered: async (options?: Parameters<Outbox['listUndelivered']>[0]) => {
      const page = await outbox.listUndelivered(options);
      counted.maxRowsRead = Math.max(counted.maxRowsRead, page.events.length);
      return page;
    },
    getEntry: (id: string) => outbox.getEntry(id),
    redeliver: (selection: Parameters<Outbox['redeliver']>[0]) => outbox.redeliver(selection),
    deleteUndelivered: (selection: Parameters<Outbox['deleteUndelivered']>[0]) => outbox.deleteUndelivered(selection),
  };
  return counted;
}

/**
 * Serves a web-standard handler on node:http the plain way: GET requests only (the bench makes no
 * others), the answer's body read whole and written with its length.
 */
function nodeListener(handler: (request: Request) => Promise<Response>) {
  return (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers))
      if (typeof value === 'string') headers.set(name, value);
    void handler(new Request(`http://${incoming.headers.host ?? '127.0.0.1'}${incoming.url ?? '/'}`, { headers })).then(
      async (answer) => {
        const body = Buffer.from(await answer.arrayBuffer());
        outgoing.writeHead(answer.status, { ...Object.fromEntries(answer.headers), 'content-length': body.byteLength });
        outgoing.end(body);
      },
      () => outgoing.writeHead(500).end(),
    );
  };
}

/** Stores `count` undelivered entries, each with one failed attempt, a thousand per transaction. */
async function fill(store: SqliteOutboxStore, count: number): Promise<void> {
  const at = new Date();
  for (let start = 0; start < count; start += 1000) {
    const entries: OutboxEntry[] = [];
    for (let index = start; index < Math.min(count, start + 1000); index += 1) {
      entries.push({
        event: createPublishedEvent({ name: 'order:placed', payload: { orderId: `o-${index}`, cents: 1250 } }),
        topic: 'orders',
        attributes: {},
        enqueuedAt: at,
        failure: {
          attempt: 1,
          at: at.toISOString(),
          durationMs: 12,
          outcome: 'failed',
          status: 503,
          responseExcerpt: 'service unavailable',
          error: { message: 'the target answered 503', name: 'PublishError', code: 'REJECTED' },
        },
      });
    }
    await store.enqueueBatch(entries);
  }
}

/** Calls `work` one at a time for `seconds`; its rate and latency quantiles. */
async function round(work: () => Promise<void>, seconds: number) {
  const latencies = new Float64Array(1_000_000);
  let count = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end && count < latencies.length) {
    const before = performance.now();
    await work();
    latencies[count++] = performance.now() - before;
  }
  const elapsed = (performance.now() - started) / 1000;
  return { rate: count / elapsed, p50: quantile(latencies, count, 0.5), p99: quantile(latencies, count, 0.99) };
}

async function main(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'console-bench-'));
  const store = new SqliteOutboxStore({ filename: join(directory, 'outbox.db') });
  const outbox = new Outbox({ store });
  await outbox.setup();
  await fill(store, plan.entries);
  const counted = countingOutbox(outbox);
  const operatorConsole = createOperatorConsole({
    basePath: '/ops',
    authorize: (incoming) => (incoming.headers.get('authorization') === `Bearer ${token}` ? { name: 'bench' } : false),
    outboxes: { topics: counted },
    pageSize,
  });
  const server = createServer(nodeListener((incoming) => operatorConsole.fetch(incoming)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new Agent({ connections: 1 });
  const get = async (path: string): Promise<void> => {
    const answer = await request(`${origin}/ops/api/${path}`, {
      dispatcher: agent,
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await answer.body.text();
    if (answer.statusCode !== 200) throw new Error(`${path} answered ${answer.statusCode}: ${text}`);
  };
  const scenarios: { key: string; label: string; work: () => Promise<void> }[] = [
    {
      key: 'console-list-baseline',
      label: `listUndelivered({ limit: ${pageSize} }), in process (baseline)`,
      work: async () => {
        await outbox.listUndelivered({ limit: pageSize });
      },
    },
    {
      key: 'console-first-page',
      label: `console API: first page of ${plan.entries.toLocaleString('en-US')} undelivered, over HTTP`,
      work: () => get('outboxes/topics/undelivered'),
    },
    { key: 'console-overview', label: 'console API: overview (the store stats)', work: () => get('overview') },
  ];
  try {
    const undelivered = (await outbox.stats()).undelivered;
    if (undelivered !== plan.entries)
      throw new Error(`the store holds ${undelivered} undelivered, not ${plan.entries}`);
    const rounds = scenarios.map(() => [] as { rate: number; p50: number; p99: number }[]);
    for (let index = 0; index < plan.rounds; index += 1) {
      for (const [at, scenario] of scenarios.entries()) rounds[at]?.push(await round(scenario.work, plan.seconds));
    }
    if (counted.maxRowsRead > pageSize) {
      throw new Error(`a console request read ${counted.maxRowsRead} entries from the store, more than a page`);
    }
    const results: ScenarioResult[] = scenarios.map((scenario, at) => {
      const measured = rounds[at] ?? [];
      const result: ScenarioResult = {
        key: scenario.key,
        label: scenario.label,
        group: 'console',
        throughput: median(measured.map((each) => each.rate)),
        p50Ms: median(measured.map((each) => each.p50)),
        p99Ms: median(measured.map((each) => each.p99)),
        errors: 0,
        rounds: measured.map((each) => each.rate),
      };
      process.stdout.write(
        `console ${result.label}: ${Math.round(result.throughput)}/s, p50 ${result.p50Ms?.toFixed(2)} ms, p99 ${result.p99Ms?.toFixed(2)} ms\n`,
      );
      return result;
    });
    process.stdout.write(`console at most ${counted.maxRowsRead} entries read from the store per request\n`);
    const run: GroupRun = {
      results,
      setup: `SQLite file holding ${plan.entries.toLocaleString('en-US')} undelivered entries; pages of ${pageSize}; one request at a time; at most ${counted.maxRowsRead} entries read per request`,
    };
    if (jsonFile !== undefined) await writeFile(jsonFile, JSON.stringify(run.results));
  } finally {
    await agent.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
    await rm(directory, { recursive: true, force: true });
  }
}

await main();
