/**
 * A customer's webhook endpoint: verifies each delivery's signature against its secret before
 * trusting the body, deduplicates by `webhook-id`, and answers 204.
 */
import { verifyWebhook } from '@events-protocol/webhooks';
import { createServer, type Server } from 'node:http';

/** A verified delivery. */
export interface ReceivedWebhook {
  id: string;
  event: { name: string; flowId: string; payload: unknown };
}

export function webhookSubscriber(secret: string, onWebhook: (webhook: ReceivedWebhook) => void): Server {
  const seen = new Set<string>();
  return createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const check = verifyWebhook(secret, request.headers, body);
      if (!check.valid) {
        response.writeHead(401).end(check.reason);
        return;
      }
      // Retries carry the same id: do the work once.
      if (!seen.has(check.id)) {
        seen.add(check.id);
        onWebhook({ id: check.id, event: JSON.parse(body) as ReceivedWebhook['event'] });
      }
      response.writeHead(204).end();
    });
  });
}
