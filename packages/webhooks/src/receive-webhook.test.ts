import { definePublishedEvent } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { receiveWebhook } from './receive-webhook.js';
import { signatureHeaders } from './sign-webhook.js';
import { isWebhookError } from './webhook-error.js';

const secret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const previous = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
const userCreated = definePublishedEvent({ name: 'user:created', payload: z.object({ userId: z.string() }) });
const body = JSON.stringify({ name: 'user:created', version: 1, id: 'e-1', flowId: 'f-1', payload: { userId: 'u' } });
const now = 1_800_000_000_000;
const headersBy = (key: string) => signatureHeaders(key, 'e-1', now / 1000, body);

describe('receiveWebhook', () => {
  it('verifies with any of several secrets during a rotation, from a string or bytes', () => {
    for (const key of [secret, previous]) {
      const result = receiveWebhook(userCreated, {
        secret: [secret, previous],
        headers: headersBy(key),
        body,
        now: () => now,
      });
      expect(result).toMatchObject({ ok: true, webhookId: 'e-1', timestamp: now / 1000, contract: userCreated });
    }
    const bytes = receiveWebhook([userCreated], {
      secret,
      headers: headersBy(secret),
      body: Buffer.from(body),
      now: () => now,
    });
    expect(bytes.ok && bytes.event).toMatchObject({
      name: 'user:created',
      payload: { userId: 'u' },
      auth: {},
      identity: {},
    });
  });

  it('refuses with the status to answer, never throwing for what the request holds', () => {
    const other = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
    expect(receiveWebhook(userCreated, { secret, headers: headersBy(other), body, now: () => now })).toMatchObject({
      ok: false,
      reason: 'invalid-signature',
      status: 401,
    });
    const later = () => now + 301_000;
    expect(receiveWebhook(userCreated, { secret, headers: headersBy(secret), body, now: later })).toMatchObject({
      reason: 'timestamp-out-of-range',
    });
    const array = '[1]';
    const arrayHeaders = signatureHeaders(secret, 'e-1', now / 1000, array);
    expect(receiveWebhook(userCreated, { secret, headers: arrayHeaders, body: array, now: () => now })).toMatchObject({
      reason: 'invalid-body',
      status: 400,
    });
  });

  it('throws for a body a JSON parser already read: the signature cannot be checked', () => {
    let thrown: unknown;
    try {
      receiveWebhook(userCreated, { secret, headers: headersBy(secret), body: JSON.parse(body) as string });
    } catch (error) {
      thrown = error;
    }
    expect(isWebhookError(thrown) && thrown.code).toBe('INVALID_OPTIONS');
  });
});
