import { setTimeout as sleep } from 'node:timers/promises';
import { readJson } from '@events-protocol/core';
import { listen, readBody, type RunningServer } from '../support/http-server.js';

/** A webhook receiver for outbox tests: records every event id it accepted, fails on demand. */
export interface Receiver extends AsyncDisposable {
  readonly url: string;
  readonly server: RunningServer;
  /** Ids accepted at least once. */
  readonly received: Set<string>;
  /** Deliveries accepted in all, duplicates included. */
  readonly deliveries: () => number;
  /** Requests answered with 503. */
  readonly refusals: () => number;
  /** How long each answer waits, in ms (0). */
  delayMs: number;
  /** Whether a request fails: called once per request. */
  fails: () => boolean;
  /** Stops listening: connections are refused until {@link up}. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a receiver on port 0 that accepts everything until `fails` is changed. */
export async function startReceiver(): Promise<Receiver> {
  const received = new Set<string>();
  let deliveries = 0;
  let refusals = 0;
  const receiver: Pick<Receiver, 'received' | 'deliveries' | 'refusals' | 'fails' | 'delayMs'> = {
    delayMs: 0,
    received,
    deliveries: () => deliveries,
    refusals: () => refusals,
    fails: () => false,
  };
  const server = await listen((request, response) => {
    void readBody(request).then(async (body) => {
      if (receiver.delayMs > 0) await sleep(receiver.delayMs);
      if (receiver.fails()) {
        refusals++;
        response.writeHead(503).end();
        return;
      }
      const event = readJson(body) as { id: string };
      received.add(event.id);
      deliveries++;
      response.writeHead(204).end();
    });
  });
  let listening = true;
  const down = async (): Promise<void> => {
    if (!listening) return;
    listening = false;
    await server.close();
  };
  const up = async (): Promise<void> => {
    await new Promise<void>((resolve) => server.server.listen(server.port, '127.0.0.1', resolve));
    listening = true;
  };
  return Object.assign(receiver, {
    server,
    url: `${server.origin}/hooks`,
    down,
    up,
    close: down,
    [Symbol.asyncDispose]: down,
  });
}

/** A seeded pseudo-random generator (mulberry32), so a failing run can be replayed by its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
