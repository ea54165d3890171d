import type { TransportHeaders } from '@events-protocol/server';
import { Match, type MsgHdrs } from '@nats-io/nats-core';

const noHeaders: TransportHeaders = Object.freeze({
  get: () => undefined,
  *entries(): IterableIterator<[string, string]> {},
});

/**
 * A NATS message's headers as handlers read them (`context.transport.headers`): looked up by name
 * in any case, several values of one header joined with `, `. Read from the message, never copied.
 */
export function natsTransportHeaders(headers: MsgHdrs | undefined): TransportHeaders {
  if (headers === undefined) return noHeaders;
  return {
    get(name) {
      const values = headers.values(name, Match.IgnoreCase);
      return values.length === 0 ? undefined : values.join(', ');
    },
    *entries(): IterableIterator<[string, string]> {
      for (const name of headers.keys()) yield [name.toLowerCase(), headers.values(name).join(', ')];
    },
  };
}
