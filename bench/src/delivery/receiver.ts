import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local receiver that answers every POST at once (204) and notes when each event arrived. */
export interface Receiver {
  readonly url: string;
  /** Arrivals so far, duplicates included. */
  readonly received: number;
  /** Distinct events that arrived. */
  readonly distinct: number;
  /** Resolves with the arrival time (performance.now()) of the event, once it arrived. */
  arrival(id: string): Promise<number>;
  /** Resolves once `count` distinct events arrived since the last reset. */
  distinctReached(count: number): Promise<void>;
  /** Forgets every arrival. */
  reset(): void;
  close(): Promise<void>;
}

/** The id a delivery carries: Standard Webhooks' `webhook-id` header, or the JSON body's `id`. */
function eventId(request: IncomingMessage, body: string): string | undefined {
  const header = request.headers['webhook-id'];
  if (typeof header === 'string') return header;
  const match = /"id":"([^"]+)"/.exec(body);
  return match?.[1];
}

export async function startReceiver(): Promise<Receiver> {
  let arrivals = new Map<string, number>();
  let waiting = new Map<string, (at: number) => void>();
  let received = 0;
  let goal: { count: number; done: () => void } | undefined;

  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const at = performance.now();
      response.writeHead(204).end();
      const id = eventId(request, body);
      received++;
      if (id === undefined || arrivals.has(id)) return;
      arrivals.set(id, at);
      waiting.get(id)?.(at);
      waiting.delete(id);
      if (goal !== undefined && arrivals.size >= goal.count) {
        goal.done();
        goal = undefined;
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/deliveries`,
    get received() {
      return received;
    },
    get distinct() {
      return arrivals.size;
    },
    arrival(id) {
      const at = arrivals.get(id);
      if (at !== undefined) return Promise.resolve(at);
      return new Promise((resolve) => waiting.set(id, resolve));
    },
    distinctReached(count) {
      if (arrivals.size >= count) return Promise.resolve();
      return new Promise((resolve) => (goal = { count, done: resolve }));
    },
    reset() {
      arrivals = new Map();
      waiting = new Map();
      received = 0;
      goal = undefined;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
