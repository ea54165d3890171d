import type { TransportHeaders } from '@events-protocol/server';
import { Match, type MsgHdrs } from '@nats-io/nats-core';

const noHeaders: TransportHeaders = Object.freeze({
  get: () => undefined,
  *entries(): IterableIterator<[string, string]> {},
});

/** A JetStream message's headers as a transport's: looked up in any case, several values joined with `, `. */
export function jetStreamSourceHeaders(headers: MsgHdrs | undefined): TransportHeaders {
  if (headers === undefined) return noHeaders;
  return {
    get: (name) =>
      headers.has(name, Match.IgnoreCase) ? headers.values(name, Match.IgnoreCase).join(', ') : undefined,
    *entries(): IterableIterator<[string, string]> {
      for (const [name, values] of headers) yield [name.toLowerCase(), values.join(', ')];
    },
  };
}
