import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PublishedEvent } from '@events-protocol/publish';
import type { StreamSource } from '@events-protocol/server/streams';

/** A message found in a source's dead letter, read back from the broker. */
export interface DeadLetterRecord {
  /** The id of the event the message carried, when it was one. */
  readonly eventId: string | undefined;
  readonly reason: string;
  readonly attempts: number;
  /** The name of the last answer, when the handler ran. */
  readonly answerName: string | undefined;
}

/** A fresh stream (and group or durable consumer) on a real broker, for one test. */
export interface StreamUnderTest extends AsyncDisposable {
  /** What a consumer process needs to consume this stream (`children/consumer.ts`). */
  readonly consumerEnv: Readonly<Record<string, string>>;
  /** A new consumer of this test's group: a restarted process, as far as the broker knows. */
  source(options?: { leaseMs?: number }): StreamSource;
  /** Publishes an event as the broker's sink writes it (`RedisStreamSink`, the JetStream layout). */
  publish(event: PublishedEvent): Promise<void>;
  /** Publishes raw text as an event message, past any publish-side deduplication. */
  publishText(text: string): Promise<void>;
  /** What the dead letter holds, oldest first. */
  deadLetters(): Promise<DeadLetterRecord[]>;
  /** Messages of the group not yet acknowledged: delivered and pending, or not delivered yet. */
  unsettled(): Promise<number>;
}

/** Starts a stream under test on a broker started once per file. */
export type StartStream = () => Promise<StreamUnderTest>;

/** An event as a publisher hands it to a sink. */
export function publishedEvent(name: string, payload: unknown, id: string = randomUUID()): PublishedEvent {
  return {
    name,
    version: 1,
    id,
    flowId: randomUUID(),
    payload,
    identity: {},
    auth: {},
    metadata: {},
    createdAt: new Date().toISOString(),
  };
}

/**
 * Waits until `condition` holds. The limit only ends a hung test (generous on a shared machine);
 * the message says what never happened.
 */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  limitMs = 45_000,
): Promise<void> {
  const until = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`gave up waiting: ${what}`);
    await sleep(20);
  }
}
