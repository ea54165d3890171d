/** The load most bench scripts put on a server: autocannon posting the bench's request event. */
import autocannon from 'autocannon';
import { requestBody } from './fixture.js';

/** How many connections post, and for how long or how many requests in all. */
export type EventLoad = { readonly connections: number; readonly timeoutSeconds?: number } & (
  { readonly seconds: number } | { readonly requests: number }
);

/** Posts the ~430-byte request event to `POST /events` on a local port, as `load` says. */
export function postEvents(port: number, load: EventLoad): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}/events`,
    method: 'POST',
    body: requestBody,
    headers: { 'content-type': 'application/json' },
    connections: load.connections,
    ...('seconds' in load ? { duration: load.seconds } : { amount: load.requests }),
    ...(load.timeoutSeconds === undefined ? {} : { timeout: load.timeoutSeconds }),
  });
}
