import { deadlineHeader, EventBuilder } from '@events-protocol/core';
import type { EventProcessor } from '@events-protocol/server';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleProcessor } from '../support/example-service.js';

/** A server under the contract: where it listens, and how to stop it. A `RunningServer` is one. */
export interface AdapterServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  close(): Promise<void>;
}

/** How the example service the contract talks to is set up. */
export interface ContractService {
  /** The `hang` handler's own timeout, in ms. */
  readonly hangTimeoutMs: number;
}

/**
 * Starts an adapter serving `processor` on `/events` (discovery on) at a free port. An adapter in
 * another runtime (Bun, Deno) cannot be handed the processor: it builds `exampleProcessor(service)`
 * itself.
 */
export type StartAdapter = (processor: EventProcessor, service: ContractService) => Promise<AdapterServer>;

interface Answer {
  status: number;
  contentType: string | undefined;
  event: Record<string, unknown> & { payload?: unknown };
  text: string;
}

/**
 * The behaviour every HTTP adapter owes the protocol, checked over a real socket with raw bodies.
 * Each adapter's test file calls this once.
 */
export function describeAdapterContract(adapterName: string, start: StartAdapter): void {
  describe(`${adapterName} adapter contract`, () => {
    const service: ContractService = { hangTimeoutMs: 150 };
    let server: AdapterServer;

    beforeAll(async () => {
      server = await start(exampleProcessor(service), service);
    });
    afterAll(async () => {
      await server.close();
    });

    async function post(
      body: string | Buffer,
      options: { path?: string; contentType?: string | null; headers?: Record<string, string> } = {},
    ): Promise<Answer> {
      const headers: Record<string, string> = { ...options.headers };
      if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
      const response = await request(`${server.origin}${options.path ?? '/events'}`, { method: 'POST', body, headers });
      const text = await response.body.text();
      const contentType = response.headers['content-type'];
      return {
        status: response.statusCode,
        contentType: typeof contentType === 'string' ? contentType : undefined,
        event: JSON.parse(text) as Answer['event'],
        text,
      };
    }

    const event = (name: string, payload: unknown, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ ...EventBuilder.request({ name, payload }), ...extra });

    it('answers a success with HTTP 200 and <name>:response as application/json', async () => {
      const body = event(
        'user:get',
        { userId: '7' },
        { id: 'req-1', flowId: 'flow-1', auth: { token: 'secret' }, identity: { userId: 'u' } },
      );
      const answer = await post(body);
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe('application/json; charset=utf-8');
      expect(answer.event).toEqual({
        name: 'user:get:response',
        version: 1,
        id: 'req-1',
        flowId: 'flow-1',
        payload: { userId: '7', name: 'Ada Lovelace' },
        identity: {},
        auth: {},
        metadata: {},
      });
      expect(Object.keys(answer.event)).toEqual([
        'name',
        'version',
        'id',
        'flowId',
        'payload',
        'identity',
        'auth',
        'metadata',
      ]);
    });

    it('serves the trailing-slash route too', async () => {
      expect((await post(event('echo', 1), { path: '/events/' })).event.name).toBe('echo:response');
    });

    it('routes by version', async () => {
      expect((await post(event('echo', 'x', { version: 2 }))).event.payload).toEqual({ version: 2, payload: 'x' });
    });

    it('answers typed errors, unknown suffixes and unexpected exceptions with HTTP 200', async () => {
      const notFound = await post(event('user:get', { userId: 'missing' }));
      expect([notFound.status, notFound.event.name, notFound.event.payload]).toEqual([
        200,
        'user:get:notFound',
        { code: 'USER_NOT_FOUND', parameters: { userId: 'missing' } },
      ]);
      expect((await post(event('custom', null))).event).toMatchObject({
        name: 'custom:quotaExceeded',
        payload: { code: 'QUOTA', parameters: { limit: 10 } },
      });
      const boom = await post(event('boom', null));
      expect([boom.status, boom.event.name, boom.event.payload]).toEqual([
        200,
        'boom:error',
        { code: 'UNHANDLED_ERROR', parameters: {} },
      ]);
      expect(boom.text).not.toMatch(/postgres|internal detail|at .*\.ts/);
    });

    it('answers HANDLER_TIMEOUT for a handler that hangs', async () => {
      const answer = await post(event('hang', null));
      expect([answer.status, answer.event.name, answer.event.payload]).toEqual([
        200,
        'hang:error',
        { code: 'HANDLER_TIMEOUT', parameters: { timeoutMs: 150 } },
      ]);
    });

    it('answers badRequest with the issues for an invalid payload', async () => {
      const answer = await post(event('user:get', { userId: ['not', 'a', 'string'] }));
      expect(answer.event).toMatchObject({
        name: 'user:get:badRequest',
        payload: { code: 'INVALID_PAYLOAD', parameters: { issues: [{ path: ['userId'] }] } },
      });
    });

    it('answers eventNotFound for unknown names and versions', async () => {
      const answer = await post(event('nobody:home', null, { version: 3, id: 'x-1' }));
      expect(answer.event).toMatchObject({
        name: 'eventNotFound',
        version: 1,
        id: 'x-1',
        payload: { code: 'NO_EVENT_HANDLER_FOUND', parameters: { event: 'nobody:home', version: 3 } },
      });
    });

    it.each([
      ['malformed JSON', '{"name": "echo", ', undefined],
      ['an empty body', '', undefined],
      ['an array', '[{"name":"echo"}]', undefined],
      ['null', 'null', undefined],
      ['a number', '42', undefined],
      ['an empty object', '{}', 'name'],
      ['a numeric name', '{"name":1,"version":1,"id":"i","flowId":"f"}', 'name'],
      ['a null version', '{"name":"echo","version":null,"id":"i","flowId":"f"}', 'version'],
      // A number no double can hold is refused while the text is read, before any field is.
      ['a version of 1e309', '{"name":"echo","version":1e309,"id":"i","flowId":"f"}', undefined],
      ['a missing id', '{"name":"echo","version":1,"flowId":"f"}', 'id'],
      ['a numeric flowId', '{"name":"echo","version":1,"id":"i","flowId":5}', 'flowId'],
      ['a string metadata', '{"name":"echo","version":1,"id":"i","flowId":"f","metadata":"m"}', 'metadata'],
    ])('answers badProtocol with HTTP 200 to %s', async (_label, body, propertyName) => {
      const answer = await post(body);
      expect(answer.status).toBe(200);
      expect(answer.event).toMatchObject({
        name: 'badProtocol',
        version: 1,
        payload: {
          code: 'INVALID_COMMUNICATION_PROTOCOL',
          parameters: propertyName === undefined ? {} : { propertyName },
        },
      });
      expect(typeof answer.event['id']).toBe('string');
      expect(typeof answer.event['flowId']).toBe('string');
    });

    it('accepts the four lenient omissions', async () => {
      const answer = await post('{"name":"echo","version":1,"id":"i","flowId":"f"}');
      expect(answer.event).toMatchObject({ name: 'echo:response', id: 'i', flowId: 'f', payload: null });
    });

    it('refuses a 2 MiB body with HTTP 413 and a badProtocol event', async () => {
      const huge = event('echo', 'x'.repeat(2 * 1024 * 1024));
      const answer = await post(huge);
      expect(answer.status).toBe(413);
      expect(answer.event).toMatchObject({ name: 'badProtocol', payload: { code: 'INVALID_COMMUNICATION_PROTOCOL' } });
    });

    it('refuses a non-JSON content type with HTTP 415 and a badProtocol event, not an HTML page', async () => {
      const answer = await post('name=echo', { contentType: 'application/x-www-form-urlencoded' });
      expect(answer.status).toBe(415);
      expect(answer.contentType).toContain('application/json');
      expect(answer.event['name']).toBe('badProtocol');
    });

    it('reads a body without content type, or with another charset named, as UTF-8 JSON', async () => {
      expect((await post(event('echo', 'ü'), { contentType: null })).event.payload).toBe('ü');
      expect(
        (
          await post(Buffer.from(event('echo', 'naïve ☃ 😀'), 'utf8'), {
            contentType: 'application/json; charset=latin1',
          })
        ).event.payload,
      ).toBe('naïve ☃ 😀');
    });

    it('keeps 64-bit integers intact both ways', async () => {
      const answer = await post(
        '{"name":"echo","version":1,"id":"i","flowId":"f","payload":{"accountId":65484548474984654}}',
      );
      expect(answer.text).toContain('"payload":{"accountId":65484548474984654}');
    });

    it('answers other methods with 405 and lists the registered events on GET', async () => {
      const put = await request(`${server.origin}/events`, { method: 'PUT', body: '{}' });
      expect(put.statusCode).toBe(405);
      expect(put.headers['allow']).toBe('POST, GET, HEAD');
      expect(JSON.parse(await put.body.text())).toMatchObject({ name: 'badProtocol' });
      const head = await request(`${server.origin}/events`, { method: 'HEAD' });
      expect([head.statusCode, head.headers['content-type'], await head.body.text()]).toEqual([
        200,
        'application/json; charset=utf-8',
        '',
      ]);
      const discovery = await request(`${server.origin}/events`);
      expect(discovery.statusCode).toBe(200);
      const document = (await discovery.body.json()) as {
        events: { name: string; version: number; payload: unknown }[];
      };
      expect(document.events.map((entry) => `${entry.name}@${entry.version}`)).toContain('user:get@1');
      expect(document.events.find((entry) => entry.name === 'user:get')?.payload).toMatchObject({
        type: 'object',
        properties: { userId: { type: 'string' } },
      });
    });

    it('keeps serving after bad input', async () => {
      await post('{');
      await post('[]');
      expect((await post(event('echo', 'still here'))).event.payload).toBe('still here');
    });
    it('answers DEADLINE_EXCEEDED without running the handler when the caller has no time left', async () => {
      const answer = await post(event('echo', 'late'), { headers: { [deadlineHeader]: '0' } });
      expect(answer.status).toBe(200);
      expect(answer.event).toMatchObject({ name: 'echo:error', payload: { code: 'DEADLINE_EXCEEDED' } });
    });

    it("caps the handler's time by the caller's remaining budget", async () => {
      const started = performance.now();
      const answer = await post(event('hang', null), { headers: { [deadlineHeader]: '40' } });
      expect(answer.event).toMatchObject({ name: 'hang:error', payload: { code: 'DEADLINE_EXCEEDED' } });
      // The handler's own timeout is 150 ms; the 40 ms budget ended it first.
      expect(performance.now() - started).toBeLessThan(140);
      const unbounded = await post(event('hang', null), { headers: { [deadlineHeader]: 'soon' } });
      expect(unbounded.event).toMatchObject({ payload: { code: 'HANDLER_TIMEOUT', parameters: { timeoutMs: 150 } } });
    });
  });
}
