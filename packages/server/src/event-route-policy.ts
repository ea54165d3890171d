import { ServedDocument } from './documents/served-document.js';

/** What the route does with a request whose path is the route's, by its method. */
export const RouteAction = {
  /** `POST`: read the body and process the event. */
  Process: 'process',
  /** `GET` or `HEAD` with discovery on: serve the discovery document (`HEAD` without its body). */
  Discover: 'discover',
  /** Any other method: 405 with `Allow`. */
  RefuseMethod: 'refuse-method',
} as const;

/** One of {@link RouteAction}'s values. */
export type RouteAction = (typeof RouteAction)[keyof typeof RouteAction];

/** Where the route is and whether it serves discovery. */
export interface EventRoutePolicyOptions {
  /** The route, matched literally and case-sensitively; `/events` by default. One trailing slash is served too. */
  path?: string | undefined;
  /** Serve the discovery document on `GET` and `HEAD` of the route (default `false`). */
  discovery?: boolean | undefined;
}

/**
 * The decisions of the HTTP edge, written once for every runtime: which request targets are the
 * route (its path and that path with one trailing slash, case-sensitively, any query) and what
 * each method gets there. The node:http route and the fetch handler both ask it, so they cannot
 * answer differently. It reads strings and returns constants: nothing is allocated per request
 * but the path of a target with a query.
 *
 * @example
 * const policy = new EventRoutePolicy({ discovery: true });
 * policy.matches('/events/?x=1'); // true
 * policy.actionFor('PUT'); // 'refuse-method', answered 405 with `Allow: ${policy.allow}`
 */
export class EventRoutePolicy {
  /** The route without its trailing slash (`''` for the root). */
  readonly path: string;
  /** The methods the route answers, as the `Allow` header of a 405 lists them. */
  readonly allow: string;
  readonly #pathWithSlash: string;
  readonly #discovery: boolean;

  constructor(options: EventRoutePolicyOptions = {}) {
    this.path = (options.path ?? '/events').replace(/\/+$/, '');
    this.#pathWithSlash = `${this.path}/`;
    this.#discovery = options.discovery ?? false;
    this.allow = this.#discovery ? 'POST, GET, HEAD' : 'POST';
  }

  /** Whether a request target (a path with an optional query) is this route. */
  matches(target: string): boolean {
    const query = target.indexOf('?');
    return this.matchesPath(query === -1 ? target : target.slice(0, query));
  }

  /** Whether a path (no query) is this route. */
  matchesPath(path: string): boolean {
    return path === this.path || path === this.#pathWithSlash;
  }

  /**
   * The document a request target asks for, `<path>/asyncapi.json` or `<path>/openapi.json`, when
   * discovery is on; `undefined` otherwise. Ask it only for targets {@link matches} refused, so
   * the event path pays nothing for it.
   */
  documentFor(target: string): ServedDocument | undefined {
    if (!this.#discovery || !target.startsWith(this.#pathWithSlash)) return undefined;
    const query = target.indexOf('?');
    const file = target.slice(this.#pathWithSlash.length, query === -1 ? undefined : query);
    return file === ServedDocument.AsyncApi || file === ServedDocument.OpenApi ? file : undefined;
  }

  /** What a request to the route gets, by its method (methods are case-sensitive, as HTTP says). */
  actionFor(method: string | undefined): RouteAction {
    if (method === 'POST') return RouteAction.Process;
    if ((method === 'GET' || method === 'HEAD') && this.#discovery) return RouteAction.Discover;
    return RouteAction.RefuseMethod;
  }
}
