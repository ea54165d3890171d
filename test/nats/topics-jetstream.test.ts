import { applyTopicsConfig, readTopicsConfig, topicsFromConfig } from '@events-protocol/topics';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startNatsCluster, startNatsServer } from '../support/nats-server.js';

// The built-in `jetstream` type: the topics package loads @events-protocol/nats, installed beside
// it, when a topic uses it.
describe('the jetstream topic target', () => {
  it('validates endpoints and options, with file storage and 3 replicas by default', () => {
    const config = readTopicsConfig({
      topics: [{ topic: 'orders', type: 'jetstream', endpoint: 'nats://127.0.0.1:4222, nats://127.0.0.1:4223' }],
    });
    expect(config.topics[0]?.options).toEqual({ replicas: 3, storage: 'file', duplicateWindowMs: 120_000 });
    expect(() =>
      readTopicsConfig({
        topics: [{ topic: 'orders', type: 'jetstream', endpoint: 'http://x', options: { replicas: 0, stream: 'a.b' } }],
      }),
    ).toThrow(/endpoint: must be a nats:\/\/ URL/);
  });

  it(
    'creates the stream and the durable consumer once, then publishes through the topic',
    { timeout: 120_000 },
    async () => {
      await using server = await startNatsServer();
      const directory = await mkdtemp(join(tmpdir(), 'events-topics-nats-'));
      const config = readTopicsConfig({
        outbox: { store: `sqlite:${join(directory, 'outbox.db')}` },
        publishTimeoutMs: 5000,
        topics: [
          {
            topic: 'orders',
            type: 'jetstream',
            endpoint: server.url,
            options: { replicas: 1, consumer: 'billing', duplicateWindowMs: 60_000 },
          },
        ],
      });
      const connection = await connect({ servers: server.url });
      try {
        const created = await applyTopicsConfig(config);
        expect(created.filter((entry) => entry.topic === 'orders').map((entry) => entry.resource)).toEqual([
          'jetstream stream EVENTS_ORDERS on events.orders (file storage, 1 replica)',
          'jetstream durable consumer billing on EVENTS_ORDERS',
        ]);
        expect(await applyTopicsConfig(config)).toEqual([]);
        const manager = await jetstreamManager(connection);
        const info = await manager.streams.info('EVENTS_ORDERS');
        expect(info.config).toMatchObject({ storage: 'file', num_replicas: 1, duplicate_window: 60_000_000_000 });
        expect((await manager.consumers.info('EVENTS_ORDERS', 'billing')).config.ack_policy).toBe('explicit');

        const { publisher, close } = await topicsFromConfig(config);
        try {
          const result = await publisher.publish('orders', { name: 'order:placed', payload: { orderId: 'o-1' } });
          expect(result.outcome).toBe('delivered');
          const stored = await manager.streams.getMessage('EVENTS_ORDERS', { seq: 1 });
          expect(stored?.subject).toBe('events.orders');
          expect(stored?.json()).toMatchObject({ id: result.event.id, name: 'order:placed' });
        } finally {
          await close();
        }
      } finally {
        await connection.close();
        await rm(directory, { recursive: true, force: true });
      }
    },
  );

  it(
    'brings an existing stream to the configured replicas on a cluster, and refuses a storage change',
    { timeout: 180_000 },
    async () => {
      await using cluster = await startNatsCluster();
      const target = (options: Record<string, unknown>) =>
        readTopicsConfig({
          topics: [{ topic: 'audit', type: 'jetstream', endpoint: cluster.urls.join(','), options }],
        });
      expect(await applyTopicsConfig(target({ replicas: 1 }))).toHaveLength(1);
      const updated = await applyTopicsConfig(target({}));
      expect(updated.map((entry) => entry.resource)).toEqual([
        'jetstream stream EVENTS_AUDIT updated (file storage, 3 replicas)',
      ]);
      const connection = await connect({ servers: [...cluster.urls] });
      try {
        const manager = await jetstreamManager(connection);
        expect((await manager.streams.info('EVENTS_AUDIT')).config.num_replicas).toBe(3);
      } finally {
        await connection.close();
      }
      await expect(applyTopicsConfig(target({ storage: 'memory' }))).rejects.toThrow(
        /has file storage, the topic audit asks for memory/,
      );
    },
  );
});
