import { deadlineHeader, EventBuilder, readDeadlineBudget, writeJson } from '@events-protocol/core';
import {
  describeEvents,
  EventRoutePolicy,
  isJsonContentType,
  RouteAction,
  type EventProcessor,
  type ProcessEventOptions,
} from '@events-protocol/server';
import type { FastifyError, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { ResolvedEventsPluginOptions } from './events-plugin-options.js';
import { FastifyRequestTransport } from './fastify-request-transport.js';
import { InFlightEvents } from './in-flight-events.js';

const jsonContentType = 'application/json; charset=utf-8';
const emptyBody = Buffer.alloc(0);

/**
 * The statuses of the body parser's refusals, by Fastify error code: the same answers the node
 * adapter gives when it reads a body itself.
 */
const parserRefusals: ReadonlyMap<string, number> = new Map([
  ['FST_ERR_CTP_BODY_TOO_LARGE', 413],
  ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415],
  ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400],
]);

function sendRefusal(reply: FastifyReply, status: number): FastifyReply {
  return reply
    .code(status)
    .header('content-type', jsonContentType)
    .send(writeJson(EventBuilder.badProtocol({})));
}

/**
 * The events route inside Fastify: the shared route policy decides what each method gets, Fastify
 * runs the app's hooks around it. Built once at registration; its three functions are the route's
 * `preParsing` hook, handler and error handler, so nothing is made per request but the answer.
 */
export class FastifyEventRoute {
  /** Events being processed now; closing the app waits for them. */
  readonly inFlight = new InFlightEvents();
  readonly #processor: EventProcessor;
  readonly #policy: EventRoutePolicy;

  constructor(options: ResolvedEventsPluginOptions) {
    this.#processor = options.processor;
    this.#policy = new EventRoutePolicy({ path: options.path, discovery: options.discovery });
  }

  /** The route inside the plugin's prefix, without its trailing slash (`''` for the prefix itself). */
  get path(): string {
    return this.#policy.path;
  }

  /**
   * Refuses, before any body is read, what the route does not process: other methods (405 with
   * `Allow`) and a `POST` whose content type is not JSON (415). Runs after the app's `onRequest`
   * hooks, so authentication still comes first.
   */
  readonly preParsing = (
    request: FastifyRequest,
    reply: FastifyReply,
    _payload: unknown,
    done: HookHandlerDoneFunction,
  ): void => {
    switch (this.#policy.actionFor(request.method)) {
      case RouteAction.Process: {
        const contentType = request.headers['content-type'];
        if (!isJsonContentType(contentType)) {
          sendRefusal(reply, 415);
          return;
        }
        // An empty content type names no type: read the body as JSON, as the node adapter does.
        // Fastify would refuse it as an invalid media type.
        if (contentType === '') delete request.headers['content-type'];
        done();
        return;
      }
      case RouteAction.Discover:
        done();
        return;
      case RouteAction.RefuseMethod:
        sendRefusal(reply.header('allow', this.#policy.allow), 405);
        return;
    }
  };

  /**
   * Answers what `preParsing` let through: `GET`/`HEAD` with discovery, a `POST` with the response
   * event once the processor has it (Fastify waits for a handler that returns its reply).
   */
  readonly handler = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (this.#policy.actionFor(request.method) === RouteAction.Discover) {
      // Node leaves out the body of an answer to HEAD and keeps its length.
      const document = JSON.stringify(describeEvents(this.#processor.registry));
      return reply.code(200).header('content-type', jsonContentType).send(document);
    }
    void this.#answerEvent(request, reply);
    return reply;
  };

  async #answerEvent(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    this.inFlight.begin();
    let text: string;
    try {
      text = await this.#processor.processEventToJson(request.body ?? emptyBody, processOptionsOf(request));
    } finally {
      this.inFlight.end();
    }
    reply.code(200).header('content-type', jsonContentType).send(text);
  }

  /**
   * Turns the body parser's refusals into the protocol's answers (413, 415, 400 with a
   * `badProtocol` event, not Fastify's error JSON) and hands every other error, such as one thrown
   * by the app's hooks, to the app's error handler.
   */
  readonly errorHandler = (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    const status = parserRefusals.get(error.code);
    if (status === undefined) throw error;
    sendRefusal(reply, status);
  };
}

/** The deadline, trace context and transport of a request, as the processor takes them. */
function processOptionsOf(request: FastifyRequest): ProcessEventOptions {
  const headers = request.headers;
  const transport = new FastifyRequestTransport(request);
  const budget = readDeadlineBudget(headers[deadlineHeader]);
  return budget === undefined
    ? { traceCarrier: headers, transport }
    : { deadline: Date.now() + budget, traceCarrier: headers, transport };
}
