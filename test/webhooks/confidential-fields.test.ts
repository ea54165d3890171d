import { createPublishedEvent } from '@events-protocol/publish';
import type { WebhookAttemptReport } from '@events-protocol/webhooks';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listen, readBody } from '../support/http-server.js';
import { eventually, settled, storeFile, subscriptionTo, webhooks } from './harness.js';

const token = 'auth-token-3f9c1e-never-leaves';
const userId = 'identity-user-7d2b-only-when-asked';

/** A receiver that keeps every byte that reached its sockets, headers included, and each body. */
async function rawReceiver() {
  const connections: Buffer[][] = [];
  const bodies = new Map<string, string>();
  const running = await listen((request, response) => {
    void readBody(request).then((body) => {
      bodies.set(request.url ?? '', body);
      response.writeHead(204, { connection: 'close' }).end();
    });
  });
  running.server.on('connection', (socket) => {
    const chunks: Buffer[] = [];
    connections.push(chunks);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  });
  /** What each connection carried, in full. */
  const traffic = (): string[] => connections.map((chunks) => Buffer.concat(chunks).toString('latin1'));
  return { running, bodies, traffic };
}

/** Every spelling of a secret a careless sender might use: as is, in base64, URL-encoded. */
const spellings = (secret: string): string[] => [
  secret,
  Buffer.from(secret).toString('base64'),
  Buffer.from(secret).toString('base64url'),
  encodeURIComponent(secret),
];

describe("an event's auth and identity through webhooks", () => {
  it('never sends auth; sends identity only to a subscription that opts in; never stores auth', async () => {
    const { running, bodies, traffic } = await rawReceiver();
    await using _receiver = running;
    const file = await storeFile();
    const reports: WebhookAttemptReport[] = [];
    const hooks = await webhooks({
      filename: file.filename,
      callbacks: { audit: (report) => void reports.push(report) },
    });
    try {
      await hooks.subscriptions.create(subscriptionTo(`${running.origin}/plain`, { callback: 'audit' }));
      await hooks.subscriptions.create(subscriptionTo(`${running.origin}/with-identity`, { includeIdentity: true }));
      const event = createPublishedEvent({
        name: 'order:placed',
        payload: { orderId: 'o-1' },
        identity: { userId },
        auth: { token, refresh: `${token}-refresh` },
      });
      const statuses = await hooks.dispatcher.deliverEvent(event);
      for (const status of statuses) await settled(hooks.dispatcher, status.deliveryId, { state: 'delivered' });
      await eventually(() => reports.length === 1);

      const sent = traffic().join('\n');
      expect(sent).toContain('POST /plain');
      expect(sent).toContain('POST /with-identity');
      for (const spelling of spellings(token)) expect(sent).not.toContain(spelling);

      expect(JSON.parse(bodies.get('/plain') ?? '{}')).toMatchObject({ id: event.id, identity: {}, auth: {} });
      expect(JSON.parse(bodies.get('/with-identity') ?? '{}')).toMatchObject({
        id: event.id,
        identity: { userId },
        auth: {},
      });
      // Each request went on its own connection (they were sent at once): the plain one's bytes
      // hold no identity, headers included.
      const plainConnection = traffic().find((bytes) => bytes.includes('POST /plain'));
      expect(plainConnection).toBeDefined();
      expect(plainConnection?.includes('POST /with-identity')).toBe(false);
      for (const spelling of spellings(userId)) expect(plainConnection).not.toContain(spelling);

      // Nor does auth reach a callback, or the store's files on disk.
      expect(reports[0]?.event.auth).toEqual({});
      expect(reports[0]?.payload).not.toContain(token);
      await hooks.close();
      const directory = join(file.filename, '..');
      for (const name of await readdir(directory)) {
        const stored = (await readFile(join(directory, name))).toString('latin1');
        for (const spelling of spellings(token)) expect(stored, name).not.toContain(spelling);
      }
    } finally {
      await hooks.close();
      await file.cleanup();
    }
  });
});
