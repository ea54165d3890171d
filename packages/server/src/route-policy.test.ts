import { describe, expect, it } from 'vitest';
import { EventRegistry } from './event-registry.js';
import { EventProcessor } from './event-processor.js';
import { EventRoute } from './route-policy.js';

const processor = new EventProcessor(new EventRegistry());

describe('EventRoute', () => {
  it('matches its path with one optional trailing slash and any query, case-sensitively', () => {
    const route = new EventRoute({ processor });
    expect(['/events', '/events/', '/events?x=1', '/events/?x=1'].map((url) => route.matches(url))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['/EVENTS', '/events//', '/events/more', '/eventsx', '/', ''].map((url) => route.matches(url))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('takes its path literally, with or without a trailing slash, and serves the root', () => {
    expect(new EventRoute({ processor, path: '/rpc/' }).matches('/rpc')).toBe(true);
    expect(new EventRoute({ processor, path: '/rpc/:id' }).matches('/rpc/7')).toBe(false);
    expect(new EventRoute({ processor, path: '/' }).matches('/')).toBe(true);
  });

  it('allows GET and HEAD only with discovery', () => {
    expect(new EventRoute({ processor }).allow).toBe('POST');
    expect(new EventRoute({ processor, discovery: true }).allow).toBe('POST, GET, HEAD');
  });
});
