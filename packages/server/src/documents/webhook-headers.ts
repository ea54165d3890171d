import type { JsonSchema } from '@events-protocol/core';

/** The Standard Webhooks headers every signed delivery carries, with what each holds. */
export const webhookSignatureHeaders: readonly { name: string; description: string }[] = [
  { name: 'webhook-id', description: 'The delivery id (the event id): the same on every retry, for deduplication.' },
  { name: 'webhook-timestamp', description: 'When the delivery was signed, in seconds since the epoch.' },
  {
    name: 'webhook-signature',
    description: 'Space-separated `v1,<base64 HMAC-SHA256>` signatures of `<id>.<timestamp>.<body>`.',
  },
];

/** The headers as one JSON Schema object (AsyncAPI message headers). */
export function webhookHeadersSchema(): JsonSchema {
  return {
    type: 'object',
    properties: Object.fromEntries(
      webhookSignatureHeaders.map(({ name, description }) => [name, { type: 'string', description }]),
    ),
    required: webhookSignatureHeaders.map(({ name }) => name),
  };
}
