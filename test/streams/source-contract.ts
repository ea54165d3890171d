import { fixedSchedule } from '@events-protocol/core';
import { EventRegistry, MemoryReplayStore } from '@events-protocol/server';
import { consume, type StreamMessage, type StreamSource } from '@events-protocol/server/streams';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { publishedEvent, waitFor, type StartStream } from './stream-harness.js';

/** A source whose first `failures` acks fail, as a process that died between handling and acking. */
function failingFirstAcks(source: StreamSource, failures: number): StreamSource {
  let left = failures;
  return {
    name: source.name,
    ...(source.leaseMs === undefined ? {} : { leaseMs: source.leaseMs }),
    pull: (max, signal) => source.pull(max, signal),
    ack: (message: StreamMessage) => {
      if (left > 0) {
        left -= 1;
        return Promise.reject(new Error('connection lost before the ack'));
      }
      return source.ack(message);
    },
    retry: (message, delayMs) => source.retry(message, delayMs),
    deadLetter: (message, letter) => source.deadLetter(message, letter),
  };
}

/**
 * The promises every stream source keeps under `consume`, checked against a real broker: settled
 * only after the handler answered, retried on the schedule then dead-lettered, typed errors
 * dead-lettered at once, redeliveries of a handled event not run again, the concurrency limit,
 * and a drain that waits for the messages in their handlers.
 */
