import { JetStreamSink } from '@events-protocol/nats';
import { throughQueue } from '@events-protocol/outbox';
import { SqliteOutboxStore } from '@events-protocol/outbox/sqlite';
import { createPublishedEvent } from '@events-protocol/publish';
import { jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from '../support/nats-server.js';

describe('JetStreamSink behind the outbox', () => {
  it(
    'keeps events published while NATS is down and delivers each once after it is back',
    { timeout: 120_000 },
    async () => {
      await using server = await startNatsServer();
      const directory = await mkdtemp(join(tmpdir(), 'events-nats-outbox-'));
      const admin = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
      const manager = await jetstreamManager(admin);
      await manager.streams.add({ name: 'QUEUED', subjects: ['queued.>'], storage: StorageType.File, num_replicas: 1 });
      let failedAttempts = 0;
      const store = new SqliteOutboxStore({ filename: join(directory, 'outbox.db') });
      const jetStream = new JetStreamSink({
        connection: server.url,
        connectionOptions: { maxReconnectAttempts: -1, reconnectTimeWait: 100 },
        subject: (topic) => `queued.${topic ?? 'none'}`,
        timeoutMs: 1000,
      });
      const sink = throughQueue(jetStream, store, {
        schedule: { schedule: 'fixed', options: { delayMs: 100, maxAttempts: 1000 } },
        pollIntervalMs: 50,
        onAttempt: (report) => {
          if (report.next === 'retry') failedAttempts += 1;
        },
      });
      try {
        await sink.publish(createPublishedEvent({ name: 'order:placed', payload: { before: true } }), {
          topic: 'orders',
        });
        while ((await sink.outbox.pendingCount()) > 0) await sleep(50);

        await server.kill();
        const events = Array.from({ length: 30 }, (_, index) =>
          createPublishedEvent({ name: 'order:placed', payload: { index } }),
        );
        for (const event of events) await sink.publish(event, { topic: 'orders' });
        expect(await sink.outbox.pendingCount()).toBe(30);
        // The relay tries, and fails, while the server is down; the events stay stored.
        while (failedAttempts < 30) await sleep(50);
        expect(await sink.outbox.pendingCount()).toBe(30);

        await server.restart();
        while ((await sink.outbox.pendingCount()) > 0) await sleep(100);
        const info = await manager.streams.info('QUEUED');
        const ids = new Set<string>();
        for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
          const message = await manager.streams.getMessage('QUEUED', { seq });
          if (message !== null) ids.add(message.json<{ id: string }>().id);
        }
        expect(events.every((event) => ids.has(event.id))).toBe(true);
        expect(info.state.messages).toBe(ids.size);
        expect((await sink.outbox.listUndelivered()).events).toEqual([]);
      } finally {
        await sink.close();
        await store.close();
        await admin.close();
        await rm(directory, { recursive: true, force: true });
      }
    },
  );
});
