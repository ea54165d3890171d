import { describe, expect, it } from 'vitest';
import { EgressError } from './egress/egress-error.js';
import { TransportTimeoutError } from './event-transport.js';
import { readTransportFailure } from './transport-failure.js';

describe('readTransportFailure', () => {
  it("reads a TransportTimeoutError as the egress's timeout, with its phase", () => {
    const timeout = new TransportTimeoutError('no answer within 5 ms');
    expect(readTransportFailure(timeout)).toEqual({ kind: 'timeout', phase: 'headers', cause: timeout });
    const connecting = new TransportTimeoutError('not connected within 5 ms', { phase: 'connect' });
    expect(readTransportFailure(connecting)).toEqual({ kind: 'timeout', phase: 'connect', cause: connecting });
  });

  it('still reads the deprecated code EVENTS_TRANSPORT_TIMEOUT of custom transports as a timeout', () => {
    const old = Object.assign(new Error('late'), { code: 'EVENTS_TRANSPORT_TIMEOUT' });
    expect(readTransportFailure(old)).toEqual({ kind: 'timeout', cause: old });
  });

  it('reads an unknown failure as an unreachable server, and an egress TIMEOUT by its phase', () => {
    const odd = new Error('odd');
    expect(readTransportFailure(odd)).toEqual({ kind: 'unreachable', cause: odd });
    const body = new EgressError({ code: 'TIMEOUT', phase: 'body', message: 'body within 5 ms' });
    expect(readTransportFailure(body)).toEqual({ kind: 'timeout', phase: 'body', cause: body });
  });
});
