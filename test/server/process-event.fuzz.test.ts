import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expectNoPollution,
  expectWellFormedAnswer,
  fuzzProcessor,
  fuzzRuns,
  nearValidEventText,
  oddVersionText,
} from './fuzz-support.js';

// Budgeted by case count, not time: the limit is only there to end a hung run on a busy machine.
const propertyTimeoutMs = 180_000;

describe('processEvent under hostile input', () => {
  const processor = fuzzProcessor();

  it(
    `answers arbitrary bytes with a well-formed event (${fuzzRuns} cases)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
          expectWellFormedAnswer(await processor.processEvent(bytes));
          expectNoPollution();
        }),
        { numRuns: fuzzRuns },
      );
    },
    propertyTimeoutMs,
  );

  it(
    `answers arbitrary JSON, as text and as parsed values (${fuzzRuns} cases)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), async (value) => {
          expectWellFormedAnswer(await processor.processEvent(JSON.stringify(value)));
          expectWellFormedAnswer(await processor.processEvent(value));
          expectNoPollution();
        }),
        { numRuns: fuzzRuns },
      );
    },
    propertyTimeoutMs,
  );

  it(
    `answers near-valid events, dangerous keys included, and pollutes nothing (${fuzzRuns} cases)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(nearValidEventText, async (text) => {
          expectWellFormedAnswer(await processor.processEvent(text));
          expectNoPollution();
        }),
        { numRuns: fuzzRuns },
      );
    },
    propertyTimeoutMs,
  );

  it('reads odd numbers for version as the protocol says', async () => {
    await fc.assert(
      fc.asyncProperty(oddVersionText, async (text) => {
        const answer = await processor.processEvent(text);
        expectWellFormedAnswer(answer);
        // Only a positive integer version routes; 1e309 is Infinity and -0 is below 1.
        if (answer.name !== 'echo:response') expect(answer.name).toBe('badProtocol');
      }),
    );
  });

  it('refuses 100,000 levels of nesting before anything walks them', async () => {
    for (const [open, close] of [
      ['[', ']'],
      ['{"a":', '}'],
    ] as const) {
      const deep = `${open.repeat(100_000)}1${close.repeat(100_000)}`;
      const answer = await processor.processEvent(
        `{"name":"echo","version":1,"id":"i","flowId":"f","payload":${deep}}`,
      );
      expect(answer).toMatchObject({ name: 'badProtocol', payload: { code: 'INVALID_COMMUNICATION_PROTOCOL' } });
    }
    // Nesting within the limit is echoed intact.
    const fine = `${'['.repeat(100)}1${']'.repeat(100)}`;
    const echoed = await processor.processEvent(`{"name":"echo","version":1,"id":"i","flowId":"f","payload":${fine}}`);
    expect(JSON.stringify(echoed.payload)).toBe(fine);
  });

  it('answers a handler that spreads a __proto__ payload without touching any prototype', async () => {
    const answer = await processor.processEvent(
      '{"name":"merge","version":1,"id":"i","flowId":"f","payload":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}',
    );
    expectWellFormedAnswer(answer);
    expectNoPollution();
  });
});
