import {
  createPublishedEvent,
  fromCloudEvent,
  HttpSink,
  isPublishError,
  toCloudEvent,
  validateCloudEvent,
  type PublishedEvent,
} from '@events-protocol/publish';
import { CloudEvent as SdkCloudEvent, HTTP } from 'cloudevents';
import fc from 'fast-check';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { listen, readBody } from '../support/http-server.js';

type Candidate = Record<string, unknown>;

/**
 * The official SDK's verdict in strict mode. `validate()` runs on the object itself (its JSON
 * Schema and attribute names), since the constructor would fill in what is missing (a new id, the
 * current time); the constructor then adds its own checks (extension values, 0.3 attributes).
 */
function sdkAccepts(candidate: Candidate): boolean {
  try {
    if (!SdkCloudEvent.prototype.validate.call(candidate as unknown as SdkCloudEvent)) return false;
    new SdkCloudEvent(candidate, true);
    return true;
  } catch {
    return false;
  }
}

function weAccept(candidate: Candidate): boolean {
  try {
    validateCloudEvent(candidate);
    return true;
  } catch (error) {
    expect(isPublishError(error) && error.code).toBe('INVALID_EVENT');
    return false;
  }
}

const valid = { specversion: '1.0', id: 'A234-1234-1234', source: '/orders-service', type: 'order:placed' };

const mistyped = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
);

// Pieces of URIs, well and badly formed, so the generated strings hit the grammar's corners.
const uriUnit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(..."abcxyzAZ019-._~!$&'()*+,;=:@/?#".split('')) },
  {
    weight: 3,
    arbitrary: fc.constantFrom('//', '://', 'https:', 'urn:', 'v1.x', '[', ']', '::', 'ffff:', '1.2.3.4', '%2F', '%'),
  },
  { weight: 1, arbitrary: fc.constantFrom(' ', '"', '<', '>', '\\', '^', '`', '{', '|', '}', 'é', '\n', '%zz', '[v') },
);
const uriLike = fc.oneof(
  fc.string({ unit: uriUnit, maxLength: 12 }),
  fc.constantFrom(
    'https://github.com/cloudevents',
    'mailto:cncf-wg-serverless@lists.cncf.io',
    'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66',
    'cloudevents/spec/pull/123',
    '//[::1]:8080/a?b#c',
    'http://[v7.a:b]/',
    'http://[2001:db8::7]/',
    'http://[::ffff:1.2.3.4]/',
    'http://[1:2:3:4:5:6:7]/',
    'a:',
    '1-555-123-4567',
  ),
);

const pad = (value: number, width: number): string => String(value).padStart(width, '0');
const timeLike = fc.oneof(
  fc
    .record({
      year: fc.integer({ min: 0, max: 9999 }),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
      hour: fc.integer({ min: 0, max: 25 }),
      minute: fc.integer({ min: 0, max: 61 }),
      second: fc.integer({ min: 0, max: 61 }),
      fraction: fc.constantFrom('', '.1', '.123456789', '.', ',5'),
      separator: fc.constantFrom('T', 't', ' ', '\u00a0', 'x', 'TT', ''),
      zone: fc.constantFrom('Z', 'z', '+01:00', '-05:30', '+0100', '+01', '', '+1', 'UTC', '+01:0', '+99:99'),
      width: fc.constantFrom(2, 2, 2, 1, 3),
    })
    .map(
      (t) =>
        `${pad(t.year, 4)}-${pad(t.month, t.width)}-${pad(t.day, 2)}${t.separator}` +
        `${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}${t.fraction}${t.zone}`,
    ),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.string({ maxLength: 8 }),
);

const base64Like = fc.oneof(
  fc.uint8Array({ maxLength: 12 }).map((bytes) => Buffer.from(bytes).toString('base64')),
  fc.string({ unit: fc.constantFrom(...'QUJD+/=xy @-'.split('')), maxLength: 9 }),
);