export function describeStreamSourceContract(name: string, start: StartStream): void {
  describe(`stream source contract: ${name}`, () => {
    it('acknowledges each message once its handler answered, and nothing is left unsettled', async () => {
      await using stream = await start();
      const handled: string[] = [];
      const registry = new EventRegistry().register({
        name: 'stream:note',
        handler: (event) => {
          handled.push(event.id);
          return { ok: true };
        },
      });
      const events = [1, 2, 3].map((n) => publishedEvent('stream:note', { n }));
      for (const event of events) await stream.publish(event);
      const consumer = consume(registry, stream.source());
      await waitFor('every event handled and acknowledged', async () => (await stream.unsettled()) === 0);
      const stats = await consumer.close();
      expect(handled.sort()).toEqual(events.map((event) => event.id).sort());
      expect(stats).toMatchObject({ received: 3, acknowledged: 3, retried: 0, deadLettered: 0 });
      expect(await stream.deadLetters()).toEqual([]);
    });

    it('retries <name>:error on the schedule, then moves it to the dead letter with its attempts', async () => {
      await using stream = await start();
      const attempts = new Map<string, number>();
      const registry = new EventRegistry().register({
        name: 'stream:flaky',
        payload: z.object({ failures: z.number() }),
        handler: (event) => {
          const attempt = (attempts.get(event.id) ?? 0) + 1;
          attempts.set(event.id, attempt);
          if (attempt <= event.payload.failures) throw new Error(`attempt ${attempt} fails`);
          return { attempt };
        },
      });
      const recovers = publishedEvent('stream:flaky', { failures: 2 });
      const neverRecovers = publishedEvent('stream:flaky', { failures: 99 });
      await stream.publish(recovers);
      await stream.publish(neverRecovers);
      const consumer = consume(registry, stream.source({ leaseMs: 2000 }), {
        retry: fixedSchedule({ delayMs: 100, maxAttempts: 3 }),
      });
      await waitFor('one event dead-lettered', async () => (await stream.deadLetters()).length === 1);
      await waitFor('nothing left unsettled', async () => (await stream.unsettled()) === 0);
      const stats = await consumer.close();
      expect(attempts.get(recovers.id)).toBe(3);
      expect(attempts.get(neverRecovers.id)).toBe(3);
      expect(await stream.deadLetters()).toEqual([
        { eventId: neverRecovers.id, reason: 'exhausted', attempts: 3, answerName: 'stream:flaky:error' },
      ]);
      expect(stats).toMatchObject({ acknowledged: 1, retried: 4, deadLettered: 1 });
    });

    it('dead-letters a badRequest, an unknown event and a non-event at once, without running a handler', async () => {
      await using stream = await start();
      let runs = 0;
      const registry = new EventRegistry().register({
        name: 'stream:strict',
        payload: z.object({ count: z.number() }),
        handler: () => {
          runs += 1;
          return {};
        },
      });
      const invalid = publishedEvent('stream:strict', { count: 'three' });
      const unknown = publishedEvent('stream:unknown', {});
      await stream.publish(invalid);
      await stream.publish(unknown);
      await stream.publishText('this is no event');
      const consumer = consume(registry, stream.source(), { retry: fixedSchedule({ delayMs: 50, maxAttempts: 5 }) });
      await waitFor('three dead letters', async () => (await stream.deadLetters()).length === 3);
      await waitFor('nothing left unsettled', async () => (await stream.unsettled()) === 0);
      const stats = await consumer.close();
      expect(runs).toBe(0);
      expect(stats).toMatchObject({ retried: 0, deadLettered: 3 });
      const letters = await stream.deadLetters();
      expect(letters).toEqual(
        expect.arrayContaining([
          { eventId: invalid.id, reason: 'rejected', attempts: 1, answerName: 'stream:strict:badRequest' },
          { eventId: unknown.id, reason: 'rejected', attempts: 1, answerName: 'eventNotFound' },
          { eventId: undefined, reason: 'rejected', attempts: 1, answerName: 'badProtocol' },
        ]),
      );
    });

    it('acknowledges a redelivered event already handled without running its handler again', async () => {
      await using stream = await start();
      const runs = new Map<string, number>();
      const registry = new EventRegistry().register({
        name: 'stream:once',
        handler: (event) => {
          runs.set(event.id, (runs.get(event.id) ?? 0) + 1);
          return {};
        },
      });
      const lostAck = publishedEvent('stream:once', { n: 1 });
      const sentTwice = publishedEvent('stream:once', { n: 2 });
      await stream.publish(lostAck);
      const text = JSON.stringify(sentTwice);
      await stream.publishText(text);
      await stream.publishText(text);
      // The first ack fails: the broker delivers that message again once its lease lapses.
      const source = failingFirstAcks(stream.source({ leaseMs: 1000 }), 1);
      const consumer = consume(registry, source, { dedup: { store: new MemoryReplayStore() } });
      await waitFor('every message settled', async () => (await stream.unsettled()) === 0);
      const stats = await consumer.close();
      expect(Object.fromEntries(runs)).toEqual({ [lostAck.id]: 1, [sentTwice.id]: 1 });
      // The lost ack's redelivery and the second copy are duplicates, and the lost ack is unsettled.
      // On a loaded machine an ack that reaches the broker after the lease brings one more
      // redelivery (seen on JetStream), counted the same way: at least, not exactly.
      expect(stats.duplicates).toBeGreaterThanOrEqual(2);
      expect(stats.unsettled).toBeGreaterThanOrEqual(1);
    });

    it('never runs more handlers at once than its concurrency, and runs them side by side', async () => {
      await using stream = await start();
      let running = 0;
      let most = 0;
      let done = 0;
      const registry = new EventRegistry().register({
        name: 'stream:slow',
        handler: async () => {
          running += 1;
          most = Math.max(most, running);
          await sleep(40);
          running -= 1;
          done += 1;
          return {};
        },
      });
      for (let n = 0; n < 15; n += 1) await stream.publish(publishedEvent('stream:slow', { n }));
      const consumer = consume(registry, stream.source(), { concurrency: 3 });
      await waitFor('every event handled', () => done === 15);
      await consumer.close();
      expect(most).toBeLessThanOrEqual(3);
      expect(most).toBeGreaterThan(1);
    });

    it('drains: stops pulling, waits for the messages in their handlers, settles them, then resolves', async () => {
      await using stream = await start();
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let entered = 0;
      let finished = 0;
      const registry = new EventRegistry().register({
        name: 'stream:held',
        handler: async () => {
          entered += 1;
          await gate;
          finished += 1;
          return {};
        },
      });
      await stream.publish(publishedEvent('stream:held', { n: 1 }));
      await stream.publish(publishedEvent('stream:held', { n: 2 }));
      const consumer = consume(registry, stream.source());
      await waitFor('both events in their handlers', () => entered === 2);
      let drained = false;
      const draining = consumer.drain().then((stats) => {
        drained = true;
        return stats;
      });
      await sleep(200);
      expect(drained).toBe(false);
      release();
      const stats = await draining;
      expect(finished).toBe(2);
      expect(stats).toMatchObject({ acknowledged: 2, inFlight: 0 });
      expect(await stream.unsettled()).toBe(0);
      await stream.publish(publishedEvent('stream:held', { n: 3 }));
      await sleep(300);
      expect(entered).toBe(2);
      await consumer.close();
    });
  });
}
