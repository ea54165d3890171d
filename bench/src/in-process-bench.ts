/** In-process: processEvent on an already-parsed body against calling the handler directly. */
import { EventProcessor, EventRegistry } from '@events-protocol/server';
import { price, priceOrder, priceOrderPayload, requestEvent } from './fixture.js';
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

/** Runs both in-process scenarios, `rounds` rounds of `seconds` each. */
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
  ];
}
