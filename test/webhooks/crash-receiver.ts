import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { listen, readBody, type RunningServer } from '../support/http-server.js';

/** What the crash receiver saw, for the figures and the assertions. */
export interface CrashReceiverCounts {
  /** Requests of any kind. */
  requests: number;
  /** Answered 503. */
  refused: number;
  /** Connections destroyed without an answer. */
  resets: number;
  /** Accepted (2xx), duplicates included. */
  accepted: number;
  /** Requests whose Standard Webhooks signature did not verify: must stay 0. */
  badSignatures: number;
  /** Requests whose `webhook-id` was not the event id of their body: must stay 0. */
  foreignIds: number;
}

/** A webhook receiver for the crash suite: several targets, each verifying its own secret. */
export interface CrashReceiver extends AsyncDisposable {
  readonly server: RunningServer;
  readonly counts: CrashReceiverCounts;
  /** Accepted deliveries per `<path> <webhook-id>`: the pair of a subscription and an event. */
  readonly accepted: Map<string, number>;
  /** The URL of the target at `path` (`/hooks/a`), verifying with `secret`. */
  target(path: string, secret: string): string;
  close(): Promise<void>;
}

/**
 * Starts a receiver on 127.0.0.1 that verifies every request's signature with the official
 * `standardwebhooks` library (before deciding its answer, so refused requests are checked too),
 * then answers after 0–30 ms: 503 (15 %), a reset connection (5 %), or 204.
 */
export async function startCrashReceiver(random: () => number): Promise<CrashReceiver> {
  const verifiers = new Map<string, Webhook>();
  const accepted = new Map<string, number>();
  const counts: CrashReceiverCounts = {
    requests: 0,
    refused: 0,
    resets: 0,
    accepted: 0,
    badSignatures: 0,
    foreignIds: 0,
  };
  const server = await listen((request, response) => {
    void readBody(request).then(async (body) => {
      counts.requests++;
      const path = request.url ?? '';
      const webhookId = String(request.headers['webhook-id']);
      try {
        const verifier = verifiers.get(path);
        if (verifier === undefined) throw new Error(`no target at ${path}`);
        const event = verifier.verify(body, {
          'webhook-id': webhookId,
          'webhook-timestamp': String(request.headers['webhook-timestamp']),
          'webhook-signature': String(request.headers['webhook-signature']),
        }) as { id?: unknown };
        if (event.id !== webhookId) counts.foreignIds++;
      } catch {
        counts.badSignatures++;
      }
      const roll = random();
      await sleep(Math.floor(random() * 30));
      if (roll < 0.15) {
        counts.refused++;
        response.writeHead(503).end('try later');
      } else if (roll < 0.2) {
        counts.resets++;
        request.socket.destroy();
      } else {
        counts.accepted++;
        const key = `${path} ${webhookId}`;
        accepted.set(key, (accepted.get(key) ?? 0) + 1);
        response.writeHead(204).end();
      }
    });
  });
  return {
    server,
    counts,
    accepted,
    target(path, secret) {
      verifiers.set(path, new Webhook(secret));
      return `${server.origin}${path}`;
    },
    close: () => server.close(),
    [Symbol.asyncDispose]: () => server.close(),
  };
}
