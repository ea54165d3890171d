import { definePublishedEvent } from '@events-protocol/core';
import { receiveWebhook, receiveWebhookRequest, type ReceivedWebhookEvent } from '@events-protocol/webhooks';
import express from 'express';
import Fastify from 'fastify';
import { z } from 'zod';
import { fetchBridge } from '../support/fetch-bridge.js';
import { listen, type RunningServer } from '../support/http-server.js';

/** The published events the receivers know. */
export const orderPlaced = definePublishedEvent({
  name: 'order:placed',
  payload: z.object({ orderId: z.string(), cents: z.number().int().nonnegative() }),
});
export const orderCancelled = definePublishedEvent({
  name: 'order:cancelled',
  version: 2,
  payload: z.object({ orderId: z.string(), reason: z.string() }),
});
export const contracts = [orderPlaced, orderCancelled];

/** What a receiver took: typed events, and what it refused. */
export interface ReceiverLog {
  readonly events: ReceivedWebhookEvent<(typeof contracts)[number]>[];
  readonly refusals: { reason: string; issues: readonly unknown[] }[];
}

/** A receiver under test: its URL (POST the deliveries there) and what it took. */
export interface ReceiverUnderTest extends AsyncDisposable {
  readonly url: string;
  readonly log: ReceiverLog;
}

const emptyLog = (): ReceiverLog => ({ events: [], refusals: [] });

/** Express 5, the raw body from `express.raw`. */
async function expressReceiver(secret: string): Promise<ReceiverUnderTest> {
  const log = emptyLog();
  const app = express();
  app.post('/hooks', express.raw({ type: 'application/json' }), (req, res) => {
    const result = receiveWebhook(contracts, { secret, headers: req.headers, body: req.body as Buffer });
    if (!result.ok) {
      log.refusals.push({ reason: result.reason, issues: result.issues });
      res.status(result.status).json({ reason: result.reason });
      return;
    }
    log.events.push(result.event);
    res.status(204).end();
  });
  const running = await listen((req, res) => {
    app(req, res);
  });
  return served(running, log);
}

/** Fastify 5, JSON read as a buffer by the receiver's own content-type parser. */
async function fastifyReceiver(secret: string): Promise<ReceiverUnderTest> {
  const log = emptyLog();
  const app = Fastify();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });
  app.post('/hooks', async (request, reply) => {
    const result = receiveWebhook(contracts, { secret, headers: request.headers, body: request.body as Buffer });
    if (!result.ok) {
      log.refusals.push({ reason: result.reason, issues: result.issues });
      return reply.status(result.status).send({ reason: result.reason });
    }
    log.events.push(result.event);
    return reply.status(204).send();
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('fastify has no port');
  const close = async (): Promise<void> => {
    await app.close();
  };
  return { url: `http://127.0.0.1:${address.port}/hooks`, log, [Symbol.asyncDispose]: close };
}

/** A web-standard fetch handler served on node:http. */
async function fetchReceiver(secret: string): Promise<ReceiverUnderTest> {
  const log = emptyLog();
  const running = await listen(
    fetchBridge(async (request) => {
      const result = await receiveWebhookRequest(request, contracts, { secret });
      if (!result.ok) {
        log.refusals.push({ reason: result.reason, issues: result.issues });
        return Response.json({ reason: result.reason }, { status: result.status });
      }
      log.events.push(result.event);
      return new Response(null, { status: 204 });
    }),
  );
  return served(running, log);
}

function served(running: RunningServer, log: ReceiverLog): ReceiverUnderTest {
  return { url: `${running.origin}/hooks`, log, [Symbol.asyncDispose]: () => running.close() };
}

/** Every framework the receiver helper is tested in. */
export const frameworks = {
  express: expressReceiver,
  fastify: fastifyReceiver,
  fetch: fetchReceiver,
} as const;
