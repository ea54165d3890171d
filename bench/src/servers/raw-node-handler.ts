/**
 * The raw node:http baseline's request handler, shared by `raw-node` and the memory bench's
 * `raw-node-parked`: read the body, parse the event and write the response event by hand, with no
 * schema, context or logging, so the baseline stays raw.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { priceOrderAnswer, type PriceOrderWireEvent } from '../fixture.js';
import type { ParkGate } from './park-gate.js';

/** A handler that answers each event at once, or, given a `gate`, once the gate releases it. */
export function rawNodeHandler(gate?: ParkGate): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as PriceOrderWireEvent;
      if (gate === undefined) writeAnswer(response, event);
      else void gate.wait().then(() => writeAnswer(response, event));
    });
  };
}

function writeAnswer(response: ServerResponse, event: PriceOrderWireEvent): void {
  const body = JSON.stringify(priceOrderAnswer(event));
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}
