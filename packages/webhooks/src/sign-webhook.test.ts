import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeaders, signWebhook } from './sign-webhook.js';

const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
const body = '{"name":"order:placed","payload":{"orderId":7}}';

/** The signature computed from scratch, without anything the module keeps. */
function reference(secret: string, timestamp: number): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

describe('signWebhook', () => {
  it('signs with each secret’s own key, however many secrets take turns', () => {
    const secrets = Array.from({ length: 1200 }, () => `whsec_${randomBytes(32).toString('base64')}`);
    for (const round of [0, 1]) {
      for (const [index, secret] of secrets.entries()) {
        if (index % 97 !== round) continue;
        expect(signWebhook(secret, id, 1_700_000_000 + index, body)).toBe(reference(secret, 1_700_000_000 + index));
      }
    }
    for (const secret of secrets)
      expect(signWebhook(secret, id, 1_700_000_000, body)).toBe(reference(secret, 1_700_000_000));
    const [first, second] = secrets as [string, string];
    expect(signatureHeaders([first, second], id, 1_700_000_000, body)['webhook-signature']).toBe(
      `${reference(first, 1_700_000_000)} ${reference(second, 1_700_000_000)}`,
    );
  });

  it('refuses a malformed secret every time it is used', () => {
    for (let tries = 0; tries < 2; tries++) {
      expect(() => signWebhook('whsec_not-base64!', id, 1, body)).toThrow(
        expect.objectContaining({ code: 'INVALID_SECRET' }),
      );
    }
  });
});
