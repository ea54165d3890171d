import { writeJson } from '@events-protocol/core';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { delay, type FaultPlan } from './fault-plan.js';
import { injectedErrorEvent } from './injected-error-event.js';

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

/**
 * A `node:http` listener that misbehaves as planned in front of the real one (for example
 * `toNodeListener(processor)`): latency, no answer at all (the socket stays open until the
 * server's timeouts or the client give up), a reset socket, an error event, or HTTP 503.
 *
 * @example
 * http.createServer(faultyListener(toNodeListener(processor), plan)).listen(0);
 */
export function faultyListener(listener: RequestListener, plan: FaultPlan): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    const decision = plan.next();
    void delay(decision.latencyMs).then(async () => {
      switch (decision.fault) {
        case undefined:
          listener(request, response);
          return;
        case 'timeout':
          request.resume();
          return;
        case 'reset':
          request.socket.destroy();
          return;
        case 'failure':
          request.resume();
          response.writeHead(503, { 'content-type': 'text/plain' }).end('injected fault: service unavailable');
          return;
        case 'errorEvent': {
          const text = writeJson(injectedErrorEvent(await readBody(request), plan));
          response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(text);
          return;
        }
      }
    });
  };
}
