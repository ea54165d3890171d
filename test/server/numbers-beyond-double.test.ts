import { readJson, writeJson } from '@events-protocol/core';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import fc from 'fast-check';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { listen } from '../support/http-server.js';

// A number that a double cannot hold (it overflows to ±Infinity, or a non-zero value underflows
// to 0) must never be echoed changed: the server refuses the request as badProtocol.

/**
 * Numeric equality across types: a double past 2^53 is written as its shortest digits, which read
 * back as the bigint of those digits, and that bigint stands for the same double.
 */
function sameNumber(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === typeof b) return a === b;
  const [number, big] = typeof a === 'number' ? [a, b as bigint] : [b as number, a];
  return Number.isInteger(number) && Number(big) === number;
}

function echoProcessor(): EventProcessor {
  return new EventProcessor(new EventRegistry().register({ name: 'number:echo', handler: (event) => event.payload }));
}

function body(payloadText: string): string {
  const id = '8d1c7f2e-5b1a-4c5e-9f0a-1b2c3d4e5f60';
  return `{"name":"number:echo","version":1,"id":"${id}","flowId":"${id}","payload":${payloadText},"identity":{},"auth":{},"metadata":{}}`;
}

const refused = ['1e400', '-1e400', '[1, 2E+309]', '{"a":1e-400}', '-1e-400', '0.5e-330', '{"big":123456789e303}'];
const kept: [text: string, value: unknown][] = [
  ['1e308', 1e308],
  ['-1.7976931348623157e308', -1.7976931348623157e308],
  ['5e-324', 5e-324],
  ['0e-400', 0],
  ['0.000e999', 0],
  ['1e-300', 1e-300],
  ['65484548474984654', 65484548474984654n],
];

describe('numbers a double cannot hold', () => {
  it('are refused as badProtocol over a real socket, never echoed as null or Infinity', async () => {
    await using server = await listen(createEventServer(echoProcessor()));
    for (const text of refused) {
      const response = await request(`${server.origin}/events`, { method: 'POST', body: body(text) });
      expect(response.statusCode).toBe(200);
      const answer = (await response.body.json()) as { name: string; payload: { code: string } };
      expect(answer.name, text).toBe('badProtocol');
      expect(answer.payload.code).toBe('INVALID_COMMUNICATION_PROTOCOL');
    }
    for (const [text, value] of kept) {
      const response = await request(`${server.origin}/events`, { method: 'POST', body: body(text) });
      const answer = readJson(await response.body.text()) as { name: string; payload: unknown };
      expect(answer.name, text).toBe('number:echo:response');
      expect(answer.payload, text).toEqual(value);
    }
  });

  it('are refused through processEvent, from text and from bytes', async () => {
    const processor = echoProcessor();
    for (const text of refused) {
      expect((await processor.processEvent(body(text))).name, text).toBe('badProtocol');
      expect((await processor.processEvent(Buffer.from(body(text)))).name, text).toBe('badProtocol');
    }
  });

  it('any number the reader accepts comes back as the same numeric value', () => {
    const digits = (min: number, max: number) =>
      fc.array(fc.integer({ min: 0, max: 9 }).map(String), { minLength: min, maxLength: max }).map((d) => d.join(''));
    const literal = fc
      .tuple(
        fc.boolean(),
        fc.oneof(
          fc.constant('0'),
          fc.tuple(fc.integer({ min: 1, max: 9 }).map(String), digits(0, 30)).map(([a, b]) => a + b),
        ),
        fc.option(digits(1, 30), { nil: undefined }),
        fc.option(
          fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 500 })),
          {
            nil: undefined,
          },
        ),
      )
      .map(
        ([negative, whole, fraction, exponent]) =>
          `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}${exponent === undefined ? '' : exponent.join('')}`,
      );
    fc.assert(
      fc.property(literal, (text) => {
        let value: unknown;
        try {
          value = readJson(`[${text}]`);
        } catch {
          // Refused: only for what a double cannot hold.
          const number = Number(text);
          const nonZero = /[1-9]/.test(text.replace(/[eE].*$/, ''));
          expect(!Number.isFinite(number) || (nonZero && number === 0), text).toBe(true);
          return;
        }
        const [read] = value as [number | bigint];
        if (typeof read === 'bigint') expect(read).toBe(BigInt(text));
        else {
          expect(Number.isFinite(read)).toBe(true);
          expect(read).toBe(Number(text));
        }
        const [again] = readJson(writeJson([read])) as [number | bigint];
        expect(sameNumber(again, read), `${text} → ${writeJson([read])}`).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  }, 120_000);
});
