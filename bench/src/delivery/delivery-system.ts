import { createPublishedEvent, type PublishedEvent } from '@events-protocol/publish';
import { requestPayload } from '../fixture.js';
import type { Receiver } from './receiver.js';

/**
 * One way of getting events durably from a producer to an HTTP receiver: ours (an outbox relay,
 * webhooks) or what users would pick instead (a BullMQ worker, pg-boss). Every system does the
 * same work per event: store it durably, claim it, POST its JSON to the receiver, record the
 * outcome.
 */
export interface DeliverySystem {
  /** Stores the events for delivery; resolves once they are durable (committed, acknowledged). */
  enqueue(events: readonly PublishedEvent[]): Promise<void>;
  /** Starts the workers; they deliver what is stored and what comes. */
  start(): Promise<void>;
  /** Stops the workers and releases connections; removes what the system created. */
  close(): Promise<void>;
}

/** Where the systems run: one redis-server and one PostgreSQL for all of them, and a scratch directory. */
export interface DeliveryServices {
  redisUrl: string;
  postgresUrl: string;
  directory: string;
  /** Workers per system: events in flight at once. */
  concurrency: number;
}

/** A system under test, opened fresh (empty queue, its own names) for each measurement. */
export interface DeliveryScenario {
  key: string;
  label: string;
  /** The store it runs on, when PostgreSQL: its server's CPU and WAL flushes are then measured too. */
  store?: 'postgres';
  open(receiver: Receiver, services: DeliveryServices, name: string): Promise<DeliverySystem>;
}

/** The event every system delivers: the bench's ~430-byte order, a fresh id each. */
export function benchEvent(): PublishedEvent {
  return createPublishedEvent({ name: 'order:priced', payload: requestPayload, metadata: { source: 'bench' } });
}

/** The body every system POSTs for an event. */
export function deliveryBody(event: PublishedEvent): string {
  return JSON.stringify(event);
}
