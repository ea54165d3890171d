import {
  TransportTimeoutError,
  type EventTransport,
  type TransportAnswer,
  type TransportRequest,
} from '@events-protocol/client';
import { headers as natsHeaders, type ConnectionOptions } from '@nats-io/nats-core';
import { NatsConnectionHolder, type NatsConnectionSource } from './nats-connection-holder.js';
import { NatsError, NatsErrorCode } from './nats-error.js';
import { describeNatsError, readNatsFailure } from './nats-failure.js';
import { checkSubjectPrefix, subjectOfRequest } from './request-subjects.js';
import { untilAborted } from './until-aborted.js';

/** How a {@link NatsTransport} reaches servers of the protocol over NATS. */
export interface NatsTransportOptions {
  /**
   * A connected `NatsConnection` (never closed by the transport), or the server URLs of one it
   * opens and drains on close.
   */
  connection: NatsConnectionSource;
  /** Options for a connection the transport opens itself. */
  connectionOptions?: Omit<ConnectionOptions, 'servers'>;
  /** Requests go to `<subjectPrefix>.<event name>`, as `serveEventsOverNats` listens; `events` by default. */
  subjectPrefix?: string;
}

/**
 * Sends the client's events over NATS request-reply, with the outcomes of HTTP: an answer is read
 * as a response event (anything else is an invalid response), no answer within the call's time is
 * a timeout, and no server listening (no responders) or a closed connection is a failed
 * dependency of reason `unreachable`. The deadline header and any custom headers travel as NATS
 * headers.
 *
 * @example
 * const client = new EventClient({ transport: new NatsTransport({ connection, subjectPrefix: 'events' }) });
 */
export class NatsTransport implements EventTransport {
  readonly #connection: NatsConnectionHolder;
  readonly #prefix: string;

  /** @throws {NatsError} `INVALID_OPTIONS` for a prefix that is no subject. */
  constructor(options: NatsTransportOptions) {
    this.#prefix = checkSubjectPrefix(options.subjectPrefix ?? 'events');
    this.#connection = new NatsConnectionHolder(options.connection, options.connectionOptions);
  }

  /** One attempt: a request on the event's subject, waiting at most the attempt's time. */
  async send(request: TransportRequest): Promise<TransportAnswer> {
    const { signal } = request;
    if (signal?.aborted === true) throw abortError(signal);
    const subject = subjectOfRequest(this.#prefix, request.body);
    const headers = natsHeaders();
    for (let index = 0; index + 1 < request.headers.length; index += 2) {
      headers.append(request.headers[index] as string, request.headers[index + 1] as string);
    }
    let reply;
    try {
      const connection = await this.#connection.get();
      const answered = connection.request(subject, request.body, {
        timeout: Math.max(1, Math.ceil(request.timeoutMs)),
        headers,
      });
      reply = await untilAborted(answered, signal, abortError);
    } catch (error) {
      throw failureOf(error, subject, request.timeoutMs);
    }
    return { status: 200, body: reply.string() };
  }

  /** Drains the connection the transport opened; a given connection stays open. */
  close(): Promise<void> {
    return this.#connection.close();
  }
}

function abortError(signal: AbortSignal): Error {
  return new DOMException(String(signal.reason ?? 'aborted'), 'AbortError');
}

/** The one mapping of a failed request to what the client reads: a timeout, an abort, or unreachable. */
function failureOf(error: unknown, subject: string, timeoutMs: number): Error {
  if ((error as { name?: unknown }).name === 'AbortError') return error as Error;
  switch (readNatsFailure(error)) {
    case 'timeout':
      return new TransportTimeoutError(`no answer on '${subject}' within ${timeoutMs} ms`, { cause: error });
    case 'noResponders':
      return new NatsError(NatsErrorCode.Unreachable, `no server answers events on '${subject}' (no responders)`, {
        cause: error,
      });
    case 'closed':
      return new NatsError(NatsErrorCode.Unreachable, 'the NATS connection is closed', { cause: error });
    case 'apiError':
    case 'tooLarge':
    case 'other':
      return new NatsError(NatsErrorCode.Unreachable, `request on '${subject}' failed: ${describeNatsError(error)}`, {
        cause: error,
      });
  }
}
