/** The memory bench's raw node:http baseline: raw-node's work, each request held until released. */
import { createServer } from 'node:http';
import { price, type PriceOrderPayload } from '../fixture.js';
import { ParkGate } from './park-gate.js';
import { serve } from './serve.js';

interface WireEvent {
  name: string;
  version: number;
  id: string;
  flowId: string;
  payload: PriceOrderPayload;
}

const gate = new ParkGate();
serve(
  createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WireEvent;
      void gate.wait().then(() => {
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
    });
  }),
);
