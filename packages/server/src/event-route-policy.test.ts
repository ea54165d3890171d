import { describe, expect, it } from 'vitest';
import { EventRoutePolicy, RouteAction } from './event-route-policy.js';

describe('EventRoutePolicy', () => {
  it('matches its path with one optional trailing slash and any query, case-sensitively', () => {
    const policy = new EventRoutePolicy();
    expect(['/events', '/events/', '/events?x=1', '/events/?x=1'].map((target) => policy.matches(target))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(
      ['/EVENTS', '/events//', '/events/more', '/eventsx', '/', ''].map((target) => policy.matches(target)),
    ).toEqual([false, false, false, false, false, false]);
    expect([policy.matchesPath('/events/'), policy.matchesPath('/events?x=1')]).toEqual([true, false]);
  });

  it('takes its path literally, with or without a trailing slash, and serves the root', () => {
    expect(new EventRoutePolicy({ path: '/rpc/' }).path).toBe('/rpc');
    expect(new EventRoutePolicy({ path: '/rpc/:id' }).matches('/rpc/7')).toBe(false);
    expect(new EventRoutePolicy({ path: '/' }).matches('/')).toBe(true);
  });

  it('processes POST, serves discovery on GET and HEAD only when on, and refuses every other method', () => {
    const methods = ['POST', 'GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'post', 'get', undefined];
    expect(methods.map((method) => new EventRoutePolicy().actionFor(method))).toEqual([
      RouteAction.Process,
      ...Array<RouteAction>(9).fill(RouteAction.RefuseMethod),
    ]);
    expect(methods.map((method) => new EventRoutePolicy({ discovery: true }).actionFor(method))).toEqual([
      RouteAction.Process,
      RouteAction.Discover,
      RouteAction.Discover,
      ...Array<RouteAction>(7).fill(RouteAction.RefuseMethod),
    ]);
  });

  it('lists in Allow what it answers', () => {
    expect(new EventRoutePolicy().allow).toBe('POST');
    expect(new EventRoutePolicy({ discovery: true }).allow).toBe('POST, GET, HEAD');
  });
});
