/**
 * In-process: processEvent on an already-parsed body against calling the handler directly; and
 * reading a ~430-byte event that holds a 64-bit integer three ways: plain `JSON.parse` (the
 * baseline, which rounds the integer), readJson's own parser, and readJson's source-text path
 * (`JSON.parse` with a reviver given each number's source text, Node 22+ only).
 */
import { readJson } from '@events-protocol/core';
import { EventProcessor, EventRegistry } from '@events-protocol/server';
import { price, priceOrder, priceOrderPayload, requestBody, requestEvent } from './fixture.js';
import { median, type ScenarioResult } from './measure.js';

async function rate(seconds: number, operation: () => unknown): Promise<number> {
  let count = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let index = 0; index < 1000; index++) await operation();
    count += 1000;
  }
  return count / seconds;
}

/** The same for a synchronous operation: no await between calls, which would cost as much as a parse. */
function syncRate(seconds: number, operation: () => unknown): number {
  let count = 0;
  let kept = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let index = 0; index < 1000; index++) if (operation() !== undefined) kept++;
    count += 1000;
  }
  if (kept !== count) throw new Error('a parse gave nothing');
  return count / seconds;
}

/** The request event with a JVM service's 64-bit customer id in place of its string one (~430 bytes). */
export const bigIntegerBody = requestBody.replace('"customerId":"c-123456"', '"customerId":6548454847498465423');
const bigInteger = 6548454847498465423n;

interface JsonReaders {
  readonly own: (text: string) => unknown;
  /** Absent where the runtime's JSON.parse gives revivers no source text. */
  readonly sourceText: ((text: string) => unknown) | undefined;
}

/**
 * The two ways readJson reads text that may hold an unusual number, which core keeps internal
 * (its index exports readJson only): loaded from their files beside core's entry (dist/ when the
 * bench runs built, src/ under tsx and the source condition).
 */
async function loadJsonReaders(): Promise<JsonReaders> {
  const entry = import.meta.resolve('@events-protocol/core');
  const extension = entry.endsWith('.ts') ? '.ts' : '.js';
  const own = (await import(new URL(`./own-json-parser${extension}`, entry).href)) as {
    parseJsonWithOwnParser: (text: string) => unknown;
  };
  const sourceText = (await import(new URL(`./source-text-json-parser${extension}`, entry).href)) as {
    jsonParseHasSourceText: boolean;
    parseJsonWithSourceText: (text: string) => unknown;
  };
  return {
    own: own.parseJsonWithOwnParser,
    sourceText: sourceText.jsonParseHasSourceText ? sourceText.parseJsonWithSourceText : undefined,
  };
}

function customerIdOf(value: unknown): unknown {
  return (value as { payload: { customerId: unknown } }).payload.customerId;
}

/** Reads the event three ways, after checking that each gives what it should. */
async function runJsonReading(rounds: number, seconds: number): Promise<ScenarioResult[]> {
  const readers = await loadJsonReaders();
  const native = () => JSON.parse(bigIntegerBody) as unknown;
  const own = () => readers.own(bigIntegerBody);
  const sourceText = readers.sourceText === undefined ? undefined : () => readers.sourceText!(bigIntegerBody);
  if (customerIdOf(native()) === Number(bigInteger) && String(customerIdOf(native())) === String(bigInteger)) {
    throw new Error('JSON.parse kept the 64-bit integer: the baseline is not what it claims');
  }
  for (const read of [own, sourceText, () => readJson(bigIntegerBody)]) {
    if (read !== undefined && customerIdOf(read()) !== bigInteger) throw new Error('a reader lost the 64-bit integer');
  }
  syncRate(1, native);
  syncRate(1, own);
  if (sourceText !== undefined) syncRate(1, sourceText);
  const nativeRounds: number[] = [];
  const ownRounds: number[] = [];
  const sourceTextRounds: number[] = [];
  for (let round = 0; round < rounds; round++) {
    nativeRounds.push(syncRate(seconds, native));
    ownRounds.push(syncRate(seconds, own));
    if (sourceText !== undefined) sourceTextRounds.push(syncRate(seconds, sourceText));
  }
  const size = `${Buffer.byteLength(bigIntegerBody)}-byte event, one 64-bit integer`;
  const row = (key: string, label: string, measured: number[]): ScenarioResult => ({
    key,
    label,
    group: 'in-process',
    throughput: measured.length === 0 ? 0 : median(measured),
    errors: 0,
    rounds: measured.map(Math.round),
  });
  return [
    row('json-parse', `JSON.parse, ${size} (baseline; rounds the integer)`, nativeRounds),
    row(
      'read-json-own-parser',
      `readJson's own parser, same event${sourceText === undefined ? " (readJson's path here)" : ''}`,
      ownRounds,
    ),
    row(
      'read-json-source-text',
      sourceText === undefined
        ? `readJson's source-text path: unavailable on Node ${process.versions.node} (no JSON.parse source text)`
        : "readJson's source-text path (JSON.parse + reviver), same event (readJson's path here)",
      sourceTextRounds,
    ),
  ];
}

/** Runs the in-process scenarios, `rounds` interleaved rounds of `seconds` each per group. */
export async function runInProcess(rounds: number, seconds: number): Promise<ScenarioResult[]> {
  const processor = new EventProcessor(new EventRegistry().on(priceOrder, (event) => price(event.payload)));
  const direct = async () => price(priceOrderPayload.parse(requestEvent.payload));
  const viaProcessor = () => processor.processEvent(requestEvent);
  await rate(1, direct);
  await rate(1, viaProcessor);
  const directRounds: number[] = [];
  const processorRounds: number[] = [];
  for (let round = 0; round < rounds; round++) {
    directRounds.push(await rate(seconds, direct));
    processorRounds.push(await rate(seconds, viaProcessor));
  }
  return [
    {
      key: 'handler-direct',
      label: 'handler called directly, zod-validated (baseline)',
      group: 'in-process',
      throughput: median(directRounds),
      errors: 0,
      rounds: directRounds.map(Math.round),
    },
    {
      key: 'process-event',
      label: 'EventProcessor.processEvent, parsed body',
      group: 'in-process',
      throughput: median(processorRounds),
      errors: 0,
      rounds: processorRounds.map(Math.round),
    },
    ...(await runJsonReading(rounds, seconds)),
  ];
}
