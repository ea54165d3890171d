import { deadlineHeader, readDeadlineBudget } from '@events-protocol/core';
import type { EventProcessor, ProcessEventOptions, TransportInfo } from '@events-protocol/server';
import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';
import type { NatsLogger } from './check-stream-durability.js';
import { NatsError, NatsErrorCode } from './nats-error.js';
import { natsTransportHeaders } from './nats-transport-headers.js';
import { checkSubjectPrefix, requestSubjects } from './request-subjects.js';

/** How {@link serveEventsOverNats} listens. */
export interface NatsEventServerOptions {
  /** A connected `NatsConnection`; the server never closes it. */
  connection: NatsConnection;
  /** Events are requested on `<subjectPrefix>.<event name>` (and on `<subjectPrefix>` alone); `events` by default. */
  subjectPrefix?: string;
  /**
   * The queue group: each request goes to one instance of the group, so instances share the load;
   * `events` by default.
   */
  queue?: string;
  /**
   * Serve only these events (`<subjectPrefix>.<name>` each), so several services can share a
   * prefix; by default every name under the prefix, and the prefix itself.
   */
  eventNames?: readonly string[];
  /** Where a failure to answer is logged (pino-compatible); silent by default. */
  logger?: NatsLogger;
}

/** A running NATS request-reply server of the protocol. */
export interface NatsEventServer extends AsyncDisposable {
  /** The subjects it listens on. */
  readonly subjects: readonly string[];
  /** Requests taken and not yet answered. */
  readonly inFlight: number;
  /** Stops taking requests and resolves once every request taken has been answered. */
  drain(): Promise<void>;
}

/**
 * Answers the events protocol over NATS request-reply through the same `EventProcessor` as HTTP:
 * each request's data is the request event, and the reply is the response event as JSON. The
 * caller's remaining time travels in the `x-events-deadline-ms` header, as over HTTP, and bounds
 * the handler; handlers read the message's subject and headers as `context.transport` (`kind:
 * 'nats'`). Messages without a reply subject (plain publishes) are not answered.
 *
 * @example
 * const server = serveEventsOverNats(processor, { connection, subjectPrefix: 'events' });
 * // … on shutdown
 * await server.drain();
 *
 * @throws {NatsError} `INVALID_OPTIONS` for a prefix, queue or event name that is no subject.
 */
export function serveEventsOverNats(processor: EventProcessor, options: NatsEventServerOptions): NatsEventServer {
  const prefix = checkSubjectPrefix(options.subjectPrefix ?? 'events');
  const queue = options.queue ?? 'events';
  if (!/^[^\s*>]+$/.test(queue)) {
    throw new NatsError(NatsErrorCode.InvalidOptions, `queue ${JSON.stringify(queue)} is not a NATS queue group name`);
  }
  const subjects = requestSubjects(prefix, options.eventNames);
  const { logger, connection } = options;
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const settled = (): void => {
    inFlight -= 1;
    if (inFlight === 0) idle?.();
  };

  const answer = (error: Error | null, message: Msg): void => {
    if (error !== null) {
      logger?.warn({ err: error }, 'a NATS events subscription failed');
      return;
    }
    if (message.reply === undefined || message.reply === '') return;
    inFlight += 1;
    processor.processEventToJson(message.data, processOptions(message)).then(
      (text) => {
        message.respond(text);
        settled();
      },
      (failure: unknown) => {
        logger?.error?.({ err: failure, subject: message.subject }, 'could not answer an event over NATS');
        settled();
      },
    );
  };

  const subscriptions: Subscription[] = subjects.map((subject) =>
    connection.subscribe(subject, { queue, callback: answer }),
  );
  let draining: Promise<void> | undefined;
  const drain = (): Promise<void> => {
    draining ??= (async () => {
      await Promise.all(subscriptions.map((subscription) => subscription.drain().catch(() => undefined)));
      if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
    })();
    return draining;
  };
  return {
    subjects,
    get inFlight() {
      return inFlight;
    },
    drain,
    [Symbol.asyncDispose]: drain,
  };
}

/** What the processor is told of one request: its transport, its deadline and its trace headers. */
function processOptions(message: Msg): ProcessEventOptions {
  const headers = message.headers;
  const transport: TransportInfo = { kind: 'nats', subject: message.subject, headers: natsTransportHeaders(headers) };
  if (headers === undefined) return { transport };
  const budget = readDeadlineBudget(transport.headers.get(deadlineHeader));
  const traceparent = transport.headers.get('traceparent');
  const traceCarrier =
    traceparent === undefined ? undefined : { traceparent, tracestate: transport.headers.get('tracestate') };
  return {
    transport,
    ...(budget === undefined ? {} : { deadline: Date.now() + budget }),
    ...(traceCarrier === undefined ? {} : { traceCarrier }),
  };
}
