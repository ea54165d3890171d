/** Baseline: raw node:http that parses the event and writes the response event by hand. */
import { createServer } from 'node:http';
import { price, type PriceOrderPayload } from '../fixture.js';
import { serve } from './serve.js';

interface WireEvent {
  name: string;
  version: number;
  id: string;
  flowId: string;
  payload: PriceOrderPayload;
}

serve(
  createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WireEvent;
      const body = JSON.stringify({
        name: `${event.name}:response`,
        version: event.version,
        id: event.id,
        flowId: event.flowId,
        payload: price(event.payload),
        identity: {},
        auth: {},
        metadata: {},
      });
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    });
  }),
);
