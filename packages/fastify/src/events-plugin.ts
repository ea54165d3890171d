import type { FastifyInstance, FastifyPluginCallback, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { defaultMaxBodyBytes, ServedDocument, servedDocumentText } from '@events-protocol/server';
import {
  resolveEventsPluginOptions,
  type EventsPluginOptions,
  type ResolvedEventsPluginOptions,
} from './events-plugin-options.js';
import { FastifyEventRoute } from './fastify-event-route.js';

/** The body as Fastify read it, within the route's `bodyLimit`: bytes, parsed by the processor. */
function keepBytes(_request: FastifyRequest, body: Buffer, done: (error: null, body: Buffer) => void): void {
  done(null, body);
}

/**
 * The URLs the route is registered at inside the plugin's prefix: its path (without a trailing
 * slash), and that path with one.
 */
function routeUrls(app: FastifyInstance, bare: string): string[] {
  // Fastify serves both `/prefix` and `/prefix/` for `/`, and both forms of every path itself
  // when the app ignores trailing slashes: registering the second would be a duplicate.
  if (bare === '') return ['/'];
  const config = app.initialConfig;
  const ignoresTrailingSlash =
    config.routerOptions?.ignoreTrailingSlash === true || config.ignoreTrailingSlash === true;
  return ignoresTrailingSlash ? [bare] : [bare, `${bare}/`];
}

function registerEvents(app: FastifyInstance, options: EventsPluginOptions, done: (error?: Error) => void): void {
  let resolved: ResolvedEventsPluginOptions;
  try {
    resolved = resolveEventsPluginOptions(options, app.log, app.initialConfig.bodyLimit ?? defaultMaxBodyBytes);
  } catch (error) {
    done(error as Error);
    return;
  }
  const route = new FastifyEventRoute(resolved);
  // This context is the plugin's own: the app's parsers stay as they are for its other routes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, keepBytes);
  for (const url of routeUrls(app, route.path)) {
    app.route({
      method: app.supportedMethods,
      url,
      bodyLimit: resolved.maxBodyBytes,
      preParsing: route.preParsing,
      errorHandler: route.errorHandler,
      handler: route.handler,
    });
  }
  // With discovery on, the AsyncAPI and OpenAPI documents beside the route (GET, and HEAD by Fastify).
  if (resolved.discovery) {
    for (const document of [ServedDocument.AsyncApi, ServedDocument.OpenApi]) {
      const text = (): string =>
        servedDocumentText(resolved.processor.registry, document, `${app.prefix}${route.path}`);
      app.get(`${route.path}/${document}`, (_request, reply) =>
        reply.header('content-type', 'application/json; charset=utf-8').send(text()),
      );
    }
  }
  // Fastify closes the server (finishing the answers being written) before the plugins' onClose
  // hooks; events whose caller left may still be running: wait for them before the app closes
  // what their handlers use.
  app.addHook('onClose', async () => {
    if (await route.inFlight.drained(resolved.closeGraceMs)) return;
    app.log.warn(
      { inFlight: route.inFlight.count, closeGraceMs: resolved.closeGraceMs },
      'events still in flight after the close grace period',
    );
  });
  done();
}

/**
 * A Fastify 5 plugin serving the events protocol: `POST /events` answers HTTP 200 with the
 * response event, exactly as the node:http adapter does, over Fastify's routing, hooks, logger and
 * body limit. Register it with a `processor`, or a `registry` to serve through a processor that
 * logs with the app's logger.
 *
 * It stays encapsulated (it is wrapped with `fastify-plugin` only for its name and the Fastify
 * version check): the body parser it installs, which keeps 64-bit integers exact, and its error
 * handler apply to the events route alone, and `prefix` moves the route. The app's hooks run for
 * the route, so an `onRequest` or `preHandler` hook can refuse a request before any handler runs.
 *
 * @example
 * const app = Fastify({ logger: true });
 * app.addHook('onRequest', authenticate);
 * await app.register(eventsPlugin, { registry, discovery: true, prefix: '/api' });
 * await app.listen({ port: 8080 });
 * @throws {ServerError} `INVALID_OPTIONS` at registration (from `app.ready()` or `listen`) for
 * invalid options, see {@link EventsPluginOptions}.
 */
export const eventsPlugin: FastifyPluginCallback<EventsPluginOptions> = fastifyPlugin(registerEvents, {
  name: '@events-protocol/fastify',
  fastify: '5.x',
  encapsulate: true,
});
