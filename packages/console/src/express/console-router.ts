import { Readable } from 'node:stream';
import { Router, type NextFunction, type Request as ExpressRequest, type Response as ExpressResponse } from 'express';
import { createOperatorConsole, type OperatorConsole } from '../operator-console.js';
import type { OperatorConsoleOptions } from '../console-options.js';

/** The web-standard request of an Express request: its body re-serialized when a JSON parser already read it. */
function webRequestOf(request: ExpressRequest): Request {
  const origin = `${request.protocol}://${request.get('host') ?? 'localhost'}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const parsed: unknown = request.body;
    if (parsed !== undefined || request.readableEnded) {
      // A body parser read the stream before: what it parsed is all there is.
      init.body = parsed === undefined ? '' : JSON.stringify(parsed);
      headers.delete('content-length');
    } else {
      init.body = Readable.toWeb(request) as ReadableStream<Uint8Array>;
      init.duplex = 'half';
    }
  }
  return new Request(new URL(request.originalUrl, origin), init);
}

async function send(answer: Response, response: ExpressResponse): Promise<void> {
  response.status(answer.status);
  answer.headers.forEach((value, name) => response.setHeader(name, value));
  response.end(Buffer.from(await answer.arrayBuffer()));
}

/**
 * The operator console as an Express 5 router: mount it where `basePath` says, behind the same
 * `authorize` the console asks every request (the application may add its own middleware in
 * front too). Give it the raw body: a JSON parser mounted before it is tolerated (the body is
 * re-serialized), but is not needed.
 *
 * @example
 * app.use(consoleRouter({ basePath: '/ops', authorize, outboxes: { topics: publisher.outbox } }));
 * @throws {ConsoleError} `INVALID_OPTIONS` as `createOperatorConsole`.
 */
export function consoleRouter(options: OperatorConsoleOptions): Router {
  const operatorConsole: OperatorConsole = createOperatorConsole(options);
  const router = Router();
  const paths = operatorConsole.basePath === '' ? ['/'] : [operatorConsole.basePath];
  router.use(paths, (request: ExpressRequest, response: ExpressResponse, next: NextFunction) => {
    operatorConsole
      .fetch(webRequestOf(request))
      .then(
        (answer) => send(answer, response),
        (error: unknown) => {
          next(error);
        },
      )
      .catch(next);
  });
  return router;
}
