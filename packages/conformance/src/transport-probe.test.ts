import { TransportTimeoutError, type EventTransport } from '@events-protocol/client';
import { EgressError } from '@events-protocol/client/egress';
import { describe, expect, it } from 'vitest';
import { TransportProbe } from './transport-probe.js';

/** A transport whose every attempt fails with `error`. */
function failingWith(error: Error): EventTransport {
  return { send: () => Promise.reject(error), close: () => Promise.resolve() };
}

describe('TransportProbe', () => {
  it("reads a transport's TransportTimeoutError (as the NATS transport throws) as a missing answer", async () => {
    const late: EventTransport = {
      send: (request) =>
        new Promise((_resolve, reject) => {
          setTimeout(
            () => reject(new TransportTimeoutError(`no answer within ${request.timeoutMs} ms`)),
            request.timeoutMs,
          );
        }),
      close: () => Promise.resolve(),
    };
    const answer = await new TransportProbe(late, 50, {}).post({ body: '{}' });
    expect(answer).toEqual({ kind: 'no-answer', reason: 'no answer within 50 ms' });
  });

  it('reads the deprecated code EVENTS_TRANSPORT_TIMEOUT as a missing answer too', async () => {
    const old = Object.assign(new Error('late'), { code: 'EVENTS_TRANSPORT_TIMEOUT' });
    expect(await new TransportProbe(failingWith(old), 50, {}).post({ body: '{}' })).toMatchObject({
      kind: 'no-answer',
    });
  });

  it('reads any other failure, an egress error included, as an unreachable server', async () => {
    const refused = new EgressError({ code: 'UNREACHABLE', phase: 'connect', message: 'connection refused' });
    expect(await new TransportProbe(failingWith(refused), 50, {}).post({ body: '{}' })).toEqual({
      kind: 'unreachable',
      reason: 'UNREACHABLE: connection refused',
    });
  });
});