/** An attribute kept valid, left out, empty, of the wrong type, or any string of its kind. */
function variant(validValue: unknown, strings: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 40, arbitrary: fc.constant(validValue) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: mistyped },
    { weight: 3, arbitrary: strings },
  );
}

const extensionName = fc.oneof(
  fc.stringMatching(/^[a-z0-9]{1,20}$/),
  fc.stringMatching(/^[a-z0-9]{21,30}$/),
  fc.stringMatching(/^[a-zA-Z0-9_-]{0,8}$/),
  fc.constantFrom('flowId', 'Type', 'data_base64', 'schemaurl', 'datacontentencoding', 'flowid', 'eventversion'),
);
const extensionValue = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 1 }),
);

/** CloudEvent-like objects: valid ones, and ones with each attribute broken in every way. */
const candidate: fc.Arbitrary<Candidate> = fc
  .record({
    specversion: variant('1.0', fc.constantFrom('0.3', '1', '1.0.2', ' 1.0', 1)),
    id: variant(valid.id, fc.string({ maxLength: 6 })),
    source: variant(valid.source, uriLike),
    type: variant(valid.type, fc.string({ maxLength: 6 })),
    time: variant(undefined, timeLike),
    datacontenttype: variant(undefined, fc.constantFrom('application/json', 'text/xml', 'json', ' ', 'a/b; c=d')),
    dataschema: variant(undefined, uriLike),
    subject: variant(undefined, fc.string({ maxLength: 6 })),
    data: variant(undefined, fc.oneof(fc.jsonValue(), fc.bigInt(), fc.constant(Number.NaN))),
    data_base64: variant(undefined, base64Like),
    extensions: fc.dictionary(extensionName, extensionValue, { maxKeys: 3 }),
  })
  .map(({ extensions, ...attributes }) => {
    const event: Candidate = {};
    for (const [name, value] of Object.entries(attributes))
      if (value !== undefined || name === 'data') event[name] = value;
    if (event['data'] === undefined) delete event['data'];
    return { ...event, ...extensions };
  });

const runs = 20_000;

describe('validateCloudEvent agrees with the official cloudevents SDK (strict)', () => {
  it('on CloudEvent-like objects of every kind', () => {
    let accepted = 0;
    fc.assert(
      fc.property(candidate, (event) => {
        const verdict = sdkAccepts(event);
        if (verdict) accepted++;
        expect(weAccept(event)).toBe(verdict);
      }),
      { numRuns: runs },
    );
    // Both verdicts are well represented, or the comparison would prove little.
    expect(accepted).toBeGreaterThan(runs * 0.05);
    expect(accepted).toBeLessThan(runs * 0.95);
  }, 180_000);

  it.each<[string, fc.Arbitrary<unknown>]>([
    ['time', timeLike],
    ['source', uriLike],
    ['dataschema', uriLike],
    ['data_base64', base64Like],
  ])(
    'on %s alone, everything else valid',
    (attribute, values) => {
      fc.assert(
        fc.property(values, (value) => {
          const event = { ...valid, [attribute]: value };
          expect(weAccept(event)).toBe(sdkAccepts(event));
        }),
        { numRuns: runs / 2 },
      );
    },
    120_000,
  );

  it.each<[string, Candidate, boolean]>([
    ['an empty subject', { ...valid, subject: '' }, false],
    ['a null subject (absent)', { ...valid, subject: null }, true],
    ['an uppercase extension name', { ...valid, flowId: 'x' }, false],
    ['an extension name of 21 characters (the spec only advises 20)', { ...valid, abcdefghijklmnopqrstu: 'x' }, true],
    ['a fractional extension value', { ...valid, ratio: 0.5 }, false],
    ['specversion 0.3', { ...valid, specversion: '0.3' }, false],
    ['a missing id', { specversion: '1.0', source: '/s', type: 't' }, false],
    ['a date that does not exist', { ...valid, time: '2026-02-29T10:00:00Z' }, false],
    ['a leap day', { ...valid, time: '2028-02-29T10:00:00Z' }, true],
    ['a source with a space', { ...valid, source: '/orders service' }, false],
    ['an empty datacontenttype', { ...valid, datacontenttype: '' }, false],
  ])('the same verdict on %s', (_name, event, expected) => {
    expect(sdkAccepts(event)).toBe(expected);
    expect(weAccept(event)).toBe(expected);
  });
});

