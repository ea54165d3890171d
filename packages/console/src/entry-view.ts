import type { AttemptRecord, StoredEntry } from '@events-protocol/outbox';

/** Where an entry's topic points: for webhook deliveries, the subscription's endpoint. */
export type EndpointOfTopic = (topic: string | undefined) => { id: string; targetUrl: string } | undefined;

/** An entry in a list: what the row shows, and the last attempt's outcome. */
export interface EntryRow {
  id: string;
  state: StoredEntry['state'];
  eventName: string;
  eventId: string;
  topic: string | null;
  endpoint: { id: string; targetUrl: string } | null;
  attempts: number;
  lastError: string | null;
  lastStatus: number | null;
  enqueuedAt: string;
  nextAttemptAt: string | null;
  failedAt: string | null;
  claimed: boolean;
}

function iso(date: Date | undefined): string | null {
  return date === undefined ? null : date.toISOString();
}

function lastAttempt(entry: StoredEntry): AttemptRecord | undefined {
  return entry.history[entry.history.length - 1];
}

/** One row of a list: no payload, no event fields beyond name and id. */
export function entryRow(entry: StoredEntry, endpointOf: EndpointOfTopic): EntryRow {
  const last = lastAttempt(entry);
  return {
    id: entry.id,
    state: entry.state,
    eventName: entry.event.name,
    eventId: entry.event.id,
    topic: entry.topic ?? null,
    endpoint: endpointOf(entry.topic) ?? null,
    attempts: entry.attempts,
    lastError: last?.error === undefined ? null : last.error.message,
    lastStatus: last?.status ?? null,
    enqueuedAt: entry.enqueuedAt.toISOString(),
    nextAttemptAt: iso(entry.nextAttemptAt),
    failedAt: iso(entry.failedAt),
    claimed: entry.claimed === true,
  };
}

/**
 * One entry as inspected: the event (its `auth` dropped, whatever the store kept), attributes and
 * every kept attempt with status, duration, answer excerpt and error.
 */
export function entryDetail(entry: StoredEntry, endpointOf: EndpointOfTopic): unknown {
  const { auth: _auth, ...event } = entry.event as typeof entry.event & { auth?: unknown };
  return {
    ...entryRow(entry, endpointOf),
    deliveredAt: iso(entry.deliveredAt),
    event,
    attributes: entry.attributes,
    history: entry.history,
  };
}
