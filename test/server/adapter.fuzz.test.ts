import { eventsRouter } from '@events-protocol/express-adapter';
import { createEventServer, type EventProcessor } from '@events-protocol/server';
import express from 'express';
import fc from 'fast-check';
import { createServer } from 'node:http';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../support/http-server.js';
import {
  expectNoPollution,
  expectWellFormedAnswer,
  fuzzProcessor,
  fuzzRuns,
  nearValidEventText,
  oddVersionText,
} from './fuzz-support.js';

// Budgeted by case count, not time: 10,000 HTTP round trips take seconds on an idle machine and
// several times that on a busy one, so the limit is only there to end a hung run.
const propertyTimeoutMs = 300_000;

const adapters: [string, (processor: EventProcessor) => Promise<RunningServer>][] = [
  ['node:http', (processor) => listen(createEventServer(processor))],
  [
    'express',
    (processor) => {
      const app = express();
      app.use(eventsRouter(processor));
      return listen(createServer(app));
    },
  ],
];

const anyBody = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  nearValidEventText,
  oddVersionText,
);

describe.each(adapters)('the %s adapter under hostile input', (_name, start) => {
  let server: RunningServer;
  const agent = new Agent({ connections: 8 });

  beforeAll(async () => {
    server = await start(fuzzProcessor());
  });
  afterAll(async () => {
    await agent.close();
    await server.close();
  });

  async function post(body: string | Buffer) {
    const response = await request(`${server.origin}/events`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
      dispatcher: agent,
    });
    return { status: response.statusCode, event: await response.body.json() };
  }

  it(
    `answers every body with HTTP 200 and a well-formed event, and keeps serving (${fuzzRuns} cases)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(anyBody, async (body) => {
          const answer = await post(body);
          expect(answer.status).toBe(200);
          expectWellFormedAnswer(answer.event);
          expectNoPollution();
        }),
        { numRuns: fuzzRuns },
      );
    },
    propertyTimeoutMs,
  );

  it('answers deep nesting, long strings and oversized bodies with protocol answers', { timeout: 60_000 }, async () => {
    const deep = await post(
      `{"name":"echo","version":1,"id":"i","flowId":"f","payload":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    );
    expect(deep).toMatchObject({ status: 200, event: { name: 'badProtocol' } });
    const longName = await post(JSON.stringify({ name: 'n'.repeat(500_000), version: 1, id: 'i', flowId: 'f' }));
    expect(longName).toMatchObject({ status: 200, event: { name: 'eventNotFound' } });
    const longNote = await post(
      JSON.stringify({
        name: 'order:place',
        version: 1,
        id: 'i',
        flowId: 'f',
        payload: { sku: 'a', quantity: 1, note: 'x'.repeat(5000) },
      }),
    );
    expect(longNote).toMatchObject({ status: 200, event: { name: 'order:place:badRequest' } });
    const oversized = await post(Buffer.alloc(2 * 1024 * 1024, 0x20));
    expect(oversized).toMatchObject({ status: 413, event: { name: 'badProtocol' } });
    expect(await post('{"name":"echo","version":1,"id":"i","flowId":"f","payload":"still serving"}')).toMatchObject({
      status: 200,
      event: { payload: 'still serving' },
    });
  });
});