const publishedEvent: fc.Arbitrary<PublishedEvent> = fc.record({
  name: fc.string({ minLength: 1, maxLength: 12 }),
  version: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  id: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 8 })),
  flowId: fc.oneof(fc.uuid(), fc.string({ maxLength: 8 })),
  payload: fc.jsonValue(),
  identity: fc.constant({ userId: 'u-1' }),
  auth: fc.constant({ token: 'never-leaves' }),
  metadata: fc.constant({}),
  createdAt: fc
    .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
    .map((date) => date.toISOString()),
});
const source = fc.constantFrom('/orders-service', 'https://shop.example/orders', 'urn:shop:orders', 'orders');

describe('toCloudEvent', () => {
  it('produces only CloudEvents the SDK accepts, and converts back', () => {
    fc.assert(
      fc.property(publishedEvent, source, fc.option(fc.string({ maxLength: 6 })), (event, from, subject) => {
        const cloudEvent = toCloudEvent(event, { source: from, ...(subject === null ? {} : { subject }) });
        expect(sdkAccepts(cloudEvent)).toBe(true);
        expect(sdkAccepts(JSON.parse(JSON.stringify(cloudEvent)) as Candidate)).toBe(true);
        expect(JSON.stringify(cloudEvent)).not.toContain('never-leaves');
        if (subject === '') expect(cloudEvent).not.toHaveProperty('subject');
        expect(fromCloudEvent(cloudEvent)).toMatchObject({
          name: event.name,
          version: event.version,
          id: event.id,
          flowId: event.flowId === '' ? event.id : event.flowId,
          payload: event.payload,
          createdAt: event.createdAt,
        });
      }),
      { numRuns: 5_000 },
    );
  }, 120_000);

  it('refuses what would not be a CloudEvent instead of producing it', () => {
    const event = createPublishedEvent({ name: 'order:placed', payload: 1 });
    expect(() => toCloudEvent(event, { source: 'not a uri' })).toThrow(/source must be a URI-reference/);
    expect(() => toCloudEvent({ ...event, createdAt: 'yesterday' }, { source: '/s' })).toThrow(/time/);
    expect(() => toCloudEvent({ ...event, name: '' }, { source: '/s' })).toThrow(/type must be a non-empty string/);
  });

  it('what HttpSink sends, structured or binary, the SDK reads as a valid CloudEvent', async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    await using server = await listen((request, response) => {
      void readBody(request).then((body) => {
        received.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    const event = createPublishedEvent({ name: 'order:placed', payload: { orderId: 'o-1' } });
    for (const mode of ['structured', 'binary'] as const) {
      const sink = new HttpSink({ url: server.origin, cloudEvents: { mode, source: '/orders' } });
      await sink.publish(event, { topic: '' });
      await sink.publish(event, { topic: 'orders' });
      await sink.close();
    }
    const read = received.map(({ headers, body }) => HTTP.toEvent({ headers, body })) as SdkCloudEvent[];
    for (const cloudEvent of read) {
      expect(cloudEvent.validate()).toBe(true);
      expect(cloudEvent).toMatchObject({
        id: event.id,
        type: 'order:placed',
        source: '/orders',
        data: { orderId: 'o-1' },
      });
    }
    expect(read.map((cloudEvent) => cloudEvent.subject)).toEqual([undefined, 'orders', undefined, 'orders']);
    expect(received[0]?.body).not.toContain('"subject"');
  });
});
